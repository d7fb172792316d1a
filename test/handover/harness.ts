// What the handover tests share: the app configured for the stack's Intercom stand-in, failure
// injection and inspection on the stand-in (scoped to one external id, i.e. one test user, since
// test files run against the same stand-in at once), handover rows, and signed notifications.
import { randomUUID } from "node:crypto";
import { desc, eq } from "drizzle-orm";
import {
  type ReplyNotificationInput,
  replyNotification,
  signedNotification,
} from "../../scripts/standins/intercom/notification";
import { chatMessages, intercomHandovers } from "../../src/db/schema";
import { insertPendingHandover, markHandoverAccepted } from "../../src/handover/store";
import type { AppDb } from "../../src/infra/app-db";
import { clientHeaders, newUserId, requireEnv, type TestApp } from "../support/stack";

export const standinUrl = (): string => requireEnv("INTERCOM_STANDIN_URL");
export const clientSecret = (): string => requireEnv("INTERCOM_STANDIN_CLIENT_SECRET");

/** Config overrides that point an app at the stack's Intercom stand-in. */
export function intercomOverrides(extra: Record<string, string> = {}): Record<string, string> {
  return {
    INTERCOM_BASE_URL: standinUrl(),
    INTERCOM_ACCESS_TOKEN: requireEnv("INTERCOM_STANDIN_TOKEN"),
    INTERCOM_CLIENT_SECRET: clientSecret(),
    ...extra,
  };
}

export type StandinEndpoint = "/contacts/search" | "/contacts" | "/conversations";

export async function failNext(
  externalId: string,
  path: StandinEndpoint,
  mode: "5xx" | "timeout" | "401",
): Promise<void> {
  const response = await fetch(`${standinUrl()}/_standin/fail`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ external_id: externalId, path, mode }),
  });
  if (!response.ok) throw new Error(`stand-in refused the failure: ${await response.text()}`);
}

export interface StandinConversation {
  id: string;
  contact_id: string;
  external_id: string | null;
  body: string;
}

export async function conversationsOf(externalId: string): Promise<StandinConversation[]> {
  const response = await fetch(
    `${standinUrl()}/_standin/conversations?external_id=${encodeURIComponent(externalId)}`,
  );
  return (await response.json()) as StandinConversation[];
}

export async function callsOf(
  externalId: string,
): Promise<{ method: string; path: string; status: number }[]> {
  const response = await fetch(
    `${standinUrl()}/_standin/requests?external_id=${encodeURIComponent(externalId)}`,
  );
  return (await response.json()) as { method: string; path: string; status: number }[];
}

export function handoversOf(db: AppDb, userId: string) {
  return db
    .select()
    .from(intercomHandovers)
    .where(eq(intercomHandovers.userId, userId))
    .orderBy(desc(intercomHandovers.createdAt));
}

/** POSTs a notification to the app's webhook as Intercom would (signed), or with the headers given. */
export function postNotification(
  app: TestApp,
  payload: unknown,
  options: { secret?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const signed = signedNotification(payload, options.secret ?? clientSecret());
  return app.request("/webhooks/intercom", {
    method: "POST",
    headers: { ...signed.headers, ...options.headers },
    body: signed.body,
  });
}

export interface AcceptedHandover {
  userId: string;
  sessionId: string;
  handoverId: string;
  conversationId: string;
  contactId: string;
}

/**
 * A session with an accepted handover, written by the same store functions the tool uses (as if
 * Intercom had opened `conversationId`), for tests of the return leg alone.
 */
export async function acceptedHandover(
  app: TestApp,
  userId = newUserId("reply"),
  existingSessionId?: string,
): Promise<AcceptedHandover> {
  const sessionId = existingSessionId ?? (await newSession(app, userId));
  const db = app.deps.appDb.db;
  const handoverId = await insertPendingHandover(db, {
    userId,
    sessionId,
    turnId: Bun.randomUUIDv7(),
    question: "Do you sponsor chess tournaments?",
    summary: "test",
  });
  const conversationId = `conv-${randomUUID()}`;
  const contactId = `contact-${randomUUID().slice(0, 12)}`;
  await markHandoverAccepted(db, handoverId, { contactId, conversationId });
  return { userId, sessionId, handoverId, conversationId, contactId };
}

async function newSession(app: TestApp, userId: string): Promise<string> {
  const response = await app.request("/v1/sessions", { method: "POST", headers: clientHeaders(userId) });
  if (response.status !== 201) throw new Error(`session not created: ${response.status}`);
  return ((await response.json()) as { session_id: string }).session_id;
}

/** A reply notification for the handover's conversation, as Intercom sends it. */
export function replyTo(
  handover: AcceptedHandover,
  overrides: Partial<ReplyNotificationInput> = {},
): Record<string, unknown> {
  return replyNotification({
    conversationId: handover.conversationId,
    contact: { id: handover.contactId, externalId: handover.userId },
    partId: `part-${randomUUID()}`,
    body: "<p>Hello from support</p>",
    ...overrides,
  });
}

export interface MessagePage {
  messages: {
    message_id: string;
    role: string;
    content: string;
    turn_id: string | null;
    author: string | null;
  }[];
  next_cursor: string | null;
}

export async function messagesOf(
  app: TestApp,
  userId: string,
  sessionId: string,
  query = "",
): Promise<Response> {
  return app.request(`/v1/sessions/${sessionId}/messages${query}`, { headers: clientHeaders(userId) });
}

export function supportRowsWithPart(db: AppDb, partId: string) {
  return db.select().from(chatMessages).where(eq(chatMessages.intercomPartId, partId));
}
