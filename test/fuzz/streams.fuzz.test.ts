// Fuzz: Last-Event-ID on the event streams. Any value, as the header or as ?last_event_id=, on a
// finished turn is 400 JSON or a stream that starts clean, delivers only frames after the id in order
// and ends promptly. And while other users' turns stream live, opening streams with bad ids (past
// Redis's 64-bit range, the largest valid id, Redis's special ids, negative, spaced, huge) never
// delays them: each good turn still ends within a few seconds.
import { afterAll, beforeAll, describe, test } from "bun:test";
import fc from "fast-check";
import { readSse, type SseEvent, tokenText } from "../support/sse";
import { script, uniqueMatch } from "../support/standin";
import {
  clientHeaders,
  contractProblems,
  errorCode,
  fuzz,
  type LiveApi,
  newUserId,
  type Observed,
  observeFetch,
  openSession,
  startFuzzApi,
  testTimeout,
} from "./harness";

let api: LiveApi;
/** A finished turn and the ids of its frames, in order. */
let finished: { userId: string; sessionId: string; turnId: string; ids: string[] };

interface GoodTurn {
  ms: number;
  events: SseEvent[];
  answer: string;
  status: number;
  /** Why the read stopped before `end`, if it did. */
  stopped?: string;
}

/** A turn whose answer streams for about half a second (20 tokens at 25 ms), read to `end` or `timeoutMs`. */
async function streamGoodTurn(timeoutMs = 30_000): Promise<GoodTurn> {
  const userId = newUserId("fzgood");
  const sessionId = await openSession(api, userId);
  const match = uniqueMatch("fzgood");
  const answer = Array.from({ length: 20 }, (_, i) => `w${i}`).join(" ");
  await script(match, [{ content: answer, tokenDelayMs: 25 }]);
  const started = performance.now();
  const response = await fetch(`${api.url}/v1/sessions/${sessionId}/messages`, {
    method: "POST",
    headers: {
      ...clientHeaders(userId),
      "content-type": "application/json",
      "idempotency-key": `fz-${match}`,
    },
    body: JSON.stringify({ message: `tell me ${match}` }),
  });
  try {
    const { events } = await readSse(response, { timeoutMs });
    return { ms: performance.now() - started, events, answer, status: response.status };
  } catch (error) {
    const stopped = error instanceof Error ? error.message : String(error);
    return { ms: performance.now() - started, events: [], answer, status: response.status, stopped };
  }
}

beforeAll(async () => {
  api = await startFuzzApi();
  const userId = newUserId("fzstream");
  const sessionId = await openSession(api, userId);
  const match = uniqueMatch("fzfinished");
  await script(match, [{ content: "One two three four five six seven eight.", tokenDelayMs: 5 }]);
  const response = await fetch(`${api.url}/v1/sessions/${sessionId}/messages`, {
    method: "POST",
    headers: {
      ...clientHeaders(userId),
      "content-type": "application/json",
      "idempotency-key": `fz-${match}`,
    },
    body: JSON.stringify({ message: `count ${match}` }),
  });
  const turnId = response.headers.get("x-turn-id") ?? "";
  const { events, ended } = await readSse(response);
  if (!ended || events.at(-1)?.event !== "end") throw new Error("setup turn did not end");
  finished = { userId, sessionId, turnId, ids: events.map((event) => event.id) };
}, 30_000);

afterAll(async () => {
  await api.stop();
}, 60_000);

// ---------------------------------------------------------------------------------------------------
// Last-Event-ID values

const U64_MAX = 18446744073709551615n;

type IdSpec = { kind: "real"; index: number; pad: string } | { kind: "value"; value: string };

const idLikeArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "99999999999999999999-0",
    "18446744073709551616-0",
    "18446744073709551615-18446744073709551615",
    "18446744073709551615-0",
    "0-18446744073709551616",
    "1-18446744073709551616",
    "00000000000000000000000000001-0",
    "0-0",
    "0",
    "1",
    "-1",
    "-1-0",
    "1--1",
    "1-",
    "-",
    "1-1-1",
    "1 - 1",
    "1e3-0",
    "0x1-0",
    "\uff11-0",
    "$",
    ">",
    "+",
    "*",
    "1-*",
    "<",
    "0-*",
    " 0-0 ",
    "\t18446744073709551616-0",
    " 99999999999999999999-0",
  ),
  fc
    .tuple(fc.bigInt({ min: 0n, max: 1n << 70n }), fc.bigInt({ min: 0n, max: 1n << 70n }))
    .map(([ms, seq]) => `${ms}-${seq}`),
  fc.tuple(fc.bigInt({ min: -(1n << 64n), max: -1n }), fc.nat()).map(([ms, seq]) => `${ms}-${seq}`),
  fc.integer({ min: 21, max: 2_000 }).map((n) => `${"9".repeat(n)}-0`),
);

