// Requests per client address per minute across the /v1 routes, counted in Redis so every api
// instance shares the count. The API key ships inside the apps, so this is what bounds one machine
// that floods the API under many user ids (and guesses at the key).
// Fail-open: when Redis cannot count (down, not connected, or silent past a short timeout), an
// in-memory limiter of the same size counts for this process instead, so reads keep working through
// a Redis outage and one address is still bounded per instance. New turns fail closed on their own
// limits (turn-limits.ts).
import { isIP } from "node:net";
import type { Redis } from "ioredis";
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  RLWrapperTimeouts,
} from "rate-limiter-flexible";

/** Redis answers in about a millisecond; past this the request is counted in memory instead. */
const ADDRESS_LIMIT_TIMEOUT_MS = 250;

/** The bucket of requests whose address is not known (no socket address: a unix socket, or tests). */
export const UNKNOWN_ADDRESS = "unknown";

export interface AddressLimitSettings {
  /** 0 turns the limit off. */
  perMinute: number;
  /** Proxies in front of the api that append to X-Forwarded-For; 0: the header is never read. */
  trustedProxyHops: number;
  keyPrefix: string;
  /** A minute in production; tests shorten it. */
  windowSeconds: number;
}

export interface AddressLimits {
  /**
   * Counts one request; resolves with how long the client must wait (ms) when it is over the limit,
   * else 0. Never rejects (fail-open).
   */
  admit(request: Request, socketAddress: string | null): Promise<number>;
}

/** Only /v1 is limited. /health is not: load balancers poll it from a few addresses, and a 429 there
 * would take healthy tasks out of service. */
export function isLimitedPath(pathname: string): boolean {
  return pathname === "/v1" || pathname.startsWith("/v1/");
}

export function createAddressLimits(redis: Redis, settings: AddressLimitSettings): AddressLimits {
  if (settings.perMinute === 0) return { admit: async () => 0 };
  const shape = {
    points: settings.perMinute,
    duration: settings.windowSeconds,
    keyPrefix: settings.keyPrefix,
  };
  const limiter = new RLWrapperTimeouts({
    limiter: new RateLimiterRedis({
      ...shape,
      storeClient: redis,
      // Straight to the in-memory count while the connection is not up, instead of queueing behind
      // ioredis's reconnect attempts (a read would wait seconds). The client connects in the start-up
      // checks; until then (a client that never sent a command) requests count in memory too.
      rejectIfRedisNotReady: true,
      // An address over the limit is refused from memory until its window ends: a flood costs no
      // Redis round trips.
      inMemoryBlockOnConsumed: settings.perMinute + 1,
      insuranceLimiter: new RateLimiterMemory(shape),
    }),
    timeoutMs: ADDRESS_LIMIT_TIMEOUT_MS,
  });
  return {
    admit: async (request, socketAddress) => {
      // A target no URL parser accepts (CONNECT host:port) routes nowhere near /v1.
      if (!isLimitedPath(URL.parse(request.url)?.pathname ?? "")) return 0;
      const key = addressKey(clientAddress(request, socketAddress, settings.trustedProxyHops));
      try {
        await limiter.consume(key);
        return 0;
      } catch (error) {
        if (error instanceof RateLimiterRes) return Math.max(error.msBeforeNext, 1);
        // Redis failures already fell back to the in-memory count, which cannot fail; were something
        // else to go wrong here, the request is let through (fail-open) rather than refused.
        return 0;
      }
    },
  };
}

/**
 * The client's address. Without trusted proxies it is the socket's peer, and X-Forwarded-For is
 * ignored: any client can write that header. With N trusted proxies, each of which appends the address
 * it saw, the client is the Nth entry from the right (an ALB alone: the last entry); entries further
 * left were written by the client and are never read. A header with fewer entries than N gives its
 * leftmost (every entry was then appended by one of our proxies). An entry that is not an IP address
 * falls back to the socket's address.
 */
export function clientAddress(
  request: Request,
  socketAddress: string | null,
  trustedProxyHops: number,
): string {
  const socket = socketAddress ?? UNKNOWN_ADDRESS;
  if (trustedProxyHops === 0) return socket;
  const entries = (request.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  const picked = entries[Math.max(0, entries.length - trustedProxyHops)];
  return picked !== undefined && isIP(picked) !== 0 ? picked : socket;
}

/**
 * The counter an address is charged to. An IPv4-mapped IPv6 address is its IPv4 address; any other
 * IPv6 address counts by its /64, since one subscriber is routinely given a whole /64 and could
 * otherwise take a new address for every request.
 */
export function addressKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const groups = ipv6Groups(address);
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    const [high = 0, low = 0] = groups.slice(6);
    return [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
  }
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(":")}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a dotted IPv4 tail as two groups). */
function ipv6Groups(address: string): number[] {
  const parse = (part: string): number[] =>
    part === ""
      ? []
      : part.split(":").flatMap((group) => {
          if (!group.includes(".")) return [Number.parseInt(group, 16)];
          const [a = 0, b = 0, c = 0, d = 0] = group.split(".").map(Number);
          return [(a << 8) | b, (c << 8) | d];
        });
  const [head = "", tail] = (address.split("%")[0] ?? "").split("::");
  const before = parse(head);
  const after = tail === undefined ? [] : parse(tail);
  return [...before, ...Array.from({ length: 8 - before.length - after.length }, () => 0), ...after];
}
