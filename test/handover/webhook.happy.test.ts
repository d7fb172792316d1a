// The return leg's happy paths: a signed reply lands in the session as a `support` message (a
// teammate's and Fin's), only the parts written to the user are kept, history stays in order across
// pages, the ping is answered, and GET /v1/handovers lists the handovers with their last reply.
import { afterAll, expect, test } from "bun:test";
import { buildTestApp, openSession, send } from "../chat/harness";
import { readSse } from "../support/sse";
import { clientHeaders, newUserId } from "../support/stack";
import { script, uniqueMatch } from "../support/standin";
import {
  acceptedHandover,
  intercomOverrides,
  type MessagePage,
  messagesOf,
  postNotification,
  replyTo,
} from "./harness";

const app = buildTestApp(intercomOverrides());
afterAll(() => app.close());

test("a teammate's reply is stored in the handover's session as plain text with its author", async () => {
  const handover = await acceptedHandover(app);
  const response = await postNotification(
    app,
    replyTo(handover, {
      body: "<p>Hi there,</p><p>we don&#39;t sponsor tournaments &amp; events.<br>Best, Sam</p>",
      author: { type: "admin", name: "Sam Support" },
    }),
  );
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ status: "stored", stored: 1 });

  const page = (await (await messagesOf(app, handover.userId, handover.sessionId)).json()) as MessagePage;
  expect(page.messages).toHaveLength(1);
  expect(page.messages[0]).toMatchObject({
    role: "support",
    author: "Sam Support",
    turn_id: null,
    content: "Hi there,\n\nwe don't sponsor tournaments & events.\nBest, Sam",
  });
});

test("Fin's reply (conversation.operator.replied) is stored too", async () => {
  const handover = await acceptedHandover(app);
  const payload = replyTo(handover, {
    author: { type: "bot", name: "Fin" },
    body: "<p>I can help with that.</p>",
  });
  expect(payload.topic).toBe("conversation.operator.replied");
  expect(await (await postNotification(app, payload)).json()).toEqual({ status: "stored", stored: 1 });
  const page = (await (await messagesOf(app, handover.userId, handover.sessionId)).json()) as MessagePage;
  expect(page.messages.map((m) => [m.role, m.author, m.content])).toEqual([
    ["support", "Fin", "I can help with that."],
  ]);
});

test("internal notes, the user's own parts and empty bodies are not stored", async () => {
  const handover = await acceptedHandover(app);
  for (const overrides of [
    { partType: "note", body: "<p>internal: VIP customer</p>" },
    { partType: "assignment", body: "<p>assigned</p>" },
    { body: "<p>   </p>" },
  ]) {
    const response = await postNotification(app, replyTo(handover, overrides));
    expect(await response.json()).toEqual({ status: "stored", stored: 0 });
  }
  const page = (await (await messagesOf(app, handover.userId, handover.sessionId)).json()) as MessagePage;
  expect(page.messages).toEqual([]);
});

test("ping is answered and stores nothing", async () => {
  const response = await postNotification(app, {
    type: "notification_event",
    id: `notif_${crypto.randomUUID()}`,
    topic: "ping",
    app_id: "standin",
    data: { type: "notification_event_data", item: { type: "ping", message: "something" } },
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ status: "pong" });
});

test("other topics are acknowledged and ignored", async () => {
  const handover = await acceptedHandover(app);
  const payload = { ...replyTo(handover), topic: "conversation.user.replied" };
  expect(await (await postNotification(app, payload)).json()).toEqual({ status: "ignored", reason: "topic" });
  const page = (await (await messagesOf(app, handover.userId, handover.sessionId)).json()) as MessagePage;
  expect(page.messages).toEqual([]);
});

test("history keeps its order and cursor paging with replies between turns", async () => {
  const userId = newUserId("paging");
  const user = await openSession(app, userId);
  const match = uniqueMatch("paging");
  await script(match, [{ content: "Shall I ask support?" }]);
  await readSse(await send(app, user, `A product question ${match}`), { timeoutMs: 30_000 });
  const handover = await acceptedHandover(app, userId, user.sessionId);
  for (const text of ["first reply", "second reply"]) {
    await postNotification(app, replyTo(handover, { body: `<p>${text}</p>` }));
  }

  const seen: MessagePage["messages"] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `?limit=1&cursor=${encodeURIComponent(cursor)}` : "?limit=1";
    const page = (await (await messagesOf(app, userId, user.sessionId, query)).json()) as MessagePage;
    seen.push(...page.messages);
    cursor = page.next_cursor;
  } while (cursor !== null && seen.length < 10);
  expect(seen.map((m) => [m.role, m.content])).toEqual([
    ["support", "second reply"],
    ["support", "first reply"],
    ["assistant", "Shall I ask support?"],
    ["user", `A product question ${match}`],
  ]);
  expect(new Set(seen.map((m) => m.message_id)).size).toBe(4);
});

interface HandoverPage {
  handovers: {
    handover_id: string;
    session_id: string;
    status: string;
    created_at: string;
    updated_at: string;
    last_reply: { message_id: string; author: string | null; content: string; created_at: string } | null;
  }[];
  next_cursor: string | null;
}

test("GET /v1/handovers lists the user's handovers newest first, pages, and shows the last reply", async () => {
  const userId = newUserId("list");
  const oldest = await acceptedHandover(app, userId);
  const middle = await acceptedHandover(app, userId);
  const newest = await acceptedHandover(app, userId);
  await postNotification(
    app,
    replyTo(middle, { body: "<p>earlier</p>", author: { type: "admin", name: "Ana" } }),
  );
  await postNotification(
    app,
    replyTo(middle, { body: "<p>latest</p>", author: { type: "bot", name: "Fin" } }),
  );

  const first = await app.request("/v1/handovers?limit=2", { headers: clientHeaders(userId) });
  expect(first.status).toBe(200);
  const page1 = (await first.json()) as HandoverPage;
  expect(page1.handovers.map((h) => h.handover_id)).toEqual([newest.handoverId, middle.handoverId]);
  expect(page1.next_cursor).not.toBeNull();
  expect(page1.handovers[0]).toMatchObject({
    status: "accepted",
    session_id: newest.sessionId,
    last_reply: null,
  });
  expect(page1.handovers[1]?.last_reply).toMatchObject({ author: "Fin", content: "latest" });
  // A reply moves updated_at past created_at.
  const replied = page1.handovers[1];
  expect(Date.parse(replied?.updated_at ?? "")).toBeGreaterThan(Date.parse(replied?.created_at ?? ""));

  const second = await app.request(
    `/v1/handovers?limit=2&cursor=${encodeURIComponent(page1.next_cursor ?? "")}`,
    {
      headers: clientHeaders(userId),
    },
  );
  const page2 = (await second.json()) as HandoverPage;
  expect(page2.handovers.map((h) => h.handover_id)).toEqual([oldest.handoverId]);
  expect(page2.next_cursor).toBeNull();
});

test("GET /v1/handovers refuses a bad limit or cursor", async () => {
  const userId = newUserId("listbad");
  for (const query of ["?limit=0", "?limit=101", "?limit=x", "?cursor=not-a-cursor"]) {
    const response = await app.request(`/v1/handovers${query}`, { headers: clientHeaders(userId) });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invalid_request");
  }
  const unauthenticated = await app.request("/v1/handovers", {
    headers: { ...clientHeaders(userId), "X-API-Key": "wrong-key-wrong-key" },
  });
  expect(unauthenticated.status).toBe(401);
});