const idSpecArb: fc.Arbitrary<IdSpec> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.nat(), fc.constantFrom("", "", " ", "\t", "  "))
      .map(([index, pad]) => ({ kind: "real" as const, index, pad })),
  },
  { weight: 4, arbitrary: idLikeArb.map((value) => ({ kind: "value" as const, value })) },
  {
    weight: 1,
    arbitrary: fc
      .string({ maxLength: 70 })
      .filter((v) => !/[\r\n\0]/.test(v))
      .map((value) => ({ kind: "value" as const, value })),
  },
);

function idOf(spec: IdSpec): string {
  if (spec.kind === "value") return spec.value;
  const id = finished.ids[spec.index % finished.ids.length] ?? "";
  return `${spec.pad}${id}${spec.pad}`;
}

/** Exact order of Redis stream ids (unsigned 64-bit ms and sequence). */
function compareIds(a: string, b: string): number {
  const [am = 0n, as = 0n] = a.split("-").map((part) => BigInt(part));
  const [bm = 0n, bs = 0n] = b.split("-").map((part) => BigInt(part));
  return am !== bm ? (am < bm ? -1 : 1) : as === bs ? 0 : as < bs ? -1 : 1;
}

/** The id a well-behaved server resumes after, when the value is one Redis itself accepts. */
function redisIdOf(value: string): string | null {
  const match = /^(\d{1,20})-(\d{1,20})$/.exec(value.trim());
  if (!match) return null;
  const [ms, seq] = [BigInt(match[1] ?? ""), BigInt(match[2] ?? "")];
  return ms <= U64_MAX && seq <= U64_MAX ? `${ms}-${seq}` : null;
}

/** fetch sends only printable ASCII (and tab) in header values; anything else goes in the query. */
const sendableAsHeader = (value: string) => /^[\t\x20-\x7e]*$/.test(value);

/** Reads a stream until it closes or `ms` pass (then cancels it). */
async function readFor(
  response: Response,
  ms: number,
): Promise<{ text: string; closed: boolean; elapsedMs: number }> {
  const started = performance.now();
  const reader = response.body?.getReader();
  if (!reader) return { text: "", closed: true, elapsedMs: 0 };
  const decoder = new TextDecoder();
  let text = "";
  let closed = false;
  const deadline = started + ms;
  while (performance.now() < deadline) {
    const chunk = await Promise.race([
      reader.read().catch(() => ({ done: true as const, value: undefined })),
      Bun.sleep(Math.max(1, deadline - performance.now())).then(() => null),
    ]);
    if (chunk === null) break;
    if (chunk.done) {
      closed = true;
      break;
    }
    text += decoder.decode(chunk.value, { stream: true });
  }
  await reader.cancel().catch(() => {});
  return { text, closed, elapsedMs: Math.round(performance.now() - started) };
}

function framesOf(text: string): { id: string; event: string }[] {
  return text
    .split("\n\n")
    .map((frame) => ({
      id: /^id: (.*)$/m.exec(frame)?.[1],
      event: /^event: (.*)$/m.exec(frame)?.[1] ?? "message",
    }))
    .filter((frame): frame is { id: string; event: string } => frame.id !== undefined);
}

