// Fuzz: the five client headers (valid, invalid, unicode, huge, control characters, repeated, missing)
// on every /v1 route of the real listening service. Every response keeps the contract (no 5xx, the one
// JSON error shape, nothing internal); a bad key is 401, another bad header 400 naming a header, and a
// request with five good headers reaches its route.
import { afterAll, beforeAll, describe, test } from "bun:test";
import fc from "fast-check";
import type mysql from "mysql2/promise";
import { TEST_API_KEY } from "../support/stack";
import {
  adminConnection,
  type BunOracle,
  bunLevelProblems,
  contractProblems,
  describeRequest,
  encodeRequest,
  errorCode,
  failWith,
  fuzz,
  type Generated,
  type LiveApi,
  noMarker,
  observeRaw,
  type RawRequest,
  repeated,
  send,
  startBunOracle,
  startFuzzApi,
  storedFor,
  type Text,
  testTimeout,
  text,
} from "./harness";

let api: LiveApi;
let oracle: BunOracle;
let admin: mysql.Connection;

beforeAll(async () => {
  api = await startFuzzApi();
  oracle = startBunOracle();
  admin = await adminConnection();
});

afterAll(async () => {
  await admin.end();
  oracle.stop();
  await api.stop();
});

// ---------------------------------------------------------------------------------------------------
// Header values and what the contract (README, "API") says about them

/** true: valid by the README; false: invalid by it; "either": the README does not settle it. */
type Validity = boolean | "either";

interface HeaderCase {
  /** null: the header is not sent. */
  value: Text | null;
  validity: Validity;
  /** Sent twice (how a server joins or picks is not part of the contract). */
  twice?: boolean;
  /** Header name spelling (names are case-insensitive in HTTP). */
  nameCase?: "canonical" | "lower" | "upper";
}

const HEADERS = ["X-API-Key", "X-User-ID", "X-Timezone", "X-Platform", "X-App-Version"] as const;
type HeaderName = (typeof HEADERS)[number];

const USER_ID = /^[A-Za-z0-9_.-]{1,64}$/;
/** HTTP drops leading and trailing spaces and tabs of a header value. */
const trimOws = (value: string) => value.replace(/^[ \t]+|[ \t]+$/g, "");

function intlAccepts(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function classify(name: HeaderName, raw: string): Validity {
  const value = trimOws(raw);
  // Characters HTTP forbids in a field value: Bun refuses the request before the app (the oracle knows).
  if ([...value].some((c) => (c < " " && c !== "\t") || c === "\u007f")) return false;
  switch (name) {
    case "X-API-Key":
      return value === TEST_API_KEY;
    case "X-User-ID":
      return USER_ID.test(value);
    case "X-Timezone":
      if (value === "" || /^[+\-\u2212]|^(utc|gmt)\s*[+-]/i.test(value)) return false;
      return intlAccepts(value) ? "either" : false;
    case "X-Platform":
      if (["ios", "android", "web"].includes(value)) return true;
      return ["ios", "android", "web"].includes(value.toLowerCase()) ? "either" : false;
    case "X-App-Version":
      if (/^\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(value)) return true;
      return /^\d+\.\d+(\.\d+)?([-+][0-9A-Za-z.-]+)?$/.test(value) ? "either" : false;
  }
}

const anyText = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom("", " ", "null", "undefined", "0", "-1", "true", "[]", "{}", "%00", "../../etc/passwd"),
);

/** Valid values per header; the user id gets a unique suffix at send time. */
const validValues: Record<HeaderName, fc.Arbitrary<string>> = {
  "X-API-Key": fc.constant(TEST_API_KEY),
  "X-User-ID": fc.stringMatching(/^[A-Za-z0-9_.-]{0,50}$/),
  "X-Timezone": fc.constantFrom(
    ...Intl.supportedValuesOf("timeZone"),
    "UTC",
    "Etc/GMT+5",
    "America/Argentina/Buenos_Aires",
  ),
  "X-Platform": fc.constantFrom("ios", "android", "web"),
  "X-App-Version": fc
    .tuple(fc.nat(999), fc.nat(999), fc.nat(999))
    .map(([major, minor, patch]) => `${major}.${minor}.${patch}`),
};

