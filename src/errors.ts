// The errors every verb throws, whoever calls it: an HTTP route, a chat tool, a job. One code says
// what went wrong for the caller; the HTTP edge maps codes to statuses in one table
// (src/http/errors.ts), a job logs them. Anything else a verb throws is a bug or a dependency failing.

export type ErrorCode =
  | "unauthorized"
  | "invalid_header"
  | "invalid_request"
  | "invalid_json"
  | "not_found"
  | "idempotency_key_reused"
  | "illegal_transition"
  | "payload_too_large"
  | "rate_limited"
  | "unavailable"
  | "internal";

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** For `rate_limited` and `unavailable`: when a retry may succeed, in whole seconds. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what: string) => new AppError("not_found", `${what} not found`);
export const invalidRequest = (message: string) => new AppError("invalid_request", message);
export const idempotencyKeyReused = () =>
  new AppError("idempotency_key_reused", "this Idempotency-Key was already used for a different message");
/** A send while Redis (turn log, turn limits) cannot be used: nothing was stored, and a retry with the
 * same key is safe. */
export const chatUnavailable = () =>
  new AppError("unavailable", "chat is temporarily unavailable; retry with the same Idempotency-Key");
/** A state change the resource's current state does not allow (a goal already achieved, say). */
export const illegalTransition = (message: string) => new AppError("illegal_transition", message);
export const rateLimited = (message: string, retryAfter: number) =>
  new AppError("rate_limited", message, retryAfter);
export const atCapacity = (retryAfter: number) =>
  new AppError("unavailable", "the assistant is at capacity; retry shortly", retryAfter);

/** Whole seconds for Retry-After: rounded up, never below 1 (0 would invite a hot loop). */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1_000));
}
