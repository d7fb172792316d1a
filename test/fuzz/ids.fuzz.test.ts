// Fuzz: ids are exact. A path id that is not byte for byte one of the acting user's ids (another
// case, a trailing %20 or NUL, a zero-width or accented variant, another user's UUIDv7, random text)
// names nothing: 404 (or 400), nothing read, nothing changed. An X-User-ID differing only in case from
// a user with data sees none of that data (lists, profile, sessions, the prompt of a new session), and
// Idempotency-Keys differing only in case are two keys.
import { afterAll, beforeAll, describe, test } from "bun:test";
import fc from "fast-check";
import type mysql from "mysql2/promise";
import { memories } from "../../src/db/schema";
import { bpReadingsCollection } from "../../src/readings/documents";
import { readSse } from "../support/sse";
import { seedUserProfile } from "../support/stack";
import { script, uniqueMatch } from "../support/standin";
import {
  adminConnection,
  clientHeaderPairs,
  clientHeaders,
  contractProblems,
  describeRequest,
  failWith,
  fuzz,
  type Generated,
  type LiveApi,
  newUserId,
  observeRaw,
  openSession,
  type RawRequest,
  send,
  startFuzzApi,
  storedFor,
  testTimeout,
} from "./harness";

/** A user with one of everything: a session with a finished turn, a memory, a profile. */
interface Holder {
  userId: string;
  sessionId: string;
  turnId: string;
  memoryId: string;
  memoryText: string;
  firstName: string;
  watchId: string;
  /** The assistant's answer in the finished turn, unique to this holder. */
  answer: string;
  /** The systolic value of the one blood-pressure reading on the holder's watch, unique to it. */
  systolic: number;
}

let api: LiveApi;
let admin: mysql.Connection;
let owner: Holder;
let other: Holder;

async function finishedTurn(userId: string, sessionId: string, answer: string): Promise<string> {
  const match = uniqueMatch("fzids");
  await script(match, [{ content: answer, tokenDelayMs: 0 }]);
  const response = await fetch(`${api.url}/v1/sessions/${sessionId}/messages`, {
    method: "POST",
    headers: {
      ...clientHeaders(userId),
      "content-type": "application/json",
      "idempotency-key": `fz-${match}`,
    },
    body: JSON.stringify({ message: `remember this ${match}` }),
  });
  const turnId = response.headers.get("x-turn-id");
  const { ended } = await readSse(response, { timeoutMs: 20_000 });
  if (response.status !== 200 || !turnId || !ended) throw new Error(`setup turn failed: ${response.status}`);
  return turnId;
}

async function holder(prefix: string): Promise<Holder> {
  const userId = newUserId(prefix);
  const firstName = `Fz${crypto.randomUUID().slice(0, 8)}name`;
  const watchId = `fzwatch-${crypto.randomUUID().slice(0, 8)}`;
  await seedUserProfile({ userId, watchId, firstName, timezone: "Europe/London" });
  const memoryId = Bun.randomUUIDv7();
  const memoryText = `fz fact ${crypto.randomUUID().slice(0, 8)}`;
  await api.deps.appDb.db
    .insert(memories)
    .values({ id: memoryId, userId, content: memoryText, embedding: [], embeddingModel: "fuzz" });
  const systolic = 150 + Math.floor(Math.random() * 60);
  await bpReadingsCollection(api.deps.mongo.db).insertOne({
    watch_id: watchId,
    at: new Date(Date.now() - 3_600_000),
    systolic,
    diastolic: 97,
    pulse: 71,
  });
  const sessionId = await openSession(api, userId);
  const answer = `Noted ${crypto.randomUUID().slice(0, 8)}.`;
  const turnId = await finishedTurn(userId, sessionId, answer);
  return { userId, sessionId, turnId, memoryId, memoryText, firstName, watchId, answer, systolic };
}

beforeAll(async () => {
  api = await startFuzzApi();
  admin = await adminConnection();
  [owner, other] = await Promise.all([holder("fzowner"), holder("fzother")]);
}, 60_000);

afterAll(async () => {
  await admin.end();
  await api.stop();
});

// ---------------------------------------------------------------------------------------------------
// Id and user variants

/** Look-alikes of the hex letters and digits in UUIDs that some collations compare as equal. */
const LOOKALIKE: Record<string, string> = {
  a: "\u00e1",
  b: "\u1e03",
  c: "\u00e7",
  d: "\u010f",
  e: "\u00e9",
  f: "\u1e1f",
  "0": "\uff10",
  "1": "\uff11",
  "7": "\uff17",
};