describe("fuzz: Last-Event-ID", () => {
  test(
    "resuming a finished turn from any id is 400 or a clean stream of later frames that ends promptly",
    async () => {
      await fuzz(
        fc.asyncProperty(idSpecArb, fc.constantFrom("header", "query", "both"), async (spec, where) => {
          const value = idOf(spec);
          const useHeader = (where === "header" || where === "both") && sendableAsHeader(value);
          const query = where !== "header" || !useHeader ? `?last_event_id=${encodeURIComponent(value)}` : "";
          const headers = clientHeaders(finished.userId, useHeader ? { "last-event-id": value } : {});
          const url = `${api.url}/v1/sessions/${finished.sessionId}/turns/${finished.turnId}/events${query}`;
          const response = await fetch(url, { headers });
          const problems: string[] = [];
          let observed: Observed;
          if (response.headers.get("content-type")?.startsWith("text/event-stream")) {
            const { text, closed, elapsedMs } = await readFor(response, 3_000);
            observed = {
              status: response.status,
              contentType: "text/event-stream",
              body: text,
              everything: text,
            };
            if (!closed) problems.push(`the stream of a finished turn was still open after ${elapsedMs} ms`);
            if (!text.startsWith("retry: 1000\n\n"))
              problems.push("the stream does not start with retry: 1000");
            const frames = framesOf(text);
            const after = redisIdOf(value);
            for (const [i, frame] of frames.entries()) {
              const previous = frames[i - 1];
              if (previous && compareIds(previous.id, frame.id) >= 0)
                problems.push(`frames out of order at ${frame.id}`);
              // Resuming from `end`'s own id may deliver `end` again; nothing else at or before the id.
              const endAgain = frame.event === "end" && frame.id === after;
              if (after && compareIds(frame.id, after) <= 0 && !endAgain) {
                problems.push(`frame ${frame.id} (${frame.event}) is not after Last-Event-ID ${after}`);
              }
            }
            const real = after ? finished.ids.indexOf(after) : -1;
            if (real >= 0 && real < finished.ids.length - 1) {
              const want = finished.ids.slice(real + 1);
              const got = frames.map((frame) => frame.id);
              if (JSON.stringify(got) !== JSON.stringify(want)) {
                problems.push(`resumed after ${after}: got frames ${got.join(",")}, want ${want.join(",")}`);
              }
            }
          } else {
            observed = await observeFetch(response);
            const code = errorCode(observed);
            if (response.status !== 400 || (code !== "invalid_header" && code !== "invalid_request")) {
              problems.push(`answered ${response.status} ${code}, want an event stream or 400`);
            }
            if (redisIdOf(value) !== null && finished.ids.includes(redisIdOf(value) ?? "")) {
              problems.push("a real event id of this turn was refused");
            }
          }
          problems.push(...contractProblems(observed));
          if (problems.length > 0) {
            throw new Error(
              `${problems.join("; ")}\n  Last-Event-ID ${JSON.stringify(value)} as ${useHeader ? "header" : ""}${query ? " query" : ""}\n  response: ${JSON.stringify(observed.body.slice(0, 400))}`,
            );
          }
        }),
        300,
        4_000,
        [
          [{ kind: "value", value: "99999999999999999999-0" }, "header"],
          [{ kind: "value", value: "18446744073709551616-0" }, "query"],
          [{ kind: "value", value: "18446744073709551615-18446744073709551615" }, "header"],
        ],
      );
    },
    testTimeout(4_000),
  );

  test(
    "streams opened with bad ids never delay other users' live turns",
    async () => {
      const baseline = await streamGoodTurn();
      if (baseline.events.at(-1)?.event !== "end") throw new Error("baseline turn did not end");
      // "Within a few seconds": a good turn alone takes well under one here.
      const allowedMs = Math.max(5_000, baseline.ms * 4);
      await fuzz(
        fc.asyncProperty(
          fc.array(idLikeArb, { minLength: 1, maxLength: 4 }),
          fc.constantFrom("header", "query", "attach"),
          async (badIds, where) => {
            // A turn of another user that stays running while the bad streams are open.
            const userId = newUserId("fzbad");
            const sessionId = await openSession(api, userId);
            const match = uniqueMatch("fzbad");
            await script(match, [{ content: "slow answer", delayMs: 2_500, tokenDelayMs: 0 }]);
            const key = `fz-${match}`;
            const body = JSON.stringify({ message: `wait ${match}` });
            const sendHeaders = {
              ...clientHeaders(userId),
              "content-type": "application/json",
              "idempotency-key": key,
            };
            const accepted = await fetch(`${api.url}/v1/sessions/${sessionId}/messages`, {
              method: "POST",
              headers: { ...sendHeaders, prefer: "respond-async" },
              body,
            });
            const { turn_id: turnId } = (await accepted.json()) as { turn_id: string };
            const aborts = badIds.map(() => new AbortController());
            const badStreams = badIds.map((id, i) => {
              const signal = aborts[i]?.signal;
              if (where === "attach") {
                return fetch(`${api.url}/v1/sessions/${sessionId}/messages`, {
                  method: "POST",
                  headers: { ...sendHeaders, "last-event-id": id },
                  body,
                  signal,
                });
              }
              const base = `${api.url}/v1/sessions/${sessionId}/turns/${turnId}/events`;
              return where === "query"
                ? fetch(`${base}?last_event_id=${encodeURIComponent(id)}`, {
                    headers: clientHeaders(userId),
                    signal,
                  })
                : fetch(base, { headers: clientHeaders(userId, { "last-event-id": id }), signal });
            });
            try {
              const opened = await Promise.all(badStreams);
              // Let the shared reader's next read include whatever the bad streams subscribed.
              await Bun.sleep(100);
              const good = await Promise.all([
                streamGoodTurn(allowedMs + 1_000),
                streamGoodTurn(allowedMs + 1_000),
              ]);
              const problems: string[] = [];
              for (const turn of good) {
                if (turn.stopped) {
                  problems.push(`a good turn did not end within ${allowedMs + 1_000} ms: ${turn.stopped}`);
                } else if (turn.events.at(-1)?.event !== "end" || tokenText(turn.events) !== turn.answer) {
                  problems.push(`a good turn did not stream its whole answer and end (${turn.status})`);
                } else if (turn.ms > allowedMs) {
                  problems.push(
                    `a good turn took ${Math.round(turn.ms)} ms (alone: ${Math.round(baseline.ms)} ms)`,
                  );
                }
              }
              for (const response of opened) {
                const observed = await observeFetch(response, 100);
                problems.push(...contractProblems(observed));
                if (response.status === 200 && !observed.body.startsWith("retry: 1000\n\n")) {
                  problems.push("a resumed stream does not start with retry: 1000");
                }
              }
              if (problems.length > 0) {
                throw new Error(`${problems.join("; ")}\n  bad ids ${JSON.stringify(badIds)} as ${where}`);
              }
            } finally {
              for (const controller of aborts) controller.abort();
            }
          },
        ),
        5,
        9_000,
        [
          [["99999999999999999999-0"], "header"],
          [["18446744073709551616-0"], "query"],
        ],
      );
    },
    testTimeout(15_000),
  );
});
