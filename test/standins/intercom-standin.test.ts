// The Intercom stand-in speaks Intercom's paths, fields and errors: Bearer token and Intercom-Version
// checked, contacts found or created by external_id (409 on a second create), conversations only from
// known contacts; its failures are scoped to one external id and count down; and its reply sender
// signs notifications the way the backend checks them.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { type IntercomStandin, startIntercomStandin } from "../../scripts/standins/intercom/server";
import { verifyIntercomSignature } from "../../src/handover/signature";

const TOKEN = "standin-test-token";
const SECRET = "standin-test-secret";
let standin: IntercomStandin;
const received: { body: Uint8Array; signature: string | null }[] = [];
let webhook: ReturnType<typeof Bun.serve>;

beforeAll(async () => {
  standin = await startIntercomStandin({ port: 0, accessToken: TOKEN, clientSecret: SECRET });
  webhook = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: async (req) => {
      received.push({
        body: new Uint8Array(await req.arrayBuffer()),
        signature: req.headers.get("x-hub-signature"),
      });
      return Response.json({ status: "stored", stored: 1 });
    },
  });
});
afterAll(async () => {
  await standin.close();
  await webhook.stop(true);
});

const headers = {
  authorization: `Bearer ${TOKEN}`,
  "intercom-version": "2.11",
  "content-type": "application/json",
};
const post = (path: string, body: unknown, extra: Record<string, string> = headers) =>
  fetch(`${standin.url}${path}`, { method: "POST", headers: extra, body: JSON.stringify(body) });
const search = (externalId: string) =>
  post("/contacts/search", { query: { field: "external_id", operator: "=", value: externalId } });

test("the token and the Intercom-Version header are checked", async () => {
  const noToken = await post("/contacts", { external_id: "x" }, { "intercom-version": "2.11" });
  expect(noToken.status).toBe(401);
  expect(await noToken.json()).toMatchObject({ type: "error.list", errors: [{ code: "unauthorized" }] });
  const wrongToken = await post(
    "/contacts",
    { external_id: "x" },
    { ...headers, authorization: "Bearer nope" },
  );
  expect(wrongToken.status).toBe(401);
  const noVersion = await post("/contacts", { external_id: "x" }, { authorization: `Bearer ${TOKEN}` });
  expect(noVersion.status).toBe(400);
  expect(await noVersion.json()).toMatchObject({ errors: [{ code: "intercom_version_invalid" }] });
});

test("contacts are searched and created by external_id; a second create is 409", async () => {
  const externalId = `ext-${crypto.randomUUID()}`;
  expect(await (await search(externalId)).json()).toMatchObject({ type: "list", data: [], total_count: 0 });
  const created = await post("/contacts", { role: "user", external_id: externalId });
  expect(created.status).toBe(200);
  const contact = (await created.json()) as { type: string; id: string; external_id: string };
  expect(contact).toMatchObject({ type: "contact", external_id: externalId, role: "user" });
  const again = await post("/contacts", { role: "user", external_id: externalId });
  expect(again.status).toBe(409);
  expect(await again.json()).toMatchObject({
    errors: [{ code: "conflict", message: expect.stringContaining(contact.id) }],
  });
  expect(await (await search(externalId)).json()).toMatchObject({
    data: [{ id: contact.id }],
    total_count: 1,
  });

  const unknown = await post("/conversations", { from: { type: "user", id: "no-such-contact" }, body: "hi" });
  expect(unknown.status).toBe(404);
  const conversation = await post("/conversations", {
    from: { type: "user", id: contact.id },
    body: "Hello",
  });
  expect(await conversation.json()).toMatchObject({
    type: "user_message",
    message_type: "inapp",
    body: "Hello",
    conversation_id: expect.any(String),
  });
  const listed = await fetch(`${standin.url}/_standin/conversations?external_id=${externalId}`);
  expect(await listed.json()).toMatchObject([
    { contact_id: contact.id, external_id: externalId, body: "Hello" },
  ]);
});

test("injected failures hit only their external id, as many times as asked", async () => {
  const victim = `ext-${crypto.randomUUID()}`;
  const bystander = `ext-${crypto.randomUUID()}`;
  const fail = await post(
    "/_standin/fail",
    { external_id: victim, path: "/contacts/search", mode: "5xx", times: 2 },
    {},
  );
  expect(fail.status).toBe(200);
  expect((await search(bystander)).status).toBe(200);
  expect((await search(victim)).status).toBe(503);
  expect((await search(victim)).status).toBe(503);
  expect((await search(victim)).status).toBe(200);

  await post("/_standin/fail", { external_id: victim, path: "/contacts", mode: "401" }, {});
  expect((await post("/contacts", { external_id: victim })).status).toBe(401);

  await post("/_standin/fail", { external_id: victim, path: "/contacts", mode: "timeout" }, {});
  const started = performance.now();
  const held = await fetch(`${standin.url}/contacts`, {
    method: "POST",
    headers,
    body: JSON.stringify({ external_id: victim }),
    signal: AbortSignal.timeout(300),
  }).catch((error: Error) => error);
  expect(held).toBeInstanceOf(Error);
  expect(performance.now() - started).toBeGreaterThanOrEqual(250);

  const calls = (await (await fetch(`${standin.url}/_standin/requests?external_id=${victim}`)).json()) as {
    path: string;
    status: number;
  }[];
  expect(calls.slice(0, 5).map((call) => `${call.path} ${call.status}`)).toEqual([
    "/contacts/search 503",
    "/contacts/search 503",
    "/contacts/search 200",
    "/contacts 401",
    "/contacts 504",
  ]);

  const bad = await post("/_standin/fail", { path: "/nowhere", mode: "5xx" }, {});
  expect(bad.status).toBe(400);
});

test("the reply sender posts a notification signed the way the backend verifies it", async () => {
  const externalId = `ext-${crypto.randomUUID()}`;
  const contact = (await (await post("/contacts", { external_id: externalId })).json()) as { id: string };
  const { conversation_id: conversationId } = (await (
    await post("/conversations", { from: { type: "user", id: contact.id }, body: "Hello" })
  ).json()) as { conversation_id: string };

  const sent = await post(
    "/_standin/reply",
    {
      conversation_id: conversationId,
      body: "<p>Hi!</p>",
      author_type: "bot",
      webhook_url: `http://127.0.0.1:${webhook.port}/webhooks/intercom`,
    },
    {},
  );
  expect(await sent.json()).toMatchObject({ webhook_status: 200, part_id: expect.any(String) });
  const delivery = received.at(-1);
  expect(delivery).toBeDefined();
  if (!delivery) return;
  expect(verifyIntercomSignature(delivery.body, delivery.signature, SECRET)).toBe(true);
  expect(verifyIntercomSignature(delivery.body, delivery.signature, "another secret")).toBe(false);
  const payload = JSON.parse(new TextDecoder().decode(delivery.body));
  expect(payload).toMatchObject({
    type: "notification_event",
    topic: "conversation.operator.replied",
    data: {
      item: {
        type: "conversation",
        id: conversationId,
        contacts: { contacts: [{ id: contact.id, external_id: externalId }] },
        conversation_parts: {
          conversation_parts: [
            { part_type: "comment", body: "<p>Hi!</p>", author: { type: "bot", name: "Fin" } },
          ],
        },
      },
    },
  });

  const unknown = await post("/_standin/reply", { conversation_id: "nope", body: "x" }, {});
  expect(unknown.status).toBe(400);
});
