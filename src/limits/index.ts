// Abuse limits (README, "Limits"): the API key ships inside the apps and the user id is a header, so
// any client can act as any user. Per client address on every /v1 request (address-limits.ts), per
// user on new chat turns, and a process-wide ceiling on model calls checked before a new turn starts
// (turn-limits.ts, model-calls.ts).
import type { Redis } from "ioredis";
import type { Config } from "../config";
import type { Logger } from "../observability/logger";
import { type AddressLimits, createAddressLimits } from "./address-limits";
import type { ModelCallBudget } from "./model-calls";
import { createTurnLimits, type TurnLimits } from "./turn-limits";

export type { AddressLimits } from "./address-limits";
export type { TurnCharge, TurnLimits } from "./turn-limits";

export interface Limits {
  addresses: AddressLimits;
  turns: TurnLimits;
}

/** What tests vary: their own counters and short windows. */
export interface LimitOptions {
  keyPrefix?: string;
  minuteSeconds?: number;
  daySeconds?: number;
}

const KEY_PREFIX = "hilo:limit";
const MINUTE_SECONDS = 60;
const DAY_SECONDS = 86_400;

export function createLimits(
  input: { config: Config; redis: Redis; modelCalls: ModelCallBudget; log: Logger },
  options: LimitOptions = {},
): Limits {
  const { config } = input;
  const keyPrefix = options.keyPrefix ?? KEY_PREFIX;
  const minuteSeconds = options.minuteSeconds ?? MINUTE_SECONDS;
  return {
    addresses: createAddressLimits(input.redis, {
      perMinute: config.HILO_REQUESTS_PER_ADDRESS_PER_MINUTE,
      trustedProxyHops: config.HILO_TRUSTED_PROXY_HOPS,
      keyPrefix: `${keyPrefix}:address`,
      windowSeconds: minuteSeconds,
    }),
    turns: createTurnLimits(input.redis, input.modelCalls, input.log, {
      perMinute: config.HILO_TURNS_PER_USER_PER_MINUTE,
      perDay: config.HILO_TURNS_PER_USER_PER_DAY,
      keyPrefix: `${keyPrefix}:turns`,
      minuteSeconds,
      daySeconds: options.daySeconds ?? DAY_SECONDS,
    }),
  };
}
