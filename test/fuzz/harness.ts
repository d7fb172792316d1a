// What the fuzz suite shares: the seed and the bounded runner, the contract every response keeps (no
// 5xx, the one JSON error shape, nothing internal leaked), requests written byte by byte, the oracle
// that says whether Bun answers a request before any application code runs, and reads of what the
// stack stored for a user.
import fc from "fast-check";
import type mysql from "mysql2/promise";
import { z } from "zod";
import { bodyText, type LiveApi, type RawResponse, rawExchange, startLiveApi } from "../support/live-api";
import { adminConnection, clientHeaders, newUserId } from "../support/stack";

// ---------------------------------------------------------------------------------------------------
// Seed and runner

/**
 * The suite's inputs are fixed by default, so the same tree always meets the same inputs (CI stays
 * reproducible). FUZZ_SEED=<integer> replays a run; FUZZ_SEED=random explores new inputs and prints
 * the seed it drew, to replay a failure.
 */
function chooseSeed(): number {
  const fromEnv = process.env.FUZZ_SEED;
  if (fromEnv === "random") return (0x41534b48 + Date.now()) | 0;
  if (fromEnv) {
    const seed = Number(fromEnv);
    if (!Number.isSafeInteger(seed))
      throw new Error(`FUZZ_SEED must be an integer or "random", got "${fromEnv}"`);
    return seed | 0;
  }
  return 0x41534b48; // "ASKH"
}

export const FUZZ_SEED = chooseSeed();
/** FUZZ_SCALE=10 runs ten times the inputs (and allows ten times the time): a longer soak. */
const FUZZ_SCALE = Number(process.env.FUZZ_SCALE ?? "1") || 1;
process.stderr.write(`fuzz seed ${FUZZ_SEED} (replay: FUZZ_SEED=${FUZZ_SEED} bun test test/fuzz)\n`);

/**
 * Asserts a property with the suite's seed, `runs` inputs at most and a wall-clock bound (the bound
 * also cuts shrinking short: the counterexample is then the smallest found so far). fast-check's
 * message carries the seed, the path and the counterexample; the first line repeats how to replay.
 */
export async function fuzz<Ts>(
  property: fc.IAsyncProperty<Ts>,
  runs: number,
  timeLimitMs: number,
  /** Inputs tried first on every run, whatever the seed (the cases an issue names). */
  examples: Ts[] = [],
) {
  try {
    await fc.assert(property, {
      seed: FUZZ_SEED,
      examples,
      numRuns: Math.max(1, Math.round(runs * FUZZ_SCALE)),
      verbose: fc.VerbosityLevel.Verbose,
      plugins: [fc.interruptAfterTimeLimit(timeLimitMs * FUZZ_SCALE)],
    });
  } catch (error) {
    let message = error instanceof Error ? error.message : String(error);
    // fast-check 4 keeps the predicate's own error as the cause: show what was wrong, not only where.
    const cause = error instanceof Error ? error.cause : undefined;
    if (cause instanceof Error && !message.includes(cause.message))
      message += `\nGot error: ${cause.message}`;
    throw new Error(
      `fuzz failure, seed ${FUZZ_SEED} (replay: FUZZ_SEED=${FUZZ_SEED} bun test test/fuzz)\n${message}`,
    );
  }
}

/** bun:test timeout of a fuzz test: its time limit plus room for the last run and the shrink report. */
export const testTimeout = (timeLimitMs: number) => timeLimitMs * FUZZ_SCALE + 20_000;

// ---------------------------------------------------------------------------------------------------
// The service under test

/**
 * The abuse limits are off for the fuzz suite (as for load tests): every request comes from loopback,
 * and the address limit counts in the shared Redis, so a fuzz run would otherwise spend the quota of
 * every other test process on this stack, and a 429 would stop inputs before the code they aim at.
 */
const LIMITS_OFF = {
  HILO_REQUESTS_PER_ADDRESS_PER_MINUTE: "0",
  HILO_TURNS_PER_USER_PER_MINUTE: "0",
  HILO_TURNS_PER_USER_PER_DAY: "0",
  HILO_MODEL_CALLS_PER_MINUTE: "0",
};

