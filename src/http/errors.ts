// The HTTP side of the errors: codes onto statuses, the JSON error shape, and the errors only the
// HTTP edge raises (key, headers, body).

import { AppError, type ErrorCode } from "../errors";

/** The one mapping of error codes onto HTTP statuses. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  unauthorized: 401,
  invalid_header: 400,
  invalid_request: 400,
  invalid_json: 400,
  not_found: 404,
  idempotency_key_reused: 422,
  illegal_transition: 409,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

export const unauthorized = (message = "missing or invalid X-API-Key") =>
  new AppError("unauthorized", message);
export const invalidHeader = (header: string, why: string) =>
  new AppError("invalid_header", `${header}: ${why}`);
export const invalidJson = (message: string) => new AppError("invalid_json", message);
export const payloadTooLarge = (limitBytes: number) =>
  new AppError("payload_too_large", `request body exceeds ${limitBytes} bytes`);

/** Retry-After for the errors that carry one. */
export function errorHeaders(error: AppError): Record<string, string> {
  return error.retryAfterSeconds === undefined ? {} : { "retry-after": String(error.retryAfterSeconds) };
}

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
