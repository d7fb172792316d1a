// Fuzz: `cursor` and `limit` on the three lists (sessions, a session's messages, memories). Whatever
// the cursor holds (base64url JSON with odd `t` values: past DATETIME's range, negative, fractional,
// strings; random text; a real cursor cut or altered) and whatever the limit, the answer is the list
// (200) or 400 `invalid_request`, never a 5xx; a cursor the API itself issued is always accepted.
import { afterAll, beforeAll, describe, test } from "bun:test";
import fc from "fast-check";
import {
  clientHeaderPairs,
  contractProblems,
  describeRequest,
  errorCode,
  failWith,
  fuzz,
  type Generated,
  type LiveApi,
  newUserId,
  noMarker,
  observeRaw,
  openSession,
  type RawRequest,
  send,
  startFuzzApi,
  testTimeout,
} from "./harness";

let api: LiveApi;
/** A user with three sessions, and the cursor of the second page of their list at limit 1. */
let paged: { userId: string; cursor: string };

beforeAll(async () => {
  api = await startFuzzApi();
  const userId = newUserId("fzpage");
  for (let i = 0; i < 3; i++) await openSession(api, userId);
  const response = await fetch(`${api.url}/v1/sessions?limit=1`, {
    headers: Object.fromEntries(clientHeaderPairs(userId)),
  });
  const body = (await response.json()) as { next_cursor: string | null };
  if (!body.next_cursor) throw new Error("a list of three at limit 1 has no next_cursor");
  paged = { userId, cursor: body.next_cursor };
});

afterAll(async () => {
  await api.stop();
});

// ---------------------------------------------------------------------------------------------------
// Cursors and limits

const b64url = (value: string) => Buffer.from(value, "utf8").toString("base64url");

/** Timestamps a cursor could carry: in range, past DATETIME(3) and Date's range, negative, fractional. */
const tArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: 0, max: Date.UTC(9999, 11, 31) }),
  fc.constantFrom(
    8.64e15,
    8.64e15 + 1,
    9e15,
    Number.MAX_SAFE_INTEGER,
    Number.MAX_VALUE,
    1e308,
    253402300800000,
    253402300799999,
    -1,
    -0,
    -8.64e15,
    0.5,
    1.5e-300,
    1700000000000.5,
  ),
  fc.double(),
  fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
  fc.string({ maxLength: 20 }),
  fc.constantFrom(null, true, [], {}, "1700000000000", "NaN", "Infinity"),
);

const idArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.uuid({ version: 7 }),
  fc.uuid({ version: 7 }).map((id) => id.toUpperCase()),
  fc.uuid({ version: 4 }),
  fc.string({ maxLength: 40 }),
  fc.constantFrom("", " ", "0", "z".repeat(37), null, 7, ["x"]),
);

const cursorArb: fc.Arbitrary<string | null> = fc
  .oneof(
    { weight: 2, arbitrary: fc.constant(null) },
    { weight: 6, arbitrary: fc.record({ t: tArb, id: idArb }).map((c) => b64url(JSON.stringify(c))) },
    {
      weight: 2,
      arbitrary: fc
        .record({ t: tArb, id: idArb, extra: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] })
        .map((c) => b64url(JSON.stringify(c))),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => b64url(JSON.stringify(v) ?? "")) },
    { weight: 2, arbitrary: fc.base64String({ maxLength: 220 }) },
    { weight: 2, arbitrary: fc.string({ maxLength: 220 }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
    {
      weight: 3,
      // A real cursor, cut, extended or with one character replaced; or as issued (index -1).
      arbitrary: fc
        .tuple(fc.integer({ min: -1, max: 60 }), fc.constantFrom("cut", "append", "replace"))
        .map(([at, how]) => `REAL:${how}:${at}`),
    },
  )
  .filter((c) => c === null || noMarker(c));

function realCursor(spec: string): string {
  const [, how, atText] = spec.split(":");
  const at = Number(atText);
  const real = paged.cursor;
  if (at < 0) return real;
  if (how === "cut") return real.slice(0, at % real.length);
  if (how === "append") return `${real}${"A=_-".charAt(at % 4)}`;
  const i = at % real.length;
  return `${real.slice(0, i)}${real.charAt(i) === "A" ? "B" : "A"}${real.slice(i + 1)}`;
}

const limitArb: fc.Arbitrary<string | null> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 100 }).map(String) },
  { weight: 3, arbitrary: fc.integer().map(String) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "0",
      "101",
      "-1",
      "-0",
      "1.5",
      "20.0",
      "1e2",
      "1e400",
      "0x10",
      "",
      " 5",
      "5 ",
      "05",
      "+5",
      "Infinity",
      "NaN",
      "\uff15",
      "99999999999999999999999",
      "null",
      "[]",
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }).filter(noMarker) },
);

