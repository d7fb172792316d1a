// Fuzz: malformed HTTP/1.1 on a raw socket to the real listening service: unknown and odd methods,
// CONNECT, absurd request targets, bad Host and Content-Length, chunked bodies, control characters and
// 16 KiB headers. A request that reaches application code keeps the full contract; one Bun's own
// parser answers (the oracle, a bare Bun.serve, says which) must at least be answered 4xx or closed,
// promptly, with nothing internal in it. Either way the service keeps serving.
import { afterAll, beforeAll, describe, test } from "bun:test";
import fc from "fast-check";
import {
  type BunOracle,
  bunLevelProblems,
  clientHeaderPairs,
  contractProblems,
  encodeRequest,
  failWith,
  fuzz,
  type LiveApi,
  newUserId,
  noMarker,
  observeRaw,
  printable,
  type RawRequest,
  repeated,
  send,
  startBunOracle,
  startFuzzApi,
  type Text,
  testTimeout,
  text,
} from "./harness";

let api: LiveApi;
let oracle: BunOracle;

beforeAll(async () => {
  api = await startFuzzApi();
  oracle = startBunOracle();
});

afterAll(async () => {
  oracle.stop();
  await api.stop();
});

// ---------------------------------------------------------------------------------------------------
// Generators: a request as a small description, written out to bytes at run time

interface RawSpec {
  method: Text;
  target: Text;
  version: string;
  /** null: no Host header. */
  host: Text | null;
  /** Adds the five valid client headers of a fresh user. */
  client: boolean;
  extra: [string, Text][];
  body:
    | { kind: "none" }
    | { kind: "plain"; text: string }
    | { kind: "chunked"; chunks: string[]; sizeLine?: string };
  /** "auto": the true length for a plain body; a string is sent as-is; "none": no header. */
  contentLength: "auto" | "none" | string;
}

const KNOWN_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT"];

const methodArb: fc.Arbitrary<Text> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...KNOWN_METHODS) },
  {
    weight: 2,
    arbitrary: fc.constantFrom("FOO", "BREW", "PROPFIND", "MKCOL", "QUERY", "PRI", "M-SEARCH", "LINK"),
  },
  { weight: 2, arbitrary: fc.constantFrom(...KNOWN_METHODS).map((m) => m.toLowerCase()) },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z!#$%&'*+.^_`|~-]{1,12}$/) },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 8 }).filter((m) => !/[\s]/.test(m)) },
  { weight: 1, arbitrary: fc.integer({ min: 20, max: 5_000 }).map((n) => repeated("A", n)) },
);

const ROUTE_PATHS = [
  "/health",
  "/v1/me",
  "/v1/sessions",
  "/v1/sessions/ID/messages",
  "/v1/sessions/ID/turns/ID",
  "/v1/sessions/ID/turns/ID/events",
  "/v1/memories",
  "/v1/memories/ID",
  "/openapi.json",
  "/nope",
  "/",
];

const segmentArb = fc.oneof(
  fc.constantFrom(
    "%2F",
    "%00",
    "%zz",
    "%",
    "..",
    "%2e%2e",
    ".",
    "",
    "%C0%AE",
    "%FF",
    "%u002e",
    "\\",
    ";x",
    "%20",
  ),
  fc.string({ unit: "grapheme", maxLength: 12 }).map((s) => encodeURIComponent(s)),
  fc.string({ unit: "grapheme-ascii", maxLength: 12 }).filter((s) => !/[\s#?]/.test(s)),
  fc.uuid(),
);

const originTargetArb = fc
  .tuple(
    fc.constantFrom(...ROUTE_PATHS),
    fc.array(segmentArb, { maxLength: 3 }),
    fc.uuid({ version: 7 }),
    fc.option(fc.string(), { nil: undefined }),
  )
  .map(([path, segments, id, query]) => {
    let target = path;
    for (const segment of segments) target = target.replace("ID", segment);
    target = target.replaceAll("ID", id);
    if (segments.length > 0 && !path.includes("ID")) target += `/${segments.join("/")}`;
    return query === undefined ? target : `${target}?${query.replace(/[\s#]/g, "")}`;
  });

const targetArb: fc.Arbitrary<Text> = fc
  .oneof(
    { weight: 6, arbitrary: originTargetArb },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "*",
        "example.com:443",
        "127.0.0.1:80",
        "a",
        ":",
        ":443",
        "[::1]:443",
        "http://hilo.test/health",
        "http://[::1/v1/me",
        "https://x/v1/sessions",
        "foo://bar/v1/me",
        "http://%%/nope",
        "//v1//me",
        "/v1/me#frag",
        "/v1/me?%%",
        "/%",
        "",
        "/\u00e9",
        "/a\u0001b",
        "/a b",
        "/a\tb",
      ),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }).filter((t) => !/[ \r\n]/.test(t)) },
    { weight: 1, arbitrary: fc.integer({ min: 100, max: 20_000 }).map((n) => `/${"a".repeat(n)}`) },
  )
  .filter((t) => noMarker(text(t)));

