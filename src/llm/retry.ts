// When and how long to retry a model call. The decisions are pure functions (tested by table); the loop
// that applies them is `retrying`, which every model call in the process goes through.
import { APIConnectionError, APIError, APIUserAbortError } from "openai";
import { ModelStreamTruncatedError, ModelTimeoutError } from "./errors";

export interface RetryPolicy {
  /** Total attempts, the first included. */
  readonly maxAttempts: number;
  /** Backoff before retry n (1-based) is about baseDelayMs * 2^(n-1), with jitter. */
  readonly baseDelayMs: number;
  /** Upper bound of the computed backoff (not of a server's Retry-After). */
  readonly maxBackoffMs: number;
  /**
   * Longest server-requested wait (Retry-After) we sit out. A longer request fails the call at once:
   * retrying earlier than the server asked would only be refused again, and no user waits that long.
   */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 500,
  maxBackoffMs: 8_000,
  maxRetryAfterMs: 20_000,
};

// Errors thrown by fetch while reading a response body that the SDK does not wrap (connection drops).
const NETWORK_ERROR_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "ConnectionRefused",
  "ConnectionClosed",
  "UND_ERR_SOCKET",
]);

/** Whether another attempt could succeed: rate limits, timeouts, conflicts, 5xx and connection failures. */
export function isRetryableModelError(error: unknown): boolean {
  if (error instanceof APIUserAbortError) return false;
  // Includes APIConnectionTimeoutError.
  if (error instanceof APIConnectionError) return true;
  if (error instanceof ModelTimeoutError || error instanceof ModelStreamTruncatedError) return true;
  if (error instanceof APIError) {
    // The server may say explicitly (OpenAI's own, non-standard header; the SDK obeys it too).
    const shouldRetry = error.headers?.get("x-should-retry");
    if (shouldRetry === "true") return true;
    if (shouldRetry === "false") return false;
    const status = error.status;
    // No status: an error event inside a 200 stream; only a server-side one is worth repeating.
    if (status === undefined) return error.type === "server_error";
    // A 429 for an exhausted quota stays a 429 until someone pays; retrying only burns the budget.
    if (status === 429) return error.code !== "insufficient_quota";
    return status === 408 || status === 409 || status >= 500;
  }
  return hasNetworkCode(error);
}

function hasNetworkCode(error: unknown): boolean {
  if (typeof error !== "object" || error === null || !("code" in error)) return false;
  return typeof error.code === "string" && NETWORK_ERROR_CODES.has(error.code);
}

/** The wait the server asked for (`retry-after-ms`, else `Retry-After` in seconds or as an HTTP date). */
export function serverRetryAfterMs(error: unknown, nowMs: number): number | undefined {
  if (!(error instanceof APIError) || error.headers === undefined) return undefined;
  const millis = error.headers.get("retry-after-ms");
  if (millis !== null) {
    const ms = Number.parseFloat(millis);
    if (Number.isFinite(ms) && ms >= 0) return ms;
  }
  const header = error.headers.get("retry-after");
  if (header === null) return undefined;
  const seconds = Number.parseFloat(header);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const at = Date.parse(header);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/**
 * Exponential backoff with "equal jitter": half of the step is fixed, half random, so retries of many
 * callers that failed together spread out but none retries immediately. `random` is in [0, 1).
 */
export function backoffMs(retryNumber: number, policy: RetryPolicy, random: number): number {
  const step = Math.min(policy.baseDelayMs * 2 ** (retryNumber - 1), policy.maxBackoffMs);
  return Math.round(step / 2 + (step / 2) * random);
}

export type RetryDecision =
  | { retry: true; delayMs: number }
  | {
      retry: false;
      reason:
        | "aborted"
        | "not_retryable"
        | "attempts_exhausted"
        | "wait_exceeds_cap"
        | "wait_exceeds_deadline";
    };

export interface RetryInput {
  error: unknown;
  /** The attempt that just failed, 1-based. */
  attempt: number;
  policy: RetryPolicy;
  nowMs: number;
  /** Epoch ms after which the caller no longer wants an answer; a wait past it is not started. */
  deadlineMs?: number;
  aborted: boolean;
  random: number;
}

export function decideRetry(input: RetryInput): RetryDecision {
  if (input.aborted) return { retry: false, reason: "aborted" };
  if (!isRetryableModelError(input.error)) return { retry: false, reason: "not_retryable" };
  if (input.attempt >= input.policy.maxAttempts) return { retry: false, reason: "attempts_exhausted" };
  const requested = serverRetryAfterMs(input.error, input.nowMs);
  if (requested !== undefined && requested > input.policy.maxRetryAfterMs) {
    return { retry: false, reason: "wait_exceeds_cap" };
  }
  // A server-requested wait is honoured as is (never shortened); otherwise our own backoff applies.
  const delayMs = requested ?? backoffMs(input.attempt, input.policy, input.random);
  if (input.deadlineMs !== undefined && input.nowMs + delayMs >= input.deadlineMs) {
    return { retry: false, reason: "wait_exceeds_deadline" };
  }
  return { retry: true, delayMs };
}

/** Resolves after `ms`; rejects with the signal's reason as soon as it aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

export interface RetryingOptions {
  policy: RetryPolicy;
  signal: AbortSignal;
  deadlineMs?: number;
  /** Told about every retry before its wait (for logs). */
  onRetry?(info: { attempt: number; delayMs: number; error: unknown }): void;
  random?: () => number;
}

/**
 * Runs `attempt` until it succeeds, the error is not retryable, attempts run out, or the wait would pass
 * the cap or the deadline; then the last error is thrown. An abort during the wait throws the signal's
 * reason; an abort during an attempt throws the signal's reason too, whatever the attempt threw.
 */
export async function retrying<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  opts: RetryingOptions,
): Promise<T> {
  const random = opts.random ?? Math.random;
  for (let attemptNumber = 1; ; attemptNumber++) {
    opts.signal.throwIfAborted();
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      opts.signal.throwIfAborted();
      const decision = decideRetry({
        error,
        attempt: attemptNumber,
        policy: opts.policy,
        nowMs: Date.now(),
        deadlineMs: opts.deadlineMs,
        aborted: opts.signal.aborted,
        random: random(),
      });
      if (!decision.retry) throw error;
      opts.onRetry?.({ attempt: attemptNumber, delayMs: decision.delayMs, error });
      await sleep(decision.delayMs, opts.signal);
    }
  }
}