type IdVariant =
  | { kind: "exact" }
  | { kind: "upper" }
  | { kind: "flip"; at: number[] }
  | { kind: "suffix"; text: string }
  | { kind: "prefix"; text: string }
  | { kind: "lookalike"; at: number }
  | { kind: "others" }
  | { kind: "uuid"; id: string }
  | { kind: "random"; text: string };

const idVariantArb: fc.Arbitrary<IdVariant> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: "exact" as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: "upper" as const }) },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.nat(35), { minLength: 1, maxLength: 4 })
      .map((at) => ({ kind: "flip" as const, at })),
  },
  {
    weight: 4,
    arbitrary: fc
      .constantFrom(
        "%20",
        "%09",
        "%00",
        "%E2%80%8B",
        "%C2%A0",
        "%EF%BB%BF",
        "%CC%81",
        "%20%20",
        "+",
        "%2F",
        ".",
        "/",
        "%0A",
      )
      .map((t) => ({ kind: "suffix" as const, text: t })),
  },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom("%20", "./", "x/../", "%2e/", "%00", "%E2%80%8B")
      .map((t) => ({ kind: "prefix" as const, text: t })),
  },
  { weight: 2, arbitrary: fc.nat(35).map((at) => ({ kind: "lookalike" as const, at })) },
  { weight: 2, arbitrary: fc.constant({ kind: "others" as const }) },
  { weight: 1, arbitrary: fc.uuid({ version: 7 }).map((id) => ({ kind: "uuid" as const, id })) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((t) => ({ kind: "random" as const, text: t })) },
);

function flipCase(value: string, positions: number[]): string {
  const chars = [...value];
  for (const at of positions) {
    const i = at % chars.length;
    const c = chars[i] ?? "";
    chars[i] = c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
  }
  return chars.join("");
}

/** The path segment(s) sent for `id`, whose look-alike in the other holder is `othersId`. */
function applyVariant(id: string, othersId: string, variant: IdVariant): string {
  switch (variant.kind) {
    case "exact":
      return id;
    case "upper":
      return id.toUpperCase();
    case "flip":
      return flipCase(id, variant.at);
    case "suffix":
      return `${id}${variant.text}`;
    case "prefix":
      return `${variant.text}${id}`;
    case "lookalike": {
      const letters = [...id].map((c, i) => [c, i] as const).filter(([c]) => LOOKALIKE[c] !== undefined);
      const [c, i] = letters[variant.at % Math.max(1, letters.length)] ?? ["", -1];
      if (i < 0) return `${id}%E2%80%8B`;
      return `${id.slice(0, i)}${encodeURIComponent(LOOKALIKE[c] ?? "")}${id.slice(i + 1)}`;
    }
    case "others":
      return othersId;
    case "uuid":
      return variant.id;
    case "random":
      return encodeURIComponent(variant.text);
  }
}

type Actor = { kind: "owner" } | { kind: "other" } | { kind: "caseVariant"; at: number[] };

const actorArb: fc.Arbitrary<Actor> = fc.oneof(
  fc.constant({ kind: "owner" as const }),
  fc.constant({ kind: "other" as const }),
  fc.array(fc.nat(63), { minLength: 1, maxLength: 6 }).map((at) => ({ kind: "caseVariant" as const, at })),
);

/** The acting user id: the owner, the other holder, or the owner's id in another case (never equal). */
function actorId(actor: Actor): string {
  if (actor.kind === "owner") return owner.userId;
  if (actor.kind === "other") return other.userId;
  const flipped = flipCase(owner.userId, actor.at);
  return flipped === owner.userId ? owner.userId.toUpperCase() : flipped;
}

// ---------------------------------------------------------------------------------------------------
// Routes over the owner's resources

type RouteName = "messages" | "turn" | "events" | "send" | "deleteMemory";

const routeArb = fc.record({
  route: fc.constantFrom<RouteName>("messages", "turn", "events", "send", "deleteMemory"),
  /** For the turn routes: which of the two ids is varied (the other one is exact). */
  varied: fc.constantFrom("session", "turn"),
  variant: idVariantArb,
  actor: actorArb,
});

type IdCase = Generated<typeof routeArb>;

/** Every case but a holder deleting their own memory by its exact id (a run that only costs a restore). */
const idCaseArb = routeArb.filter(
  ({ route, actor, variant }) =>
    !(
      route === "deleteMemory" &&
      ((actor.kind === "owner" && variant.kind === "exact") ||
        (actor.kind === "other" && variant.kind === "others"))
    ),
);

