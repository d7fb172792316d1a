// The OpenAPI document the mobile teams generate clients from: every public route, inputs as clients
// send them, the contract every /v1 operation shares, a clean Redocly lint, and generated types a
// typed client compiles against.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../support/processes";
import { buildTestApp } from "../support/stack";

/** Each tool takes about a second; this only stops a hung one from holding CI. */
const TOOL_TIMEOUT_MS = 30_000;
const TEST_TIMEOUT_MS = 40_000;

interface Operation {
  operationId?: string;
  security?: Record<string, string[]>[];
  parameters?: { $ref?: string; name?: string; in?: string; required?: boolean }[];
  requestBody?: { content?: Record<string, unknown> };
  responses?: Record<string, { $ref?: string; content?: Record<string, unknown> }>;
}

interface OpenApiDoc {
  servers?: { url: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { parameters: Record<string, { name: string; required?: boolean }> };
}

const app = buildTestApp();
let workDir = "";
let documentPath = "";
let doc: OpenApiDoc;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "hilo-openapi-"));
  const response = await app.request("/openapi.json");
  expect(response.status).toBe(200);
  doc = (await response.json()) as OpenApiDoc;
  documentPath = join(workDir, "openapi.json");
  await Bun.write(documentPath, JSON.stringify(doc, null, 2));
});

afterAll(async () => {
  await app.close();
  await rm(workDir, { recursive: true, force: true });
});

/** Runs a tool from node_modules with the Bun running the tests (no separate Node needed). */
async function runTool(args: string[], env: Record<string, string> = {}) {
  const child = Bun.spawn([process.execPath, ...args], {
    cwd: workDir,
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdout: "pipe",
    stderr: "pipe",
    timeout: TOOL_TIMEOUT_MS,
    killSignal: "SIGKILL",
  });
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { stdout, stderr, exitCode };
}

function v1Operations(): [string, Operation][] {
  return Object.entries(doc.paths)
    .filter(([path]) => path.startsWith("/v1/"))
    .flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]): [string, Operation] => [
        `${method.toUpperCase()} ${path}`,
        operation,
      ]),
    );
}

test("/openapi.json documents every route, with optional query parameters marked optional", () => {
  for (const path of [
    "/health",
    "/metrics",
    "/v1/me",
    "/v1/sessions",
    "/v1/sessions/{id}/messages",
    "/v1/sessions/{id}/turns/{turnId}/events",
    "/v1/sessions/{id}/turns/{turnId}",
    "/v1/memories",
    "/v1/memories/{id}",
  ]) {
    expect(Object.keys(doc.paths)).toContain(path);
  }
  const limit = doc.paths["/v1/sessions"]?.get?.parameters?.find((parameter) => parameter.name === "limit");
  expect(limit?.required).toBe(false);
});

test("every /v1 operation has an operationId, the API key, the four context headers and the error responses", () => {
  const operations = v1Operations();
  expect(operations.length).toBeGreaterThanOrEqual(9);
  for (const [name, operation] of operations) {
    const refs = (operation.parameters ?? []).map((parameter) => parameter.$ref);
    const errors = Object.fromEntries(
      ["400", "401", "429", "500"].map((status) => [status, operation.responses?.[status]?.$ref]),
    );
    expect({ name, id: typeof operation.operationId, security: operation.security, errors }).toEqual({
      name,
      id: "string",
      security: [{ apiKey: [] }],
      errors: {
        "400": "#/components/responses/BadRequest",
        "401": "#/components/responses/Unauthorized",
        "429": "#/components/responses/RateLimited",
        "500": "#/components/responses/InternalError",
      },
    });
    for (const header of ["XUserId", "XTimezone", "XPlatform", "XAppVersion"]) {
      expect(refs).toContain(`#/components/parameters/${header}`);
    }
  }
  expect(doc.paths["/health"]?.get?.security).toEqual([]);
  expect(doc.paths["/metrics"]?.get?.security).toEqual([]);
  expect(Object.keys(doc.paths["/metrics"]?.get?.responses?.["200"]?.content ?? {})).toEqual(["text/plain"]);
  expect(doc.servers).toEqual([{ url: "/", description: expect.any(String) }]);
});

test("sending a message documents its key, its JSON body, its event stream and every error it can answer", () => {
  const send = doc.paths["/v1/sessions/{id}/messages"]?.post;
  expect(send?.parameters?.map((parameter) => parameter.$ref ?? parameter.name)).toContain(
    "#/components/parameters/IdempotencyKey",
  );
  expect(doc.components.parameters.IdempotencyKey).toMatchObject({ name: "Idempotency-Key", required: true });
  expect(Object.keys(send?.requestBody?.content ?? {})).toEqual(["application/json"]);
  expect(Object.keys(send?.responses ?? {}).sort()).toEqual(
    ["200", "202", "400", "401", "404", "413", "422", "429", "500", "503"].sort(),
  );
  expect(Object.keys(send?.responses?.["200"]?.content ?? {})).toEqual(["text/event-stream"]);
  const resume = doc.paths["/v1/sessions/{id}/turns/{turnId}/events"]?.get;
  expect(Object.keys(resume?.responses?.["200"]?.content ?? {})).toEqual(["text/event-stream"]);
});

test(
  "Redocly's recommended rules find no error, and no warning but /health having no 4xx to document",
  async () => {
    const lint = await runTool(
      [
        join(ROOT, "node_modules/.bin/redocly"),
        "lint",
        documentPath,
        "--extends=recommended",
        "--format=json",
      ],
      // No usage report and no update check: the lint must not wait on the network, and CI has none.
      { REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
    );
    const report = JSON.parse(lint.stdout) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; severity: string; location: { pointer: string }[] }[];
    };
    const problems = report.problems.map(
      (problem) => `${problem.severity} ${problem.ruleId} ${problem.location[0]?.pointer}`,
    );
    // /health answers 200 to everyone, by design (README, API): a 4xx in its contract would be made up.
    expect(problems).toEqual(["warn operation-4xx-response #/paths/~1health/get/responses"]);
    expect(report.totals.errors).toBe(0);
    expect(lint.exitCode).toBe(0);
  },
  TEST_TIMEOUT_MS,
);

test(
  "openapi-typescript's types for the document type-check a typed client, and refuse a wrong body field",
  async () => {
    const typesPath = join(workDir, "hilo-api.ts");
    const generate = await runTool([
      join(import.meta.dir, "fixtures/generate-api-types.ts"),
      documentPath,
      typesPath,
    ]);
    expect(generate.stderr).toBe("");
    expect(generate.exitCode).toBe(0);

    // Only the client and the generated types, with DOM's fetch: a second and not the whole project.
    const tsconfigPath = join(workDir, "tsconfig.json");
    await Bun.write(
      tsconfigPath,
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: "ESNext",
          module: "Preserve",
          moduleResolution: "bundler",
          lib: ["ESNext", "DOM"],
          types: [],
          paths: { "hilo-api": [typesPath] },
        },
        files: [join(import.meta.dir, "fixtures/typed-client.ts")],
      }),
    );
    const check = await runTool([join(ROOT, "node_modules/typescript/bin/tsc"), "-p", tsconfigPath]);
    expect(check.stdout + check.stderr).toBe("");
    expect(check.exitCode).toBe(0);
  },
  TEST_TIMEOUT_MS,
);