export function startFuzzApi(overrides: Record<string, string> = {}): Promise<LiveApi> {
  return startLiveApi({ ...LIMITS_OFF, ...overrides });
}

export type { LiveApi };

/** The type of the values an arbitrary generates. */
export type Generated<A> = A extends fc.Arbitrary<infer T> ? T : never;

// ---------------------------------------------------------------------------------------------------
// Big values that print small in counterexamples

const repeatedTag = Symbol("repeated");

/** `unit` repeated `count` times; fast-check prints it as `"a"×20000` instead of the whole string. */
export interface Repeated {
  readonly [repeatedTag]: true;
  readonly unit: string;
  readonly count: number;
}

export function repeated(unit: string, count: number): Repeated {
  return {
    [repeatedTag]: true,
    unit,
    count,
    [fc.toStringMethod]: () => `${JSON.stringify(unit)}×${count}`,
  } as Repeated;
}

export type Text = string | Repeated;

export function text(value: Text): string {
  return typeof value === "string" ? value : value.unit.repeat(value.count);
}

// ---------------------------------------------------------------------------------------------------
// The response contract (properties 1-3)

/** Text that only the server's internals could have put in a response. Inputs never contain these. */
const LEAK_MARKERS = [
  "/work/",
  "/src/",
  ".ts:",
  "node_modules",
  "file://",
  "    at ",
  "<html",
  "<!doctype",
  "TypeError",
  "ReferenceError",
  "SyntaxError",
  "RangeError",
  "sqlMessage",
  "sqlState",
  "ECONNREFUSED",
];

function leakMarkerIn(value: string): string | undefined {
  const lower = value.toLowerCase();
  return LEAK_MARKERS.find((marker) => lower.includes(marker.toLowerCase()));
}

/** Generated strings never carry a leak marker, so one in a response came from the server. */
export const noMarker = (value: string) => leakMarkerIn(value) === undefined;

const errorShape = z.strictObject({
  error: z.strictObject({ code: z.string().min(1), message: z.string() }),
});

/** What a test saw of one response, however it was sent. */
export interface Observed {
  /** 0 when no status line arrived. */
  status: number;
  contentType: string;
  body: string;
  /** Status line, headers and body as seen (the first bytes of an event stream). */
  everything: string;
}

export function observeRaw(response: RawResponse): Observed {
  return {
    status: response.status,
    contentType: response.headers["content-type"] ?? "",
    body: bodyText(response),
    everything: response.raw,
  };
}

/** Reads a fetch Response; of an event stream only what arrives within `streamMs`. */
export async function observeFetch(response: Response, streamMs = 300): Promise<Observed> {
  const contentType = response.headers.get("content-type") ?? "";
  let body = "";
  if (contentType.startsWith("text/event-stream") && response.body) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const deadline = Date.now() + streamMs;
    while (Date.now() < deadline && body.length < 4096) {
      const chunk = await Promise.race([reader.read(), Bun.sleep(Math.max(1, deadline - Date.now()))]);
      if (!chunk || chunk.done) break;
      body += decoder.decode(chunk.value, { stream: true });
    }
    await reader.cancel().catch(() => {});
  } else {
    body = await response.text();
  }
  const headerLines = [...response.headers].map(([name, value]) => `${name}: ${value}`).join("\n");
  return {
    status: response.status,
    contentType,
    body,
    everything: `${response.status}\n${headerLines}\n\n${body}`,
  };
}

/** Properties 1-3: no 5xx, non-2xx is exactly `{"error":{"code","message"}}` as JSON, no internals. */
export function contractProblems(observed: Observed, method = "GET"): string[] {
  const problems: string[] = [];
  const { status } = observed;
  if (status === 0) problems.push("no HTTP response (connection closed or timed out)");
  if (status >= 500) problems.push(`status ${status} (5xx)`);
  if (status !== 0 && (status < 200 || status > 299)) {
    if (!observed.contentType.startsWith("application/json")) {
      problems.push(`non-2xx with content-type "${observed.contentType}" (want application/json)`);
    }
    if (method !== "HEAD") {
      let parsed: unknown;
      try {
        parsed = JSON.parse(observed.body);
      } catch {
        problems.push("non-2xx body is not JSON");
      }
      if (parsed !== undefined && !errorShape.safeParse(parsed).success) {
        problems.push('non-2xx body is not exactly {"error":{"code":string,"message":string}}');
      }
    }
  }
  const marker = leakMarkerIn(observed.everything);
  if (marker) problems.push(`response contains ${JSON.stringify(marker)}`);
  return problems;
}