async function restoreMemory(holder: Holder): Promise<void> {
  if (await memoryExists(holder.memoryId)) return;
  await api.deps.appDb.db.insert(memories).values({
    id: holder.memoryId,
    userId: holder.userId,
    content: holder.memoryText,
    embedding: [],
    embeddingModel: "fuzz",
  });
}

function targetOf(generated: IdCase): { method: string; target: string; body?: string } {
  const session =
    generated.varied === "session" || generated.route === "messages" || generated.route === "send";
  const sessionSegment = session
    ? applyVariant(owner.sessionId, other.sessionId, generated.variant)
    : owner.sessionId;
  const turnSegment = session ? owner.turnId : applyVariant(owner.turnId, other.turnId, generated.variant);
  switch (generated.route) {
    case "messages":
      return { method: "GET", target: `/v1/sessions/${sessionSegment}/messages` };
    case "turn":
      return { method: "GET", target: `/v1/sessions/${sessionSegment}/turns/${turnSegment}` };
    case "events":
      return { method: "GET", target: `/v1/sessions/${sessionSegment}/turns/${turnSegment}/events` };
    case "send":
      return {
        method: "POST",
        target: `/v1/sessions/${sessionSegment}/messages`,
        body: JSON.stringify({ message: "fuzz exactness probe" }),
      };
    case "deleteMemory":
      return {
        method: "DELETE",
        target: `/v1/memories/${applyVariant(owner.memoryId, other.memoryId, generated.variant)}`,
      };
  }
}

/** The decoded path segments the server should act on (after dot segments are resolved). */
function resolvedSegments(target: string): string[] {
  const raw = new URL(target, "http://hilo.test").pathname.split("/").slice(1);
  // One trailing slash on the whole path is the same route (Elysia's default loose matching).
  if (raw.length > 1 && raw.at(-1) === "") raw.pop();
  return raw.map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  });
}

/**
 * Whether the request names exactly one of the holder's resources on the route it was meant for,
 * segment by segment (an encoded slash stays inside its segment).
 */
function namesResourceOf(holder: Holder, route: RouteName, target: string): boolean {
  const { sessionId, turnId, memoryId } = holder;
  const wanted: Record<RouteName, string[]> = {
    messages: ["v1", "sessions", sessionId, "messages"],
    send: ["v1", "sessions", sessionId, "messages"],
    turn: ["v1", "sessions", sessionId, "turns", turnId],
    events: ["v1", "sessions", sessionId, "turns", turnId, "events"],
    deleteMemory: ["v1", "memories", memoryId],
  };
  return JSON.stringify(resolvedSegments(target)) === JSON.stringify(wanted[route]);
}

/** Follows the turn's events to `end`, so nothing it writes lands after the caller moves on. */
async function waitUntilEnded(userId: string, sessionId: string, turnId: string): Promise<void> {
  const response = await fetch(`${api.url}/v1/sessions/${sessionId}/turns/${turnId}/events`, {
    headers: clientHeaders(userId),
  });
  await readSse(response, { timeoutMs: 20_000 });
}

async function memoryExists(memoryId: string): Promise<boolean> {
  const [rows] = await admin.query("SELECT COUNT(*) AS n FROM hilo_app.memories WHERE BINARY id = BINARY ?", [
    memoryId,
  ]);
  return Number((rows as { n: number }[])[0]?.n ?? 0) === 1;
}

