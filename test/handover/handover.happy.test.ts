// The whole handover, end to end over HTTP against a live api: a failed FAQ search, the user's yes,
// the tool's two Intercom steps on the stand-in, then a support reply that Intercom (the stand-in)
// signs and posts to the api's webhook, landing in the session's history, the handover list and the
// session list, for its owner only, and never in what the model sees.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { type LiveApi, startLiveApi } from "../support/live-api";
import { readSse, type SseEvent } from "../support/sse";
import { clientHeaders, newUserId } from "../support/stack";
import { requestsMatching, script, uniqueMatch } from "../support/standin";
import { callsOf, conversationsOf, handoversOf, intercomOverrides, standinUrl } from "./harness";

let api: LiveApi;
beforeAll(async () => {
  api = await startLiveApi(intercomOverrides());
});
afterAll(() => api.stop());

async function openSession(userId: string): Promise<string> {
  const response = await fetch(`${api.url}/v1/sessions`, { method: "POST", headers: clientHeaders(userId) });
  expect(response.status).toBe(201);
  return ((await response.json()) as { session_id: string }).session_id;
}

async function sendTurn(userId: string, sessionId: string, message: string): Promise<SseEvent[]> {
  const response = await fetch(`${api.url}/v1/sessions/${sessionId}/messages`, {
    method: "POST",
    headers: {
      ...clientHeaders(userId),
      "content-type": "application/json",
      "idempotency-key": `key-${crypto.randomUUID()}`,
    },
    body: JSON.stringify({ message }),
  });
  expect(response.status).toBe(200);
  const { events } = await readSse(response, { timeoutMs: 30_000 });
  return events;
}

const toolResult = (events: SseEvent[], name: string) =>
  events.find((event) => event.event === "tool_result" && event.data.name === name)?.data;

