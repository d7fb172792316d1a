// What the webhook refuses or treats as a no-op: a missing, wrong, malformed or stale signature (401,
// no side effect at all), a replayed delivery, the same part delivered again, an unknown
// conversation, an oversize body (413, by Content-Length or while reading), and signed bodies that
// are not notifications.
import { afterAll, expect, test } from "bun:test";
import { hubSignature, signedNotification } from "../../scripts/standins/intercom/notification";
import { buildTestApp } from "../chat/harness";
import {
  acceptedHandover,
  clientSecret,
  intercomOverrides,
  type MessagePage,
  messagesOf,
  postNotification,
  replyTo,
  supportRowsWithPart,
} from "./harness";

const MAX_BODY_BYTES = 4_096;
const app = buildTestApp(intercomOverrides({ HILO_MAX_BODY_BYTES: String(MAX_BODY_BYTES) }));
afterAll(() => app.close());

async function storedMessages(userId: string, sessionId: string): Promise<MessagePage["messages"]> {
  return ((await (await messagesOf(app, userId, sessionId)).json()) as MessagePage).messages;
}

const unsigned = (payload: unknown, headers: Record<string, string>) =>
  app.request("/webhooks/intercom", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(payload),
  });

test("a missing or wrong signature is 401 and has no side effect, not even on the delivery id", async () => {
  const handover = await acceptedHandover(app);
  const payload = replyTo(handover);
  const body = JSON.stringify(payload);
  const refused = [
    await unsigned(payload, {}),
    await unsigned(payload, { "x-hub-signature": hubSignature(body, "another-apps-secret") }),
    await unsigned(payload, {
      "x-hub-signature": hubSignature(body, clientSecret()).replace("sha1=", "sha256="),
    }),
    await unsigned(payload, { "x-hub-signature": "sha1=zz" }),
    await unsigned(payload, { "x-hub-signature": hubSignature(body, clientSecret()).slice(0, -2) }),
    // Signed over other bytes: the same JSON re-serialised with a space is not what was signed.
    await app.request("/webhooks/intercom", {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature": hubSignature(body, clientSecret()) },
      body: JSON.stringify(payload, null, 1),
    }),
  ];
  for (const response of refused) {
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
  }
  expect(await storedMessages(handover.userId, handover.sessionId)).toEqual([]);
  // The delivery id was not consumed: the genuine delivery still goes through.
  const genuine = await postNotification(app, payload);
  expect(await genuine.json()).toEqual({ status: "stored", stored: 1 });
});

test("a replayed delivery is a no-op", async () => {
  const handover = await acceptedHandover(app);
  const payload = replyTo(handover);
  expect(await (await postNotification(app, payload)).json()).toEqual({ status: "stored", stored: 1 });
  for (let i = 0; i < 3; i++) {
    const again = await postNotification(app, payload);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ status: "duplicate" });
  }
  expect(await storedMessages(handover.userId, handover.sessionId)).toHaveLength(1);
});

test("the same part under another delivery (Fin's reply under both topics) is stored once", async () => {
  const handover = await acceptedHandover(app);
  const partId = `part-${crypto.randomUUID()}`;
  const asAdmin = replyTo(handover, {
    partId,
    topic: "conversation.admin.replied",
    author: { type: "bot", name: "Fin" },
  });
  const asOperator = replyTo(handover, {
    partId,
    topic: "conversation.operator.replied",
    author: { type: "bot", name: "Fin" },
  });
  expect(await (await postNotification(app, asAdmin)).json()).toEqual({ status: "stored", stored: 1 });
  expect(await (await postNotification(app, asOperator)).json()).toEqual({ status: "stored", stored: 0 });
  expect(await supportRowsWithPart(app.deps.appDb.db, partId)).toHaveLength(1);
});

test("concurrent deliveries of one notification store it once", async () => {
  const handover = await acceptedHandover(app);
  const payload = replyTo(handover);
  const answers = await Promise.all(
    Array.from({ length: 8 }, async () => (await postNotification(app, payload)).json()),
  );
  expect(
    answers.filter((answer) => JSON.stringify(answer) === '{"status":"stored","stored":1}'),
  ).toHaveLength(1);
  expect(await storedMessages(handover.userId, handover.sessionId)).toHaveLength(1);
});

test("a reply for a conversation no handover opened is 200, and nothing is stored", async () => {
  const partId = `part-${crypto.randomUUID()}`;
  const response = await postNotification(
    app,
    replyTo(
      {
        userId: "nobody",
        sessionId: "none",
        handoverId: "none",
        conversationId: `unknown-${crypto.randomUUID()}`,
        contactId: "c-unknown",
      },
      { partId },
    ),
  );
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ status: "ignored", reason: "unknown_conversation" });
  expect(await supportRowsWithPart(app.deps.appDb.db, partId)).toEqual([]);
});

test("an oversize body is 413, by Content-Length and while reading a chunked one", async () => {
  const handover = await acceptedHandover(app);
  const partId = `part-${crypto.randomUUID()}`;
  const payload = replyTo(handover, { partId, body: `<p>${"x".repeat(MAX_BODY_BYTES)}</p>` });
  const signed = signedNotification(payload, clientSecret());

  const declared = await app.request("/webhooks/intercom", {
    method: "POST",
    headers: signed.headers,
    body: signed.body,
  });
  expect(declared.status).toBe(413);
  expect(((await declared.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");

  const bytes = new TextEncoder().encode(signed.body);
  const chunked = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let at = 0; at < bytes.length; at += 1_000) controller.enqueue(bytes.slice(at, at + 1_000));
      controller.close();
    },
  });
  const streamed = await app.request("/webhooks/intercom", {
    method: "POST",
    headers: signed.headers,
    body: chunked,
  });
  expect(streamed.status).toBe(413);
  expect(await supportRowsWithPart(app.deps.appDb.db, partId)).toEqual([]);
});

test("a signed body that is not JSON, or not a notification, is 400", async () => {
  const notJson = "{not json";
  const bad = await app.request("/webhooks/intercom", {
    method: "POST",
    headers: { "content-type": "application/json", "x-hub-signature": hubSignature(notJson, clientSecret()) },
    body: notJson,
  });
  expect(bad.status).toBe(400);
  expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("invalid_json");

  const notNotification = await postNotification(app, { hello: "world" });
  expect(notNotification.status).toBe(400);
  expect(((await notNotification.json()) as { error: { code: string } }).error.code).toBe("invalid_request");

  const empty = await app.request("/webhooks/intercom", {
    method: "POST",
    headers: { "x-hub-signature": hubSignature("", clientSecret()) },
  });
  expect(empty.status).toBe(400);
});

test("a reply notification whose item is not a conversation is acknowledged and ignored", async () => {
  const response = await postNotification(app, {
    type: "notification_event",
    id: `notif_${crypto.randomUUID()}`,
    topic: "conversation.admin.replied",
    data: { type: "notification_event_data", item: { type: "contact" } },
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ status: "ignored", reason: "not_a_conversation" });
});