describe("fuzz: ids are exact", () => {
  test(
    "a path id or user that is not exactly the owner's reaches nothing of the owner's and changes nothing",
    async () => {
      await fuzz(
        fc.asyncProperty(idCaseArb, async (generated) => {
          const userId = actorId(generated.actor);
          const { method, target, body } = targetOf(generated);
          const actor =
            generated.actor.kind === "owner" ? owner : generated.actor.kind === "other" ? other : null;
          const legit = actor !== null && namesResourceOf(actor, generated.route, target);
          const headers: [string, string][] = [["Host", "hilo.test"], ...clientHeaderPairs(userId)];
          if (method === "POST") {
            headers.push(
              ["Content-Type", "application/json"],
              ["Idempotency-Key", `fz-${crypto.randomUUID()}`],
            );
            headers.push(["Prefer", "respond-async"]);
          }
          const request: RawRequest = {
            method,
            target,
            headers,
            body: body === undefined ? undefined : new TextEncoder().encode(body),
          };
          const before = await Promise.all(
            [owner, other].map((h) => storedFor(admin, h.userId)).concat(storedFor(admin, userId)),
          );
          const observed = observeRaw(await send(api, request));
          const problems = contractProblems(observed, method);
          const { status } = observed;
          if (legit) {
            const want = method === "POST" ? 202 : method === "DELETE" ? 204 : 200;
            if (method === "DELETE" && actor) await restoreMemory(actor);
            if (status !== want) problems.push(`the user's own resource answered ${status}, want ${want}`);
            if (method === "POST" && status === 202 && actor) {
              const { turn_id } = JSON.parse(observed.body) as { turn_id: string };
              await waitUntilEnded(actor.userId, actor.sessionId, turn_id);
            }
          } else {
            if (status !== 404 && status !== 400) {
              problems.push(`${generated.actor.kind} reached ${method} ${target}: ${status}, want 404`);
            }
            for (const holder of [owner, other].filter((h) => h !== actor)) {
              for (const secret of [holder.turnId, holder.memoryText, holder.firstName, holder.answer]) {
                // A 404 may echo the path it was asked for; only what the request did not carry counts.
                if (observed.body.includes(secret) && !target.includes(secret))
                  problems.push(`response shows another user's ${JSON.stringify(secret)}`);
              }
            }
            const after = await Promise.all(
              [owner, other].map((h) => storedFor(admin, h.userId)).concat(storedFor(admin, userId)),
            );
            if (JSON.stringify(after) !== JSON.stringify(before)) {
              problems.push(`a refused ${method} changed stored rows: ${JSON.stringify({ before, after })}`);
            }
            for (const holder of [owner, other]) {
              if (await memoryExists(holder.memoryId)) continue;
              problems.push(`${holder.userId}'s memory is gone`);
              // Put it back so the remaining runs (and the shrinking) still have something to reach.
              await restoreMemory(holder);
            }
          }
          failWith(problems, `${generated.actor.kind} as ${userId}: ${describeRequest(request)}`, observed);
        }),
        150,
        6_000,
        [
          [{ route: "messages", varied: "session", variant: { kind: "upper" }, actor: { kind: "owner" } }],
          [
            {
              route: "messages",
              varied: "session",
              variant: { kind: "suffix", text: "%20" },
              actor: { kind: "owner" },
            },
          ],
          [
            {
              route: "turn",
              varied: "turn",
              variant: { kind: "suffix", text: "%E2%80%8B" },
              actor: { kind: "owner" },
            },
          ],
          [
            {
              route: "deleteMemory",
              varied: "session",
              variant: { kind: "upper" },
              actor: { kind: "owner" },
            },
          ],
          [
            {
              route: "messages",
              varied: "session",
              variant: { kind: "exact" },
              actor: { kind: "caseVariant", at: [0] },
            },
          ],
        ],
      );
    },
    testTimeout(6_000),
  );

  test(
    "an X-User-ID differing only in case sees none of the owner's data: lists, profile, a new session's prompt",
    async () => {
      await fuzz(
        fc.asyncProperty(
          fc.array(fc.nat(63), { minLength: 1, maxLength: 8 }),
          fc.constantFrom("sessions", "memories", "me", "newSession"),
          async (flips, what) => {
            const userId = actorId({ kind: "caseVariant", at: flips });
            const headers = clientHeaders(userId);
            const problems: string[] = [];
            let seen = "";
            if (what === "newSession") {
              const sessionId = await openSession(api, userId);
              const [rows] = await admin.query(
                "SELECT system_prompt AS p FROM hilo_app.chat_sessions WHERE BINARY id = BINARY ?",
                [sessionId],
              );
              seen = String((rows as { p: string }[])[0]?.p ?? "");
            } else {
              const response = await fetch(`${api.url}/v1/${what}`, { headers });
              const observed = await response.text();
              seen = observed;
              if (what === "me" && response.status !== 404) {
                problems.push(
                  `GET /v1/me answered ${response.status}, want 404 (no profile of this exact id)`,
                );
              }
              if (what !== "me" && response.status !== 200) problems.push(`list answered ${response.status}`);
            }
            for (const secret of [
              owner.sessionId,
              owner.memoryId,
              owner.memoryText,
              owner.firstName,
              owner.watchId,
              owner.answer,
            ]) {
              if (seen.includes(secret)) problems.push(`shows the owner's ${JSON.stringify(secret)}`);
            }
            if (problems.length > 0) {
              throw new Error(
                `${problems.join("; ")}\n  as X-User-ID ${userId} (owner ${owner.userId}), ${what}\n  saw: ${seen.slice(0, 400)}`,
              );
            }
          },
        ),
        24,
        3_000,
        [
          [[0], "sessions"],
          [[0], "memories"],
          [[0], "me"],
          [[0], "newSession"],
        ],
      );
    },
    testTimeout(3_000),
  );

  test(
    "an X-User-ID differing only in case never reads the owner's watch data through the chat's tools",
    async () => {
      await fuzz(
        fc.asyncProperty(fc.array(fc.nat(63), { minLength: 1, maxLength: 8 }), async (flips) => {
          const userId = actorId({ kind: "caseVariant", at: flips });
          const sessionId = await openSession(api, userId);
          const match = uniqueMatch("fzwatch");
          await script(match, [
            { tool_calls: [{ name: "get_latest_bp_reading", arguments: {} }] },
            { content: "Here is what I found.", tokenDelayMs: 0 },
          ]);
          const response = await fetch(`${api.url}/v1/sessions/${sessionId}/messages`, {
            method: "POST",
            headers: {
              ...clientHeaders(userId),
              "content-type": "application/json",
              "idempotency-key": `fz-${match}`,
            },
            body: JSON.stringify({ message: `what was my last reading? ${match}` }),
          });
          const { events } = await readSse(response, { timeoutMs: 20_000 });
          const result = events.find((event) => event.event === "tool_result");
          const shown = JSON.stringify(result?.data ?? null);
          if (shown.includes(`"systolic":${owner.systolic}`)) {
            throw new Error(
              `as X-User-ID ${userId}, get_latest_bp_reading returned the reading of ${owner.userId}'s watch: ${shown}`,
            );
          }
        }),
        3,
        3_000,
        [[[0]]],
      );
    },
    testTimeout(3_000),
  );

  test(
    "Idempotency-Keys that differ only in case are two keys: two turns, neither refused as reused",
    async () => {
      const keyArb = fc
        .tuple(
          fc.stringMatching(/^[\x21-\x7e]{8,100}$/),
          fc.array(fc.nat(127), { minLength: 1, maxLength: 6 }),
        )
        .filter(([key]) => /[A-Za-z]/.test(key))
        .map(([key, flips]) => {
          let variant = flipCase(key, flips);
          if (variant === key)
            variant = key.replace(/[A-Za-z]/, (c) =>
              c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase(),
            );
          return { key, variant };
        });
      await fuzz(
        fc.asyncProperty(keyArb, fc.boolean(), async ({ key, variant }, sameBody) => {
          const userId = newUserId("fzkey");
          const sessionId = await openSession(api, userId);
          const match = uniqueMatch("fzkey");
          await script(match, [
            { content: "One.", tokenDelayMs: 0 },
            { content: "Two.", tokenDelayMs: 0 },
          ]);
          const sendWith = (idempotencyKey: string, message: string) =>
            fetch(`${api.url}/v1/sessions/${sessionId}/messages`, {
              method: "POST",
              headers: {
                ...clientHeaders(userId),
                "content-type": "application/json",
                "idempotency-key": idempotencyKey,
                prefer: "respond-async",
              },
              body: JSON.stringify({ message }),
            });
          const first = await sendWith(key, `first question ${match}`);
          const second = await sendWith(
            variant,
            sameBody ? `first question ${match}` : `second question ${match}`,
          );
          const bodies = [await first.text(), await second.text()];
          const problems: string[] = [];
          if (first.status !== 202 || second.status !== 202) {
            problems.push(`answered ${first.status} then ${second.status}, want 202 twice`);
          } else {
            const [a, b] = bodies.map((text) => (JSON.parse(text) as { turn_id: string }).turn_id);
            if (a === b) problems.push(`both keys attached to one turn ${a}`);
          }
          const stored = await storedFor(admin, userId);
          if (stored.claims.length !== 2) problems.push(`${stored.claims.length} claims stored, want 2`);
          if (problems.length > 0) {
            throw new Error(
              `${problems.join("; ")}\n  keys ${JSON.stringify(key)} and ${JSON.stringify(variant)}\n  answers: ${bodies.join(" / ")}`,
            );
          }
        }),
        6,
        4_000,
        [
          [{ key: "CaseKey-1", variant: "casekey-1" }, false],
          [{ key: "CaseKey-1", variant: "casekey-1" }, true],
        ],
      );
    },
    testTimeout(4_000),
  );
});
