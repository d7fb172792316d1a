// Small HTTP helpers shared by the stand-in's routes. Errors use OpenAI's `{ error: { message, type, param,
// code } }` envelope because the openai SDK reads `type`/`code` from it when building its error classes.

export type JsonObject = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

let requestSeq = 0;

// The SDK surfaces `x-request-id` as `error.requestID`, which makes failures in test logs traceable.
function nextRequestId(): string {
  requestSeq += 1;
  return `req_standin_${requestSeq.toString().padStart(8, "0")}`;
}

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "x-request-id": nextRequestId(), ...headers },
  });
}

export function sseHeaders(): Record<string, string> {
  return {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
    "x-request-id": nextRequestId(),
  };
}

// Mirrors the `type`/`code` pairs OpenAI sends for each status, so backend code branching on them is exercised.
function errorKind(status: number): { type: string; code: string | null } {
  if (status === 400) return { type: "invalid_request_error", code: null };
  if (status === 401) return { type: "invalid_request_error", code: "invalid_api_key" };
  if (status === 403) return { type: "invalid_request_error", code: "unsupported_country_region_territory" };
  if (status === 404) return { type: "invalid_request_error", code: "not_found" };
  if (status === 429) return { type: "requests", code: "rate_limit_exceeded" };
  if (status >= 500) return { type: "server_error", code: null };
  return { type: "invalid_request_error", code: null };
}

export interface ErrorOptions {
  type?: string;
  code?: string | null;
  param?: string | null;
  retryAfterSeconds?: number;
}

export function openAIError(status: number, message: string, opts: ErrorOptions = {}): Response {
  const kind = errorKind(status);
  const headers: Record<string, string> = {};
  if (opts.retryAfterSeconds !== undefined) headers["retry-after"] = String(opts.retryAfterSeconds);
  return jsonResponse(
    {
      error: {
        message,
        type: opts.type ?? kind.type,
        param: opts.param ?? null,
        code: opts.code === undefined ? kind.code : opts.code,
      },
    },
    status,
    headers,
  );
}

export async function readJson(req: Request): Promise<{ ok: true; value: unknown } | { ok: false }> {
  try {
    return { ok: true, value: await req.json() };
  } catch {
    return { ok: false };
  }
}

// Resolves true after `ms`, or false as soon as `signal` aborts, so delayed replies never outlive their client.
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

export function waitForAbort(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