const hostArb: fc.Arbitrary<Text | null> = fc.oneof(
  { weight: 6, arbitrary: fc.constant("hilo.test") },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      null,
      "",
      "[bad",
      "a b",
      "x:99999",
      "u@x",
      "\u00e9",
      "x:-1",
      "[::1]",
      "127.0.0.1:0",
      "hilo.test, other.test",
      "x/y",
      "%41",
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }).filter((h) => !/[\r\n]/.test(h)) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 20_000 }).map((n) => repeated("h", n)) },
);

const extraHeaderArb: fc.Arbitrary<[string, Text]> = fc.oneof(
  fc.constantFrom<[string, Text]>(
    ["X-Ctl", "a\u0001b"],
    ["X-Del", "a\u007fb"],
    ["X-Nul", "a\u0000b"],
    ["X-Bare-Cr", "a\rb"],
    ["Bad Name", "x"],
    ["X-Colon ", "x"],
    ["", "x"],
    ["X-Unicode", "\u00fc\u{1f600}"],
    ["Expect", "100-continue"],
    ["Expect", "nonsense"],
    ["Transfer-Encoding", "gzip"],
    ["Transfer-Encoding", "chunked, gzip"],
    ["Content-Type", "application/json"],
    ["Last-Event-ID", "99999999999999999999-0"],
    ["Idempotency-Key", "fuzz-key-0001"],
    ["Upgrade", "websocket"],
    ["Connection", "Upgrade"],
  ),
  fc
    .tuple(fc.constantFrom("X-Big", "Cookie", "X-User-ID"), fc.integer({ min: 1_000, max: 20_000 }))
    .map(([name, n]): [string, Text] => [name, repeated("b", n)]),
  fc
    .tuple(fc.stringMatching(/^[A-Za-z-]{1,20}$/), fc.string({ maxLength: 40 }))
    .map(([n, v]): [string, Text] => [n, v.replace(/[\r\n]/g, "")]),
);

const bodyArb: fc.Arbitrary<RawSpec["body"]> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: "none" as const }) },
  {
    weight: 3,
    arbitrary: fc
      .oneof(fc.json(), fc.string({ maxLength: 200 }), fc.constant('{"message":"hi"}'))
      .filter(noMarker)
      .map((t) => ({ kind: "plain" as const, text: t })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.array(fc.string({ minLength: 1, maxLength: 30 }), { maxLength: 3 }),
        fc.option(fc.constantFrom("zz", "-1", "1;ext=1", "FFFFFFFFFFFFFFFFFF", " 5", "0x5"), {
          nil: undefined,
        }),
      )
      .map(([chunks, sizeLine]) => ({ kind: "chunked" as const, chunks: chunks.filter(noMarker), sizeLine })),
  },
);

const contentLengthArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant("auto") },
  { weight: 1, arbitrary: fc.constant("none") },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "abc",
      "-1",
      "1e3",
      "+0",
      "0x10",
      "0, 0",
      "00",
      "99999999999999999999",
      "99999999999",
      "18446744073709551616",
      "",
      "0.5",
    ),
  },
);

const specArb: fc.Arbitrary<RawSpec> = fc.record({
  method: methodArb,
  target: targetArb,
  version: fc.oneof(
    { weight: 8, arbitrary: fc.constant("HTTP/1.1") },
    {
      weight: 2,
      arbitrary: fc.constantFrom("HTTP/1.0", "HTTP/2.0", "HTTP/0.9", "HTTP/1.1x", "http/1.1", "HTTP/9.9"),
    },
  ),
  host: hostArb,
  client: fc.boolean(),
  extra: fc.array(extraHeaderArb, { maxLength: 3 }),
  body: bodyArb,
  contentLength: contentLengthArb,
});