/** Throws, with the request and an excerpt of the response, when `problems` is not empty. */
export function failWith(problems: string[], request: string, observed: Observed): void {
  if (problems.length === 0) return;
  const excerpt =
    observed.everything.length > 600 ? `${observed.everything.slice(0, 600)}…` : observed.everything;
  throw new Error(`${problems.join("; ")}\n  request: ${request}\n  response: ${JSON.stringify(excerpt)}`);
}

/** The error code of a well-formed error body, if any. */
export function errorCode(observed: Observed): string | undefined {
  try {
    const parsed = errorShape.safeParse(JSON.parse(observed.body));
    return parsed.success ? parsed.data.error.code : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// Requests written byte by byte

export interface RawRequest {
  method: string;
  /** The request-target exactly as sent. */
  target: string;
  /** Sent in order, values as UTF-8 (so unicode reaches the server as the app would send it). */
  headers: [string, string][];
  body?: Uint8Array;
  /** Adds Content-Length for `body` unless a header already sets it. Default true. */
  contentLength?: boolean;
  /** Request line version. Default HTTP/1.1. */
  version?: string;
}

export function encodeRequest(request: RawRequest): Uint8Array {
  const lines = [`${request.method} ${request.target} ${request.version ?? "HTTP/1.1"}`];
  const names = new Set(request.headers.map(([name]) => name.toLowerCase()));
  for (const [name, value] of request.headers) lines.push(`${name}: ${value}`);
  if (!names.has("connection")) lines.push("Connection: close");
  if (request.body && request.contentLength !== false && !names.has("content-length")) {
    lines.push(`Content-Length: ${request.body.length}`);
  }
  const head = Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "utf8");
  return request.body ? new Uint8Array(Buffer.concat([head, request.body])) : new Uint8Array(head);
}

/** For messages: long runs shortened, and anything but printable ASCII as an escape (so U+200B shows). */
export function printable(value: string, max = 800): string {
  const shortened = value.replace(/(.)\1{40,}/gsu, (run, char: string) => `${char}×${[...run].length}`);
  const escaped = [...shortened]
    .map((char) => {
      const cp = char.codePointAt(0) ?? 0;
      return (cp >= 0x20 && cp < 0x7f) || char === "×" ? char : `\\u{${cp.toString(16)}}`;
    })
    .join("");
  return escaped.length > max ? `${escaped.slice(0, max)}…` : escaped;
}

/** For error messages: the request line, headers and the start of the body, printable. */
export function describeRequest(request: RawRequest): string {
  const head = [`${request.method} ${request.target}`, ...request.headers.map(([n, v]) => `${n}: ${v}`)].join(
    " | ",
  );
  const body = request.body
    ? ` | body (${request.body.length} bytes): ${printable(new TextDecoder().decode(request.body.subarray(0, 2_000)), 300)}`
    : "";
  return printable(head) + body;
}

export async function send(api: LiveApi, request: RawRequest, timeoutMs = 10_000): Promise<RawResponse> {
  return rawExchange(api.port, encodeRequest(request), {
    timeoutMs,
    bodyless: request.method === "HEAD",
  });
}

/** The five client headers of a valid request for `userId`, as ordered pairs. */
export function clientHeaderPairs(userId: string, extra: Record<string, string> = {}): [string, string][] {
  return Object.entries(clientHeaders(userId, extra));
}

// ---------------------------------------------------------------------------------------------------
// What Bun answers on its own

/**
 * A bare Bun.serve with the most permissive settings application code can choose (production mode, an
 * error handler, Bun's default 128 MB body limit) that reads every body: a request whose answer never
 * comes from its fetch handler is answered (or dropped) by Bun's HTTP parser, which offers no hook, so
 * the service cannot shape that answer either. That covers the request line and headers, and bodies
 * whose chunked framing is broken: Bun then aborts the body read ("The connection was closed") and
 * writes its own empty 400. Everything else reaches the service's code and must keep the full contract.
 */
export interface BunOracle {
  reachesApplication(bytes: Uint8Array): Promise<boolean>;
  stop(): void;
}

/** Set by the oracle's fetch handler only when it read the whole request, body included. */
const ORACLE_HEADER = "x-fuzz-oracle";

export function startBunOracle(): BunOracle {
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    development: false,
    error: () => new Response(null, { status: 500, headers: { [ORACLE_HEADER]: "error" } }),
    fetch: async (request) => {
      try {
        // Bun never delivers some bodies (a CONNECT's is the tunnel): the handler ran all the same.
        await Promise.race([request.arrayBuffer(), Bun.sleep(200)]);
        // Bun gives a GET or HEAD no body and parses a chunked one after the handler is called; a
        // broken one is then answered by Bun itself. Answer after that would have happened.
        if (request.headers.has("transfer-encoding")) await Bun.sleep(20);
      } catch {
        return new Response(null, { status: 400, headers: { [ORACLE_HEADER]: "body-failed" } });
      }
      return new Response(null, { headers: { [ORACLE_HEADER]: "reached" } });
    },
  });
  const port = server.port ?? 0;
  return {
    reachesApplication: async (bytes) => {
      const response = await rawExchange(port, bytes, { timeoutMs: 5_000 });
      return response.headers[ORACLE_HEADER] === "reached";
    },
    stop: () => {
      server.stop(true);
    },
  };
}