/** How the query is written: encoded, raw (as typed), or with the parameter repeated or bracketed. */
const shapeArb = fc.constantFrom("encoded", "encoded", "encoded", "raw", "repeated", "bracket", "bare");

const LISTS = ["sessions", "messages", "memories"] as const;

const caseArb = fc.record({
  list: fc.constantFrom(...LISTS),
  cursor: cursorArb,
  limit: limitArb,
  shape: shapeArb,
});

type PageCase = Generated<typeof caseArb>;

function query(name: string, value: string, shape: string): string {
  switch (shape) {
    case "raw":
      // As typed, less what cannot stand in a request line at all (Bun's parser refuses those itself:
      // raw-requests.fuzz covers them).
      return `${name}=${[...value].filter((c) => c > " " && c !== "\u007f" && c !== "#").join("")}`;
    case "repeated":
      return `${name}=${encodeURIComponent(value)}&${name}=${encodeURIComponent(value)}`;
    case "bracket":
      return `${name}[]=${encodeURIComponent(value)}`;
    case "bare":
      return value === "" ? name : `${name}=${encodeURIComponent(value)}`;
    default:
      return `${name}=${encodeURIComponent(value)}`;
  }
}

/** A plain decimal 1-100: the README's valid limit, whatever else a server may also accept. */
const CANONICAL_LIMIT = /^(100|[1-9][0-9]?)$/;

describe("fuzz: pagination", () => {
  test(
    "any cursor and limit is the list or 400 invalid_request; an issued cursor is always accepted",
    async () => {
      await fuzz(
        fc.asyncProperty(caseArb, async (generated: PageCase) => {
          // An issued cursor is presented by the user it was issued to, on the list it came from.
          const real = generated.cursor?.startsWith("REAL:") ?? false;
          const owner = real && generated.list === "sessions";
          const userId = owner ? paged.userId : newUserId("fzpage");
          const cursor = generated.cursor !== null && real ? realCursor(generated.cursor) : generated.cursor;
          const path =
            generated.list === "messages"
              ? `/v1/sessions/${await openSession(api, userId)}/messages`
              : `/v1/${generated.list}`;
          const params = [
            cursor === null ? null : query("cursor", cursor, generated.shape),
            generated.limit === null ? null : query("limit", generated.limit, generated.shape),
          ].filter((p) => p !== null);
          const request: RawRequest = {
            method: "GET",
            target: params.length > 0 ? `${path}?${params.join("&")}` : path,
            headers: [["Host", "hilo.test"], ...clientHeaderPairs(userId)],
          };
          const observed = observeRaw(await send(api, request));
          const problems = contractProblems(observed);
          const { status } = observed;
          if (status !== 200 && status !== 400) problems.push(`status ${status}, want 200 or 400`);
          if (status === 400 && errorCode(observed) !== "invalid_request") {
            problems.push(`400 with code ${errorCode(observed)}, want invalid_request`);
          }
          const plain = generated.shape === "encoded" || generated.shape === "bare";
          const limitOk = generated.limit === null || CANONICAL_LIMIT.test(generated.limit);
          const cursorOk = cursor === null || (owner && cursor === paged.cursor);
          if (plain && limitOk && cursorOk && status !== 200) {
            problems.push(`a valid page request (issued cursor or none, limit 1-100) answered ${status}`);
          }
          if (status === 200) {
            const body = JSON.parse(observed.body) as Record<string, unknown>;
            const key = generated.list;
            const items = body[key];
            // The page size is only known when the limit was sent plainly (a bracketed one may be ignored).
            const limit = plain && generated.limit !== null && limitOk ? Number(generated.limit) : 100;
            if (!Array.isArray(items) || items.length > limit)
              problems.push(`200 without a valid ${key} page`);
            if (body.next_cursor !== null && typeof body.next_cursor !== "string") {
              problems.push("next_cursor is neither null nor a string");
            }
          }
          failWith(problems, describeRequest(request), observed);
        }),
        600,
        4_000,
        [
          [
            {
              list: "sessions",
              cursor: b64url(JSON.stringify({ t: 9e15, id: "a" })),
              limit: null,
              shape: "encoded",
            },
          ],
          [
            {
              list: "memories",
              cursor: b64url(JSON.stringify({ t: 8.64e15 + 1, id: "a" })),
              limit: "5",
              shape: "encoded",
            },
          ],
          [
            {
              list: "messages",
              cursor: b64url(JSON.stringify({ t: -1, id: "a" })),
              limit: null,
              shape: "encoded",
            },
          ],
          [{ list: "sessions", cursor: "REAL:cut:-1", limit: "1", shape: "encoded" }],
        ],
      );
    },
    testTimeout(4_000),
  );
});
