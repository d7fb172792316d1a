// Sessions and history: ordering, cursors, titles, and no way into another user's conversation.
import { afterAll, describe, expect, test } from "bun:test";
import { readSse } from "../support/sse";
import { script, uniqueMatch } from "../support/standin";
import { buildTestApp, clientHeaders, newUserId, openSession, send } from "./harness";

const app = buildTestApp();
afterAll(() => app.close());

async function json<T>(response: Response, status = 200): Promise<T> {
  expect(response.status).toBe(status);
  return (await response.json()) as T;
}

interface SessionList {
  sessions: { session_id: string; title: string | null; last_activity_at: string }[];
  next_cursor: string | null;
}
interface MessageList {
  messages: { message_id: string; role: string; content: string; created_at: string }[];
  next_cursor: string | null;
}

async function ask(user: { userId: string; sessionId: string }, message: string) {
  const match = uniqueMatch("hist");
  await script(match, [{ content: `answer to ${match}` }]);
  const result = await readSse(await send(app, user, `${message} ${match}`));
  expect(result.events.at(-1)?.event).toBe("end");
  return match;
}

describe("sessions", () => {
  test("POST /v1/sessions opens a session owned by the caller", async () => {
    const userId = newUserId("open");
    const response = await app.request("/v1/sessions", { method: "POST", headers: clientHeaders(userId) });
    const body = await json<{ session_id: string; created_at: string }>(response, 201);
    expect(body.session_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number.isNaN(Date.parse(body.created_at))).toBe(false);
  });

  test("the list is ordered by last activity, paginated by cursor, titled by the first question", async () => {
    const userId = newUserId("list");
    const first = await openSession(app, userId);
    const second = await openSession(app, userId);
    const third = await openSession(app, userId);
    await ask(first, "x".repeat(130));

    const page1 = await json<SessionList>(
      await app.request("/v1/sessions?limit=2", { headers: clientHeaders(userId) }),
    );
    expect(page1.sessions.map((s) => s.session_id)).toEqual([first.sessionId, third.sessionId]);
    expect(page1.sessions[0]?.title).toBe("x".repeat(120));
    expect(page1.sessions[1]?.title).toBeNull();
    expect(page1.next_cursor).toBeString();

    const page2 = await json<SessionList>(
      await app.request(`/v1/sessions?limit=2&cursor=${page1.next_cursor}`, {
        headers: clientHeaders(userId),
      }),
    );
    expect(page2.sessions.map((s) => s.session_id)).toEqual([second.sessionId]);
    expect(page2.next_cursor).toBeNull();
  });

  test("messages come newest first with a cursor, limit 1-100", async () => {
    const user = await openSession(app);
    const m1 = await ask(user, "first question");
    const m2 = await ask(user, "second question");
    const headers = clientHeaders(user.userId);

    const page1 = await json<MessageList>(
      await app.request(`/v1/sessions/${user.sessionId}/messages?limit=3`, { headers }),
    );
    expect(page1.messages.map((m) => [m.role, m.content])).toEqual([
      ["assistant", `answer to ${m2}`],
      ["user", `second question ${m2}`],
      ["assistant", `answer to ${m1}`],
    ]);
    const page2 = await json<MessageList>(
      await app.request(`/v1/sessions/${user.sessionId}/messages?limit=3&cursor=${page1.next_cursor}`, {
        headers,
      }),
    );
    expect(page2.messages.map((m) => m.content)).toEqual([`first question ${m1}`]);
    expect(page2.next_cursor).toBeNull();

    const defaults = await json<MessageList>(
      await app.request(`/v1/sessions/${user.sessionId}/messages`, { headers }),
    );
    expect(defaults.messages).toHaveLength(4);
  });
});

describe("bad input", () => {
  const cases: [string, string][] = [
    ["limit=0", "limit 0"],
    ["limit=101", "limit 101"],
    ["limit=ten", "non-numeric limit"],
    ["cursor=not-a-cursor", "a cursor we did not issue"],
  ];
  for (const [query, name] of cases) {
    test(`${name} is 400`, async () => {
      const user = await openSession(app);
      const response = await app.request(`/v1/sessions/${user.sessionId}/messages?${query}`, {
        headers: clientHeaders(user.userId),
      });
      const body = await json<{ error: { code: string } }>(response, 400);
      expect(body.error.code).toBe("invalid_request");
      const list = await app.request(`/v1/sessions?${query}`, { headers: clientHeaders(user.userId) });
      expect(list.status).toBe(400);
    });
  }

  test("an unknown session is 404", async () => {
    const response = await app.request("/v1/sessions/00000000-0000-7000-8000-000000000000/messages", {
      headers: clientHeaders(newUserId("nobody")),
    });
    expect((await json<{ error: { code: string } }>(response, 404)).error.code).toBe("not_found");
  });
});

describe("another user's session", () => {
  test("is 404 everywhere: history, send, turn status and events, and absent from their list", async () => {
    const owner = await openSession(app);
    const match = await ask(owner, "private question");
    const history = await json<MessageList>(
      await app.request(`/v1/sessions/${owner.sessionId}/messages`, { headers: clientHeaders(owner.userId) }),
    );
    expect(history.messages[0]?.content).toBe(`answer to ${match}`);
    const turns = await json<{ messages: { turn_id: string }[] }>(
      await app.request(`/v1/sessions/${owner.sessionId}/messages`, { headers: clientHeaders(owner.userId) }),
    );
    const turnId = turns.messages[0]?.turn_id;

    const intruder = newUserId("intruder");
    const headers = clientHeaders(intruder);
    expect((await app.request(`/v1/sessions/${owner.sessionId}/messages`, { headers })).status).toBe(404);
    expect((await send(app, { userId: intruder, sessionId: owner.sessionId }, "hello")).status).toBe(404);
    expect((await app.request(`/v1/sessions/${owner.sessionId}/turns/${turnId}`, { headers })).status).toBe(
      404,
    );
    expect(
      (await app.request(`/v1/sessions/${owner.sessionId}/turns/${turnId}/events`, { headers })).status,
    ).toBe(404);
    const list = await json<SessionList>(await app.request("/v1/sessions", { headers }));
    expect(list.sessions).toEqual([]);
  });
});
