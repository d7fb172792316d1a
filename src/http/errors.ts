// The one set of typed API errors and their single mapping onto the JSON error shape.

export type ErrorCode =
  | "unauthorized"
  | "invalid_header"
  | "invalid_request"
  | "invalid_json"
  | "not_found"
  | "conflict"
  | "idempotency_key_reused"
  | "payload_too_large"
  | "rate_limited"
  | "unavailable"
  | "internal";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    /** Response headers that belong to the error (Retry-After on 429 and 503). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** A limit refused the request: 429 `rate_limited`, with Retry-After in whole seconds (at least 1). */
export class RateLimitedError extends ApiError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, "rate_limited", message, { "retry-after": String(retryAfterSeconds) });
    this.name = "RateLimitedError";
  }
}

/** Whole seconds for a Retry-After header: rounded up, never below 1 (0 would invite a hot loop). */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1_000));
}

export const unauthorized = (message = "missing or invalid X-API-Key") =>
  new ApiError(401, "unauthorized", message);
export const invalidHeader = (header: string, why: string) =>
  new ApiError(400, "invalid_header", `${header}: ${why}`);
export const invalidRequest = (message: string) => new ApiError(400, "invalid_request", message);
export const notFound = (what: string) => new ApiError(404, "not_found", `${what} not found`);
export const payloadTooLarge = (limitBytes: number) =>
  new ApiError(413, "payload_too_large", `request body exceeds ${limitBytes} bytes`);
/** A send while Redis (turn log, turn limits) cannot be used: the question was not stored, and a retry
 * with the same key is safe. */
export const chatUnavailable = () =>
  new ApiError(503, "unavailable", "chat is temporarily unavailable; retry with the same Idempotency-Key");

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

export function errorBody(code: ErrorCode, message: string): ErrorBody {
  return { error: { code, message } };
}

export function errorResponse(
  status: number,
  code: ErrorCode,
  message: string,
  headers?: Record<string, string>,
): Response {
  return Response.json(errorBody(code, message), { status, headers });
}
