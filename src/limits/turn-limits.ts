// New chat turns per user, a minute and a day, counted in Redis so every api instance shares the
// count, plus the process-wide model-call ceiling: the checks a send passes after its claim lookup and
// before anything is stored. Which sends are charged is send.ts's decision (only one that starts or
// re-starts generation; a replay or an attach never is); this module only charges and refunds.
// Fail-closed: when Redis cannot count, the send is refused with the same 503 as any send while
// Redis is down (nothing stored, retry with the same key); an unmetered turn is what the limits exist
// to prevent.
import type { Redis } from "ioredis";
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { atCapacity, chatUnavailable, rateLimited, retryAfterSeconds } from "../errors";
import { withTimeout } from "../infra/dependency";
import type { Logger } from "../observability/logger";
import type { ModelCallBudget } from "./model-calls";

/** A healthy Redis answers in about a millisecond; past this a send is refused like one during an outage. */
const TURN_LIMIT_TIMEOUT_MS = 2_000;

export interface TurnLimitSettings {
  /** 0 turns a window off. */
  perMinute: number;
  perDay: number;
  /** Redis key prefix of the counters. */
  keyPrefix: string;
  /** A minute and a day in production; tests shorten them. */
  minuteSeconds: number;
  daySeconds: number;
}

/** The points one admitted turn took; given back when the turn turned out not to be new after all. */
export interface TurnCharge {
  /** Best effort and never throws: a lost refund costs the user one turn of a window, nothing more. */
  refund(): Promise<void>;
}

export interface TurnLimits {
  /**
   * Admits one new turn of `userId` and charges it to every window. Throws AppError `unavailable`
   * (with Retry-After) while this process's model budget for the minute is spent, `rate_limited`
   * (with Retry-After) when a window is full, and `unavailable` when Redis cannot count.
   */
  admit(userId: string): Promise<TurnCharge>;
}

interface TurnWindow {
  limiter: RateLimiterRedis;
  refusal: string;
}

export function createTurnLimits(
  redis: Redis,
  modelCalls: ModelCallBudget,
  log: Logger,
  settings: TurnLimitSettings,
): TurnLimits {
  const window = (name: string, points: number, seconds: number, refusal: string): TurnWindow[] =>
    points === 0
      ? []
      : [
          {
            limiter: new RateLimiterRedis({
              storeClient: redis,
              keyPrefix: `${settings.keyPrefix}:${name}`,
              points,
              duration: seconds,
            }),
            refusal,
          },
        ];
  // The minute first: a send refused by it never reaches (and never spends) the day's count.
  const windows = [
    ...window("minute", settings.perMinute, settings.minuteSeconds, "too many new messages this minute"),
    ...window("day", settings.perDay, settings.daySeconds, "daily message limit reached"),
  ];

  const refund = async (charged: readonly TurnWindow[], userId: string): Promise<void> => {
    const results = await Promise.allSettled(
      charged.map((taken) =>
        withTimeout("turn limit refund", TURN_LIMIT_TIMEOUT_MS, taken.limiter.reward(userId)),
      ),
    );
    for (const result of results) {
      if (result.status === "rejected") {
        log.warn("could not refund a turn limit point", { error: result.reason, user_id: userId });
      }
    }
  };

  return {
    admit: async (userId) => {
      const spentForMs = await modelCalls.spentForMs();
      if (spentForMs > 0) {
        throw atCapacity(retryAfterSeconds(spentForMs));
      }
      const charged: TurnWindow[] = [];
      for (const taken of windows) {
        try {
          await withTimeout("turn limit", TURN_LIMIT_TIMEOUT_MS, taken.limiter.consume(userId));
        } catch (error) {
          if (error instanceof RateLimiterRes) {
            // Refused: the windows already charged give their point back.
            await refund(charged, userId);
            const waitSeconds = retryAfterSeconds(error.msBeforeNext);
            throw rateLimited(`${taken.refusal}; retry in ${waitSeconds} s`, waitSeconds);
          }
          // Redis did not answer, so a refund would not either: a point already taken is lost.
          log.warn("turn limits unavailable; refusing the send", { error, user_id: userId });
          throw chatUnavailable();
        }
        charged.push(taken);
      }
      return { refund: () => refund(charged, userId) };
    },
  };
}
