// A support reply belongs to the user whose handover opened the conversation, and to nobody else: the
// payload's own ids never pick the user, a conversation that names another contact is refused, a
// deleted session gets nothing, and other users cannot read the reply or the handover.
import { afterAll, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { chatSessions } from "../../src/db/schema";
import { buildTestApp } from "../chat/harness";
import { clientHeaders } from "../support/stack";
import {
  acceptedHandover,
  intercomOverrides,
  type MessagePage,
  messagesOf,
  postNotification,
  replyTo,
  supportRowsWithPart,
} from "./harness";

const app = buildTestApp(intercomOverrides());
afterAll(() => app.close());

test("the reply goes to the handover's user even when the payload names another user's external id", async () => {
  const owner = await acceptedHandover(app);
  const other = await acceptedHandover(app);
  const partId = `part-${crypto.randomUUID()}`;
  const payload = replyTo(owner, { partId, contact: { id: owner.contactId, externalId: other.userId } });
  expect(await (await postNotification(app, payload)).json()).toEqual({ status: "stored", stored: 1 });

  const [row] = await supportRowsWithPart(app.deps.appDb.db, partId);
  expect(row).toMatchObject({ userId: owner.userId, sessionId: owner.sessionId, role: "support" });
  const othersPage = (await (await messagesOf(app, other.userId, other.sessionId)).json()) as MessagePage;
  expect(othersPage.messages).toEqual([]);
});

test("a conversation that lists another contact than the handover's is refused", async () => {
  const owner = await acceptedHandover(app);
  const partId = `part-${crypto.randomUUID()}`;
  const payload = replyTo(owner, { partId, contact: { id: "someone-else", externalId: "someone-else" } });
  expect(await (await postNotification(app, payload)).json()).toEqual({
    status: "ignored",
    reason: "other_contact",
  });
  expect(await supportRowsWithPart(app.deps.appDb.db, partId)).toEqual([]);
});

test("another user can read neither the reply nor the handover", async () => {
  const owner = await acceptedHandover(app);
  const stranger = await acceptedHandover(app);
  await postNotification(app, replyTo(owner, { body: "<p>for the owner only</p>" }));

  const ownerPage = (await (await messagesOf(app, owner.userId, owner.sessionId)).json()) as MessagePage;
  expect(ownerPage.messages.map((m) => m.content)).toEqual(["for the owner only"]);
  expect((await messagesOf(app, stranger.userId, owner.sessionId)).status).toBe(404);

  const list = await app.request("/v1/handovers", { headers: clientHeaders(stranger.userId) });
  const ids = ((await list.json()) as { handovers: { handover_id: string }[] }).handovers.map(
    (h) => h.handover_id,
  );
  expect(ids).toEqual([stranger.handoverId]);
  // User ids are exact: another case is another user.
  const upper = await app.request("/v1/handovers", { headers: clientHeaders(owner.userId.toUpperCase()) });
  expect(((await upper.json()) as { handovers: unknown[] }).handovers).toEqual([]);
});

test("a reply to a handover whose session was deleted is dropped, attached nowhere", async () => {
  const owner = await acceptedHandover(app);
  await app.deps.appDb.db
    .delete(chatSessions)
    .where(and(eq(chatSessions.id, owner.sessionId), eq(chatSessions.userId, owner.userId)));
  const partId = `part-${crypto.randomUUID()}`;
  const response = await postNotification(app, replyTo(owner, { partId }));
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ status: "ignored", reason: "session_gone" });
  expect(await supportRowsWithPart(app.deps.appDb.db, partId)).toEqual([]);
});

test("a signature made with another Intercom app's secret is refused", async () => {
  const owner = await acceptedHandover(app);
  const partId = `part-${crypto.randomUUID()}`;
  const response = await postNotification(app, replyTo(owner, { partId }), {
    secret: "another-workspace-secret",
  });
  expect(response.status).toBe(401);
  expect(await supportRowsWithPart(app.deps.appDb.db, partId)).toEqual([]);
});
