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
  | "unavailable"
  | "internal";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const unauthorized = (message = "missing or invalid X-API-Key") =>
  new ApiError(401, "unauthorized", message);
export const invalidHeader = (header: string, why: string) =>
  new ApiError(400, "invalid_header", `${header}: ${why}`);
export const invalidRequest = (message: string) => new ApiError(400, "invalid_request", message);
export const notFound = (what: string) => new ApiError(404, "not_found", `${what} not found`);
export const payloadTooLarge = (limitBytes: number) =>
  new ApiError(413, "payload_too_large", `request body exceeds ${limitBytes} bytes`);

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
