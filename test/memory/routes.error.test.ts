// Every bad input to the memory routes is a 400 (or 401/404) with the one JSON error shape.
import { afterAll, describe, expect, test } from "bun:test";
import { buildTestApp, clientHeaders, deleteMemory, listMemories, newUserId } from "./harness";

const app = buildTestApp();
afterAll(() => app.close());

async function expectError(response: Response, status: number, code: string): Promise<string> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type") ?? "").toContain("application/json");
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message).toBeString();
  return body.error.message;
}

describe("GET /v1/memories with bad input", () => {
  const userId = newUserId("mem-bad");

  test.each([
    ["a cursor this API never issued", "?cursor=not-a-cursor"],
    ["a cursor of the wrong shape", `?cursor=${Buffer.from('{"x":1}').toString("base64url")}`],
    ["an overlong cursor", `?cursor=${"a".repeat(201)}`],
    ["limit 0", "?limit=0"],
    ["limit 101", "?limit=101"],
    ["a fractional limit", "?limit=1.5"],
    ["a limit that is not a number", "?limit=many"],
  ])("%s is a 400", async (_, query) => {
    await expectError(await listMemories(app, userId, query), 400, "invalid_request");
  });

  test("a missing API key is a 401 and a missing user header a 400", async () => {
    const { "X-API-Key": _, ...noKey } = clientHeaders(userId);
    await expectError(await app.request("/v1/memories", { headers: noKey }), 401, "unauthorized");
    const { "X-User-ID": __, ...noUser } = clientHeaders(userId);
    const message = await expectError(
      await app.request("/v1/memories", { headers: noUser }),
      400,
      "invalid_header",
    );
    expect(message).toContain("X-User-ID");
  });
});

describe("DELETE /v1/memories/:id with bad input", () => {
  const userId = newUserId("mem-bad-delete");

  test("an id nobody has is a 404", async () => {
    await expectError(await deleteMemory(app, userId, Bun.randomUUIDv7()), 404, "not_found");
  });

  test("an id in no format we issue (too long, not a UUIDv7) is a 404 like any unknown id", async () => {
    await expectError(await deleteMemory(app, userId, "x".repeat(65)), 404, "not_found");
    await expectError(await deleteMemory(app, userId, "not-a-uuid"), 404, "not_found");
  });
});