const specialValues: Record<HeaderName, fc.Arbitrary<string>> = {
  "X-API-Key": fc.constantFrom(
    TEST_API_KEY.toUpperCase(),
    `${TEST_API_KEY}x`,
    TEST_API_KEY.slice(0, -1),
    `${TEST_API_KEY.slice(0, -1)}\u00e9`,
    "dev-hilo-api-key",
  ),
  "X-User-ID": fc.constantFrom("a b", "a/b", "a\u00e9", "DEMO-ALICE\u200b", "..", "a".repeat(65), "x,y"),
  "X-Timezone": fc.constantFrom(
    "+05:00",
    "-03",
    "UTC+5",
    "GMT-3",
    "Europe/Londonx",
    "Europe/London/",
    "Europe//London",
    "europe/london",
    "America/Argentina/Buenos_Aires/Extra",
    "\u0415urope/London",
  ),
  "X-Platform": fc.constantFrom("IOS", "Android", "ios ", "ios\u200b", "i\u00f6s", "windows", "ios,android"),
  "X-App-Version": fc.constantFrom("4.12", "4.12.0-beta.1", "4.12.0+build.7", "v4.12.0", "4.12.0.1", "١.٢.٣"),
};

/** A value other than the plain valid one: special, random, missing, huge, or with a control character. */
function mutatedCase(name: HeaderName): fc.Arbitrary<HeaderCase> {
  const classified = (value: fc.Arbitrary<string>) =>
    value.filter(noMarker).map((v): HeaderCase => ({ value: v, validity: classify(name, v) }));
  return fc.oneof(
    { weight: 3, arbitrary: classified(specialValues[name]) },
    { weight: 3, arbitrary: classified(anyText) },
    { weight: 1, arbitrary: fc.constant<HeaderCase>({ value: null, validity: false }) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom("a", "1", "\u00e9", "\u{1f600}", " "), fc.integer({ min: 65, max: 20_000 }))
        .map(([unit, count]): HeaderCase => ({ value: repeated(unit, count), validity: false })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(validValues[name], fc.constantFrom("\u0001", "\u007f", "\r", "\u0000"), fc.nat(3))
        .map(([v, bad, at]): HeaderCase => ({ value: v.slice(0, at) + bad + v.slice(at), validity: false })),
    },
    {
      weight: 1,
      arbitrary: validValues[name].map((v): HeaderCase => ({ value: v, validity: "either", twice: true })),
    },
  );
}

const nameCaseArb = fc.constantFrom<NonNullable<HeaderCase["nameCase"]>>("canonical", "lower", "upper");

/** Mostly a valid header; when `mutate` says so, a mutated one. */
function headerCase(name: HeaderName, mutate: boolean): fc.Arbitrary<HeaderCase> {
  const value = mutate
    ? mutatedCase(name)
    : validValues[name].map((v): HeaderCase => ({ value: v, validity: classify(name, v) }));
  return fc.tuple(value, nameCaseArb).map(([header, nameCase]) => ({ ...header, nameCase }));
}

// ---------------------------------------------------------------------------------------------------
// Routes

interface Route {
  method: string;
  path: (ids: { a: string; b: string }) => string;
  /** Status when all five headers are valid (a fresh user has no data). */
  ok: number[];
}

const ROUTES: Route[] = [
  { method: "GET", path: () => "/v1/me", ok: [404] },
  { method: "POST", path: () => "/v1/sessions", ok: [201] },
  { method: "GET", path: () => "/v1/sessions", ok: [200] },
  { method: "GET", path: ({ a }) => `/v1/sessions/${a}/messages`, ok: [404] },
  { method: "GET", path: ({ a, b }) => `/v1/sessions/${a}/turns/${b}`, ok: [404] },
  { method: "GET", path: ({ a, b }) => `/v1/sessions/${a}/turns/${b}/events`, ok: [404] },
  { method: "GET", path: () => "/v1/memories", ok: [200] },
  { method: "DELETE", path: ({ a }) => `/v1/memories/${a}`, ok: [404] },
];

/** Which headers to spoil: none, one or two most of the time (so the later checks are reached), or any. */
const mutatedArb = fc.oneof(
  { weight: 4, arbitrary: fc.subarray([...HEADERS], { maxLength: 2 }) },
  { weight: 1, arbitrary: fc.subarray([...HEADERS]) },
);