/**
 * The weaker contract for a request Bun's parser answers itself: either the application answered after
 * all (Bun reports some body framing errors only once the body is read, so a route that never reads it
 * can answer first) and then the full contract holds, or Bun's own answer is a 4xx (505 for a request
 * line it reads as another HTTP version) or a close, promptly, with nothing internal in it.
 */
export function bunLevelProblems(observed: Observed, timedOut: boolean, method = "GET"): string[] {
  if (!timedOut && observed.status !== 0 && contractProblems(observed, method).length === 0) return [];
  const problems = contractProblems(observed, method).filter((problem) =>
    problem.startsWith("response contains"),
  );
  if (timedOut) problems.push("no answer and no close within the deadline");
  const { status } = observed;
  if (status !== 0 && !(status >= 400 && status <= 499) && status !== 505) {
    problems.push(`Bun answered ${status}, want 4xx or a close`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// Users, sessions and what is stored

export { clientHeaders, newUserId };

export async function openSession(api: LiveApi, userId: string): Promise<string> {
  const response = await fetch(`${api.url}/v1/sessions`, { method: "POST", headers: clientHeaders(userId) });
  if (response.status !== 201)
    throw new Error(`session not created: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { session_id: string }).session_id;
}

/** Everything a send can write for a user, compared byte-exactly on the user id. */
export interface StoredState {
  messages: string[];
  claims: string[];
  audit: number;
  sessions: string[];
}

export async function storedFor(admin: mysql.Connection, userId: string): Promise<StoredState> {
  const ids = async (sql: string) => {
    const [rows] = await admin.query(sql, [userId]);
    return (rows as { v: string }[]).map((row) => String(row.v)).sort();
  };
  const [audit] = await admin.query(
    "SELECT COUNT(*) AS n FROM hilo_app.safety_audit WHERE BINARY user_id = BINARY ?",
    [userId],
  );
  return {
    messages: await ids(
      "SELECT CONCAT(id, ':', role, ':', SHA2(content, 256)) AS v FROM hilo_app.chat_messages WHERE BINARY user_id = BINARY ?",
    ),
    claims: await ids(
      "SELECT CONCAT(id, ':', idempotency_key, ':', status, ':', attempt) AS v FROM hilo_app.turn_claims WHERE BINARY user_id = BINARY ?",
    ),
    audit: Number((audit as { n: number }[])[0]?.n ?? 0),
    sessions: await ids(
      "SELECT CONCAT(id, ':', COALESCE(title, ''), ':', last_activity_at) AS v FROM hilo_app.chat_sessions WHERE BINARY user_id = BINARY ?",
    ),
  };
}

export { adminConnection };
