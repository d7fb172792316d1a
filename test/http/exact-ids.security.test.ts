// Ids, user ids and idempotency keys are opaque, case-sensitive strings: a variant that differs in
// case or by a trailing space names nothing, and a cursor no row could produce is a 400, never a 500.
import { afterAll, describe, expect, test } from "bun:test";
import {
  buildTestApp,
  clientHeaders,
  newIdempotencyKey,
  newUserId,
  openSession,
  send,
} from "../chat/harness";
import { deleteMemory, listPage, saveFact } from "../memory/harness";
import { readSse } from "../support/sse";
import { script, uniqueMatch } from "../support/standin";

const app = buildTestApp();
afterAll(() => app.close());

const raw = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

async function expectError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toStartWith("application/json");
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
}

async function answeredTurn(tag: string) {
  const user = await openSession(app, newUserId(`Case-${tag}`));
  const match = uniqueMatch(tag);
  await script(match, [{ content: `private answer ${match}` }]);
  const response = await send(app, user, `question ${match}`);
  const turnId = response.headers.get("x-turn-id") ?? "";
  await readSse(response);
  return { user, turnId, match };
}

describe("user ids are case-sensitive", () => {
  test("X-User-ID in another case sees none of the user's sessions, history or memories", async () => {
    const { user } = await answeredTurn("owner");
    await saveFact(app, user.userId, "My dog is called Biscuit.");
    for (const impostor of [user.userId.toUpperCase(), user.userId.toLowerCase()]) {
      const headers = clientHeaders(impostor);
      const sessions = (await (await app.request("/v1/sessions", { headers })).json()) as {
        sessions: unknown[];
      };
      expect(sessions.sessions).toEqual([]);
      await expectError(
        await app.request(`/v1/sessions/${user.sessionId}/messages`, { headers }),
        404,
        "not_found",
      );
      expect((await listPage(app, impostor)).memories).toEqual([]);
    }
  });
});

describe("idempotency keys are case-sensitive", () => {
  test("two keys that differ only in case are two turns, each answering its own message", async () => {
    const user = await openSession(app);
    const key = `CaseKey-${newIdempotencyKey()}`;
    const first = uniqueMatch("upper");
    const second = uniqueMatch("lower");
    await script(first, [{ content: "first answer" }]);
    await script(second, [{ content: "second answer" }]);
    const a = await send(app, user, `one ${first}`, { key });
    await readSse(a);
    const b = await send(app, user, `two ${second}`, { key: key.toLowerCase() });
    expect(b.status).toBe(200);
    const events = await readSse(b);
    expect(b.headers.get("x-turn-id")).not.toBe(a.headers.get("x-turn-id"));
    expect(events.events.find((event) => event.event === "done")?.data.answer).toBe("second answer");
  });
});

describe("our ids are exact", () => {
  test("a session, turn or memory id in upper case or with a trailing space is 404", async () => {
    const { user, turnId } = await answeredTurn("ids");
    const headers = clientHeaders(user.userId);
    const session = user.sessionId;
    for (const variant of [session.toUpperCase(), `${session}%20`, `${session}%09`]) {
      await expectError(await app.request(`/v1/sessions/${variant}/messages`, { headers }), 404, "not_found");
      await expectError(await send(app, { ...user, sessionId: variant }, "hello"), 404, "not_found");
      await expectError(
        await app.request(`/v1/sessions/${variant}/turns/${turnId}`, { headers }),
        404,
        "not_found",
      );
    }
    for (const variant of [turnId.toUpperCase(), `${turnId}%20`]) {
      await expectError(
        await app.request(`/v1/sessions/${session}/turns/${variant}`, { headers }),
        404,
        "not_found",
      );
      await expectError(
        await app.request(`/v1/sessions/${session}/turns/${variant}/events`, { headers }),
        404,
        "not_found",
      );
    }
    const saved = await saveFact(app, user.userId, "I walk every morning.");
    const memoryId = saved.memory_id;
    await expectError(await deleteMemory(app, user.userId, memoryId.toUpperCase()), 404, "not_found");
    await expectError(await deleteMemory(app, user.userId, `${memoryId}%20`), 404, "not_found");
    expect((await listPage(app, user.userId)).memories.map((memory) => memory.memory_id)).toEqual([memoryId]);
  });
});

describe("cursors", () => {
  test("a cursor with a time MySQL cannot hold is 400 on every list, never a 500", async () => {
    const user = await openSession(app);
    const headers = clientHeaders(user.userId);
    const cursor = raw({ t: 8.64e15 + 1, id: user.sessionId });
    for (const path of [
      `/v1/sessions?cursor=${cursor}`,
      `/v1/sessions/${user.sessionId}/messages?cursor=${cursor}`,
      `/v1/memories?cursor=${cursor}`,
    ]) {
      await expectError(await app.request(path, { headers }), 400, "invalid_request");
    }
  });
});
