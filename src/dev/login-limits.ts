// Brute-force limits of POST /dev/login, counted in Redis (shared by every api instance) with an
// in-memory count while Redis is away, so an outage never opens the door: every attempt counts per
// client address, and failed attempts count per username as well, so guessing one account's password
// from many addresses stops too. Argon2id already makes each guess slow; these bound how many.
import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { rateLimited, retryAfterSeconds } from "../errors";

/** A person typing a password a few times a minute never meets it; a script does at once. */
const ATTEMPTS_PER_ADDRESS_PER_MINUTE = 10;
/** Failed logins per username in 15 minutes: about a hundred guesses a day at most per account. */
const FAILURES_PER_USERNAME = 10;
const FAILURE_WINDOW_SECONDS = 15 * 60;

export interface LoginLimits {
  /** Counts an attempt from this address; throws `rate_limited` when over either limit. */
  admit(address: string, username: string): Promise<void>;
  /** Counts a failed attempt against the username. */
  failed(username: string): Promise<void>;
}

export function createLoginLimits(redis: Redis, keyPrefix = "hilo:limit:dev-login"): LoginLimits {
  const limiter = (name: string, points: number, duration: number) => {
    const shape = { points, duration, keyPrefix: `${keyPrefix}:${name}` };
    return new RateLimiterRedis({
      ...shape,
      storeClient: redis,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(shape),
    });
  };
  const byAddress = limiter("address", ATTEMPTS_PER_ADDRESS_PER_MINUTE, 60);
  const failures = limiter("user", FAILURES_PER_USERNAME, FAILURE_WINDOW_SECONDS);
  const refuse = (error: unknown, message: string): never => {
    if (error instanceof RateLimiterRes) throw rateLimited(message, retryAfterSeconds(error.msBeforeNext));
    throw error;
  };
  return {
    admit: async (address, username) => {
      await byAddress
        .consume(address)
        .catch((error) => refuse(error, "too many login attempts from this address"));
      const spent = await failures.get(username);
      if (spent !== null && spent.consumedPoints >= FAILURES_PER_USERNAME) {
        refuse(spent, "too many failed logins for this username");
      }
    },
    failed: async (username) => {
      // Over the limit already: the next admit refuses, nothing more to count.
      await failures.consume(username).catch((error) => {
        if (!(error instanceof RateLimiterRes)) throw error;
      });
    },
  };
}
