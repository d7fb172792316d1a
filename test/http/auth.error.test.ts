// Every way a /v1 request can be refused before it reaches a handler.
import { afterAll, describe, expect, test } from "bun:test";
import { buildTestApp, clientHeaders, newUserId } from "../support/stack";

const app = buildTestApp();
afterAll(() => app.close());

async function expectError(response: Response, status: number, code: string, mentions?: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toContain("application/json");
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  if (mentions) expect(body.error.message).toContain(mentions);
  expect(JSON.stringify(body)).not.toContain("    at ");
}

function without(header: string, headers: Record<string, string>) {
  const copy = { ...headers };
  delete copy[header];
  return copy;
}

const user = newUserId("auth");

describe("API key", () => {
  test("missing key is 401", async () => {
    await expectError(
      await app.request("/v1/me", { headers: without("X-API-Key", clientHeaders(user)) }),
      401,
      "unauthorized",
    );
  });

  test("wrong key of the same length is 401", async () => {
    const headers = clientHeaders(user, { "X-API-Key": "test-hilo-api-key-0123456780" });
    await expectError(await app.request("/v1/me", { headers }), 401, "unauthorized");
  });

  test("wrong key of another length is 401", async () => {
    await expectError(
      await app.request("/v1/me", { headers: clientHeaders(user, { "X-API-Key": "x" }) }),
      401,
      "unauthorized",
    );
  });

  test("the key is checked before the other headers", async () => {
    await expectError(await app.request("/v1/me", { headers: { "X-API-Key": "nope" } }), 401, "unauthorized");
  });
});

describe("client-context headers", () => {
  const cases: [string, Record<string, string>, string][] = [
    ["missing X-User-ID", without("X-User-ID", clientHeaders(user)), "X-User-ID"],
    ["X-User-ID with a space", clientHeaders("bad user"), "X-User-ID"],
    ["X-User-ID with a slash", clientHeaders("../etc"), "X-User-ID"],
    ["X-User-ID of 65 characters", clientHeaders("a".repeat(65)), "X-User-ID"],
    ["missing X-Timezone", without("X-Timezone", clientHeaders(user)), "X-Timezone"],
    ["unknown zone", clientHeaders(user, { "X-Timezone": "Mars/Olympus_Mons" }), "X-Timezone"],
    ["raw offset instead of a zone", clientHeaders(user, { "X-Timezone": "+05:00" }), "X-Timezone"],
    ["missing X-Platform", without("X-Platform", clientHeaders(user)), "X-Platform"],
    ["unknown platform", clientHeaders(user, { "X-Platform": "symbian" }), "X-Platform"],
    ["missing X-App-Version", without("X-App-Version", clientHeaders(user)), "X-App-Version"],
    ["malformed X-App-Version", clientHeaders(user, { "X-App-Version": "latest" }), "X-App-Version"],
  ];
  for (const [name, headers, header] of cases) {
    test(`${name} is 400 naming the header`, async () => {
      await expectError(await app.request("/v1/me", { headers }), 400, "invalid_header", header);
    });
  }

  test("a 64-character user id and zones like Asia/Kathmandu pass the gate", async () => {
    const headers = clientHeaders("a".repeat(64), {
      "X-Timezone": "Asia/Kathmandu",
      "X-Platform": "Android",
    });
    // Passing the gate means reaching the handler, which answers 404 for a user with no profile.
    await expectError(await app.request("/v1/me", { headers }), 404, "not_found");
  });
});

describe("errors are JSON, never stack traces", () => {
  test("unknown route is a JSON 404", async () => {
    await expectError(
      await app.request("/v1/nothing-here", { headers: clientHeaders(user) }),
      404,
      "not_found",
    );
  });

  test("a body over the configured limit is 413", async () => {
    const body = "x".repeat(app.deps.config.HILO_MAX_BODY_BYTES + 1);
    const response = await app.request("/v1/me", {
      method: "POST",
      headers: {
        ...clientHeaders(user),
        "content-type": "text/plain",
        "content-length": String(body.length),
      },
      body,
    });
    await expectError(response, 413, "payload_too_large");
  });
});