function build(spec: RawSpec): RawRequest {
  const headers: [string, string][] = [];
  if (spec.host !== null) headers.push(["Host", text(spec.host)]);
  if (spec.client) headers.push(...clientHeaderPairs(newUserId("fzraw")));
  for (const [name, value] of spec.extra) headers.push([name, text(value)]);
  let body: Uint8Array | undefined;
  if (spec.body.kind === "plain") body = new TextEncoder().encode(spec.body.text);
  if (spec.body.kind === "chunked") {
    headers.push(["Transfer-Encoding", "chunked"]);
    const parts = spec.body.chunks.map((chunk) => {
      const bytes = Buffer.byteLength(chunk);
      return `${spec.body.kind === "chunked" && spec.body.sizeLine ? spec.body.sizeLine : bytes.toString(16)}\r\n${chunk}\r\n`;
    });
    body = new TextEncoder().encode(`${parts.join("")}0\r\n\r\n`);
  }
  if (spec.contentLength !== "auto" && spec.contentLength !== "none") {
    headers.push(["Content-Length", spec.contentLength]);
  }
  return {
    method: text(spec.method),
    target: text(spec.target),
    version: spec.version,
    headers,
    body,
    contentLength: spec.contentLength === "auto" && spec.body.kind === "plain",
  };
}

/** The requests the issue names, tried first on every run. */
const EXAMPLES: RawSpec[] = [
  {
    method: "FOO",
    target: "/health",
    version: "HTTP/1.1",
    host: "hilo.test",
    client: false,
    extra: [],
    body: { kind: "none" },
    contentLength: "auto",
  },
  {
    method: "CONNECT",
    target: "example.com:443",
    version: "HTTP/1.1",
    host: "example.com:443",
    client: false,
    extra: [],
    body: { kind: "none" },
    contentLength: "auto",
  },
  {
    method: "CONNECT",
    target: "a",
    version: "HTTP/1.1",
    host: "hilo.test",
    client: false,
    extra: [],
    body: { kind: "none" },
    contentLength: "auto",
  },
  {
    method: "GET",
    target: "/nope",
    version: "HTTP/1.1",
    host: "[bad",
    client: false,
    extra: [],
    body: { kind: "none" },
    contentLength: "auto",
  },
  {
    method: "GET",
    target: "*",
    version: "HTTP/1.1",
    host: "hilo.test",
    client: false,
    extra: [],
    body: { kind: "none" },
    contentLength: "auto",
  },
  {
    method: "POST",
    target: "/v1/sessions",
    version: "HTTP/1.1",
    host: "hilo.test",
    client: true,
    extra: [],
    body: { kind: "plain", text: "{}" },
    contentLength: "abc",
  },
  {
    method: "GET",
    target: "/health",
    version: "HTTP/1.1",
    host: "hilo.test",
    client: false,
    extra: [["X-Ctl", "a\u0001b"]],
    body: { kind: "none" },
    contentLength: "auto",
  },
  {
    method: "GET",
    target: "/v1/me",
    version: "HTTP/1.1",
    host: "hilo.test",
    client: true,
    extra: [["X-Big", repeated("b", 16_384)]],
    body: { kind: "none" },
    contentLength: "auto",
  },
];

async function stillServes(): Promise<string[]> {
  const response = await fetch(`${api.url}/no-such-route`).catch(() => null);
  if (!response) return ["the service stopped answering"];
  await response.arrayBuffer();
  return response.status === 404
    ? []
    : [`the service answers ${response.status} to a plain request afterwards`];
}

describe("fuzz: malformed requests on the wire", () => {
  test(
    "each is answered by the contract (or, before the app, by Bun: 4xx/closed, nothing internal); the service keeps serving",
    async () => {
      await fuzz(
        fc.asyncProperty(specArb, async (spec) => {
          const request = build(spec);
          const bytes = encodeRequest(request);
          const raw = await send(api, request, 5_000);
          const observed = observeRaw(raw);
          const described = printable(new TextDecoder().decode(bytes), 900);
          const problems = (await oracle.reachesApplication(bytes))
            ? contractProblems(observed, request.method)
            : bunLevelProblems(observed, raw.timedOut, request.method);
          problems.push(...(await stillServes()));
          failWith(problems, described, observed);
        }),
        800,
        5_000,
        EXAMPLES.map((example) => [example] as [RawSpec]),
      );
    },
    testTimeout(5_000),
  );
});