const requestArb = mutatedArb.chain((mutated) =>
  fc.record({
    route: fc.constantFrom(...ROUTES),
    "X-API-Key": headerCase("X-API-Key", mutated.includes("X-API-Key")),
    "X-User-ID": headerCase("X-User-ID", mutated.includes("X-User-ID")),
    "X-Timezone": headerCase("X-Timezone", mutated.includes("X-Timezone")),
    "X-Platform": headerCase("X-Platform", mutated.includes("X-Platform")),
    "X-App-Version": headerCase("X-App-Version", mutated.includes("X-App-Version")),
  }),
);

type GeneratedRequest = Generated<typeof requestArb>;

/** A unique user id per request: the generated shape, cut to leave room for a unique suffix. */
function uniqueUserId(shape: string): string {
  const suffix = `fz${Bun.randomUUIDv7().slice(-12)}`;
  return `${shape.slice(0, 64 - suffix.length)}${suffix}`;
}

function build(generated: GeneratedRequest): { request: RawRequest; userId: string | null } {
  const headers: [string, string][] = [["Host", "hilo.test"]];
  let userId: string | null = null;
  for (const name of HEADERS) {
    const header = generated[name];
    if (header.value === null) continue;
    let value = text(header.value);
    if (name === "X-User-ID" && header.validity === true) {
      value = uniqueUserId(value);
      userId = value;
    }
    const spelled =
      header.nameCase === "lower"
        ? name.toLowerCase()
        : header.nameCase === "upper"
          ? name.toUpperCase()
          : name;
    headers.push([spelled, value]);
    if (header.twice) headers.push([spelled, value]);
  }
  const ids = { a: Bun.randomUUIDv7(), b: Bun.randomUUIDv7() };
  return { request: { method: generated.route.method, target: generated.route.path(ids), headers }, userId };
}

/** What the README says the answer must be, when the inputs settle it. */
function expectedProblems(
  generated: GeneratedRequest,
  status: number,
  code: string | undefined,
  body: string,
) {
  const problems: string[] = [];
  const key = generated["X-API-Key"].validity;
  const others = HEADERS.slice(1).map((name) => [name, generated[name].validity] as const);
  if (key === false) {
    if (status !== 401 || code !== "unauthorized")
      problems.push(`bad X-API-Key answered ${status} ${code}, want 401`);
    return problems;
  }
  if (key === "either") return problems;
  const invalid = others.filter(([, validity]) => validity === false).map(([name]) => name);
  const unsettled = others.filter(([, validity]) => validity === "either").map(([name]) => name);
  if (invalid.length > 0) {
    if (status !== 400 || code !== "invalid_header") {
      problems.push(`invalid ${invalid.join(", ")} answered ${status} ${code}, want 400 invalid_header`);
    } else {
      const message = (JSON.parse(body) as { error: { message: string } }).error.message;
      if (![...invalid, ...unsettled].some((name) => message.startsWith(name))) {
        problems.push(`400 names none of the bad headers: ${message}`);
      }
    }
  } else if (unsettled.length === 0 && !generated.route.ok.includes(status)) {
    problems.push(`five valid headers answered ${status} ${code}, want ${generated.route.ok.join("/")}`);
  }
  return problems;
}

describe("fuzz: client headers", () => {
  test(
    "every combination keeps the contract, and the refusal names the right header",
    async () => {
      await fuzz(
        fc.asyncProperty(requestArb, async (generated) => {
          const { request, userId } = build(generated);
          const bytes = encodeRequest(request);
          const observed = observeRaw(await send(api, request));
          const described = describeRequest(request);
          const problems: string[] = [];
          if (await oracle.reachesApplication(bytes)) {
            problems.push(...contractProblems(observed, request.method));
            if (problems.length === 0) {
              problems.push(
                ...expectedProblems(generated, observed.status, errorCode(observed), observed.body),
              );
            }
          } else {
            // Bun's parser answered (control characters, a header block over its 16 KiB limit) and
            // offers no hook for these: only handled, 4xx, nothing internal.
            problems.push(...bunLevelProblems(observed, false, request.method));
          }
          failWith(problems, described, observed);
          // A refused request stores nothing for the user it names.
          if (userId && (observed.status < 200 || observed.status > 299)) {
            const stored = await storedFor(admin, userId);
            if (stored.sessions.length + stored.claims.length + stored.messages.length > 0) {
              failWith([`refused request stored rows: ${JSON.stringify(stored)}`], described, observed);
            }
          }
        }),
        800,
        5_000,
      );
    },
    testTimeout(5_000),
  );
});
