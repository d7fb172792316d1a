// The retry decisions as tables: which failures are worth another attempt, and how long to wait.
import { describe, expect, test } from "bun:test";
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { ModelOutputError, ModelStreamTruncatedError, ModelTimeoutError } from "../../src/llm/errors";
import {
  backoffMs,
  DEFAULT_RETRY_POLICY,
  decideRetry,
  isRetryableModelError,
  type RetryPolicy,
  serverRetryAfterMs,
} from "../../src/llm/retry";

function httpError(status: number, headers: Record<string, string> = {}, body: Record<string, unknown> = {}) {
  return APIError.generate(status, { error: { message: "x", ...body } }, undefined, new Headers(headers));
}

const NOW = Date.parse("2026-11-03T12:00:00Z");

describe("isRetryableModelError", () => {
  const cases: [string, unknown, boolean][] = [
    ["429 rate limit", httpError(429), true],
    ["429 exhausted quota", httpError(429, {}, { code: "insufficient_quota" }), false],
    ["408 request timeout", httpError(408), true],
    ["409 conflict", httpError(409), true],
    ["500", httpError(500), true],
    ["502", httpError(502), true],
    ["503", httpError(503), true],
    ["400 bad request", httpError(400), false],
    ["401 bad key", httpError(401), false],
    ["403", httpError(403), false],
    ["404 unknown model", httpError(404), false],
    ["422", httpError(422), false],
    ["400 with x-should-retry: true", httpError(400, { "x-should-retry": "true" }), true],
    ["500 with x-should-retry: false", httpError(500, { "x-should-retry": "false" }), false],
    ["connection error", new APIConnectionError({ message: "refused" }), true],
    ["connection timeout", new APIConnectionTimeoutError(), true],
    ["user abort", new APIUserAbortError(), false],
    ["in-stream server_error event", new APIError(undefined, { type: "server_error" }, "x", undefined), true],
    [
      "in-stream other error event",
      new APIError(undefined, { type: "invalid_request_error" }, "x", undefined),
      false,
    ],
    ["our idle timeout", new ModelTimeoutError(100), true],
    ["stream closed without finish", new ModelStreamTruncatedError(), true],
    ["bad structured output", new ModelOutputError("no"), false],
    ["socket reset mid-body", Object.assign(new TypeError("socket closed"), { code: "ECONNRESET" }), true],
    ["a plain TypeError (a bug)", new TypeError("x is not a function"), false],
    ["a string", "boom", false],
  ];
  test.each(cases)("%s", (_label, error, expected) => {
    expect(isRetryableModelError(error)).toBe(expected);
  });
});

describe("serverRetryAfterMs", () => {
  const cases: [string, Record<string, string>, number | undefined][] = [
    ["no header", {}, undefined],
    ["Retry-After seconds", { "retry-after": "7" }, 7000],
    ["Retry-After fractional seconds", { "retry-after": "0.25" }, 250],
    ["retry-after-ms wins over Retry-After", { "retry-after-ms": "1500", "retry-after": "9" }, 1500],
    ["Retry-After as HTTP date", { "retry-after": "Tue, 03 Nov 2026 12:00:05 GMT" }, 5000],
    ["HTTP date in the past", { "retry-after": "Tue, 03 Nov 2026 11:59:00 GMT" }, 0],
    ["garbage", { "retry-after": "soon" }, undefined],
    ["negative seconds", { "retry-after": "-3" }, undefined],
    ["bad retry-after-ms falls back to Retry-After", { "retry-after-ms": "x", "retry-after": "2" }, 2000],
  ];
  test.each(cases)("%s", (_label, headers, expected) => {
    expect(serverRetryAfterMs(httpError(429, headers), NOW)).toBe(expected);
  });

  test("errors without headers have none", () => {
    expect(serverRetryAfterMs(new APIConnectionError({ message: "x" }), NOW)).toBeUndefined();
    expect(serverRetryAfterMs(new Error("x"), NOW)).toBeUndefined();
  });
});

describe("backoffMs", () => {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 500, maxBackoffMs: 8000 };
  const cases: [number, number, number][] = [
    // [retry number, random, expected]
    [1, 0, 250],
    [1, 0.999999, 500],
    [2, 0, 500],
    [2, 0.5, 750],
    [3, 0, 1000],
    [6, 0, 4000],
    [10, 0, 4000],
    [10, 0.999999, 8000],
  ];
  test.each(cases)("retry %d with random %d → %d ms", (retry, random, expected) => {
    expect(backoffMs(retry, policy, random)).toBe(expected);
  });
});

describe("decideRetry", () => {
  const base = {
    policy: DEFAULT_RETRY_POLICY,
    nowMs: NOW,
    aborted: false,
    random: 0,
  };
  const cases: [string, Parameters<typeof decideRetry>[0], ReturnType<typeof decideRetry>][] = [
    [
      "500 on attempt 1 backs off",
      { ...base, error: httpError(500), attempt: 1 },
      { retry: true, delayMs: 250 },
    ],
    [
      "500 on attempt 2 backs off longer",
      { ...base, error: httpError(500), attempt: 2 },
      { retry: true, delayMs: 500 },
    ],
    [
      "500 on attempt 3 gives up",
      { ...base, error: httpError(500), attempt: 3 },
      { retry: false, reason: "attempts_exhausted" },
    ],
    ["400 never", { ...base, error: httpError(400), attempt: 1 }, { retry: false, reason: "not_retryable" }],
    [
      "429 waits exactly what Retry-After says",
      { ...base, error: httpError(429, { "retry-after": "2" }), attempt: 1 },
      { retry: true, delayMs: 2000 },
    ],
    [
      "429 asking for more than the cap fails at once",
      { ...base, error: httpError(429, { "retry-after": "30" }), attempt: 1 },
      { retry: false, reason: "wait_exceeds_cap" },
    ],
    [
      "a wait ending after the deadline is not started",
      { ...base, error: httpError(429, { "retry-after": "2" }), attempt: 1, deadlineMs: NOW + 1500 },
      { retry: false, reason: "wait_exceeds_deadline" },
    ],
    [
      "a wait ending before the deadline is fine",
      { ...base, error: httpError(429, { "retry-after": "1" }), attempt: 1, deadlineMs: NOW + 1500 },
      { retry: true, delayMs: 1000 },
    ],
    [
      "aborted callers never retry",
      { ...base, error: httpError(500), attempt: 1, aborted: true },
      { retry: false, reason: "aborted" },
    ],
  ];
  test.each(cases)("%s", (_label, input, expected) => {
    expect(decideRetry(input)).toEqual(expected);
  });
});