async function getJson<T>(path: string, userId: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${api.url}${path}`, { headers: clientHeaders(userId) });
  return { status: response.status, body: (await response.json()) as T };
}

interface MessagePage {
  messages: {
    message_id: string;
    role: string;
    content: string;
    turn_id: string | null;
    author: string | null;
  }[];
  next_cursor: string | null;
}

test("a failed FAQ lookup, the user's yes, a conversation in Intercom, and the support reply back in the chat", async () => {
  const userId = newUserId("handover");
  const sessionId = await openSession(userId);

  // Turn 1: the FAQ has nothing; the assistant offers support. The user's e-mail never leaves Layer 1.
  const miss = uniqueMatch("faqmiss");
  await script(miss, [
    {
      tool_calls: [
        { name: "search_faq", arguments: { query: "Do you sponsor chess tournaments in Reykjavik?" } },
      ],
    },
    { content: "The FAQ does not cover that. Shall I pass your question to our support team?" },
  ]);
  const first = await sendTurn(
    userId,
    sessionId,
    `Does Hilo sponsor chess tournaments? Write to jane.doe@example.com ${miss}`,
  );
  expect(toolResult(first, "search_faq")).toMatchObject({ ok: true, result: { status: "no_match" } });

  // Turn 2: the user agrees; the model asks for the handover (with a phone number in its phrasing).
  const yes = uniqueMatch("handoveryes");
  await script(yes, [
    {
      tool_calls: [
        {
          name: "handover_to_intercom_fin",
          arguments: { question: "Does Hilo sponsor chess tournaments? Call me on +44 7700 900123" },
        },
      ],
    },
    { content: "Done: the support team has your question and will reply in this chat." },
  ]);
  const second = await sendTurn(userId, sessionId, `Yes please, pass it on ${yes}`);
  const handed = toolResult(second, "handover_to_intercom_fin");
  expect(handed).toMatchObject({ ok: true, result: { status: "accepted" } });
  expect(second.map((event) => event.event)).toContain("done");
  expect(second.at(-1)?.event).toBe("end");

  // One row, accepted, with the conversation Intercom opened; what was sent is redacted.
  const rows = await handoversOf(api.deps.appDb.db, userId);
  expect(rows).toHaveLength(1);
  const [row] = rows;
  expect(row).toMatchObject({ status: "accepted", sessionId, error: null });
  expect(handed?.result).toMatchObject({ handover_id: row?.id });
  expect(row?.question).toContain("[phone]");
  const conversations = await conversationsOf(userId);
  expect(conversations).toHaveLength(1);
  const [conversation] = conversations;
  expect(conversation?.id).toBe(row?.intercomConversationId ?? "");
  expect(conversation?.body).toContain("Does Hilo sponsor chess tournaments?");
  expect(conversation?.body).toContain("[email]");
  expect(conversation?.body).toContain("[phone]");
  expect(conversation?.body).not.toContain("jane.doe");
  expect(conversation?.body).not.toContain("7700 900123");
  // Find-or-create the contact, then one conversation: no call twice.
  expect((await callsOf(userId)).map((call) => `${call.path} ${call.status}`)).toEqual([
    "/contacts/search 200",
    "/contacts 200",
    "/conversations 200",
  ]);

  const before = await getJson<{ sessions: { session_id: string; last_activity_at: string }[] }>(
    "/v1/sessions",
    userId,
  );
  const activityBefore = before.body.sessions.find((s) => s.session_id === sessionId)?.last_activity_at ?? "";

  // A teammate answers in Intercom: the stand-in signs the notification and posts it to our webhook.
  const replied = await fetch(`${standinUrl()}/_standin/reply`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      conversation_id: conversation?.id,
      body: '<p>Hi! We don&#39;t sponsor tournaments, <b>sorry</b>.</p><p>See <a href="https://hilo.example/help">our help</a></p>',
      author_name: "Sam",
      webhook_url: `${api.url}/webhooks/intercom`,
    }),
  });
  const delivery = (await replied.json()) as { webhook_status: number; webhook_body: string };
  expect(delivery.webhook_status).toBe(200);
  expect(JSON.parse(delivery.webhook_body)).toEqual({ status: "stored", stored: 1 });

  // The reply is the newest message of the session, as plain text, with its author and no turn.
  const history = await getJson<MessagePage>(`/v1/sessions/${sessionId}/messages`, userId);
  expect(history.status).toBe(200);
  expect(history.body.messages.map((message) => message.role)).toEqual([
    "support",
    "assistant",
    "user",
    "assistant",
    "user",
  ]);
  const reply = history.body.messages[0];
  expect(reply).toMatchObject({
    role: "support",
    author: "Sam",
    turn_id: null,
    content: "Hi! We don't sponsor tournaments, sorry.\n\nSee our help [https://hilo.example/help]",
  });
  expect(history.body.messages.slice(1).every((message) => message.author === null)).toBe(true);

  // The handover list shows it as the last reply; the session moved up by activity.
  const handovers = await getJson<{ handovers: Record<string, unknown>[] }>("/v1/handovers", userId);
  expect(handovers.body.handovers).toHaveLength(1);
  expect(handovers.body.handovers[0]).toMatchObject({
    handover_id: row?.id,
    session_id: sessionId,
    status: "accepted",
    last_reply: { message_id: reply?.message_id, author: "Sam", content: reply?.content },
  });
  const after = await getJson<{ sessions: { session_id: string; last_activity_at: string }[] }>(
    "/v1/sessions",
    userId,
  );
  const activityAfter = after.body.sessions.find((s) => s.session_id === sessionId)?.last_activity_at ?? "";
  expect(Date.parse(activityAfter)).toBeGreaterThan(Date.parse(activityBefore));

  // Nobody else sees it.
  const stranger = newUserId("stranger");
  expect((await getJson(`/v1/sessions/${sessionId}/messages`, stranger)).status).toBe(404);
  expect((await getJson<{ handovers: unknown[] }>("/v1/handovers", stranger)).body.handovers).toEqual([]);

  // The reply never reaches the model: the next turn's history holds the user and assistant only.
  const next = uniqueMatch("afterreply");
  await script(next, [{ content: "Glad support could help." }]);
  await sendTurn(userId, sessionId, `Thanks ${next}`);
  const [request] = (await requestsMatching(next)).filter((body) => !body.response_format);
  expect(JSON.stringify(request?.messages)).not.toContain("sponsor tournaments, sorry");
  expect(JSON.stringify(request?.messages)).toContain("Does Hilo sponsor chess tournaments?");
});
