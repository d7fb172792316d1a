// The return leg (beyond the seed): Intercom's signed notification of a support reply becomes a
// `support` message in the user's session. Order of checks: signature on the raw bytes (nothing is
// parsed or written before it passes), then the envelope, the ping, the delivery id (a repeat is a
// no-op), the topic, and the handover that opened the conversation. The reply never reaches the model.
import { invalidRequest } from "../errors";
import { invalidJson, unauthorized } from "../http/errors";
import type { Deps } from "../infra/deps";
import type { Logger } from "../observability/logger";
import type { IntercomSettings } from "./intercom-api";
import { PING_TOPIC, parseEnvelope, REPLY_TOPICS, readReplyNotification } from "./notification";
import { storeSupportReplies } from "./replies";
import { verifyIntercomSignature } from "./signature";
import { findHandoverByConversation } from "./store";

/**
 * How long a delivery id is remembered. Intercom retries a failed delivery for a while (minutes to
 * hours); a week is far beyond that. A repeat after it is still stored once (the part id is UNIQUE).
 */
export const DELIVERY_ID_TTL_S = 7 * 24 * 60 * 60;

export interface WebhookContext {
  deps: Pick<Deps, "appDb" | "redis">;
  intercom: IntercomSettings;
  log: Logger;
}

export type WebhookOutcome =
  | { status: "pong" }
  | { status: "duplicate" }
  | {
      status: "ignored";
      reason: "topic" | "not_a_conversation" | "unknown_conversation" | "other_contact" | "session_gone";
    }
  | { status: "stored"; stored: number };

export function deliveryKey(notificationId: string): string {
  return `hilo:intercom:delivery:${notificationId}`;
}

export async function receiveIntercomNotification({
  ctx,
  input,
}: {
  ctx: WebhookContext;
  input: { body: Uint8Array; signature: string | null };
}): Promise<WebhookOutcome> {
  const { log } = ctx;
  if (!verifyIntercomSignature(input.body, input.signature, ctx.intercom.clientSecret)) {
    throw unauthorized(input.signature === null ? "missing X-Hub-Signature" : "invalid X-Hub-Signature");
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(input.body));
  } catch {
    throw invalidJson("notification body is not valid JSON");
  }
  const envelope = parseEnvelope(json);
  if (!envelope) throw invalidRequest("not an Intercom notification_event");
  if (envelope.topic === PING_TOPIC) return { status: "pong" };
  if (!REPLY_TOPICS.has(envelope.topic)) {
    log.info("intercom notification ignored", { topic: envelope.topic, notification_id: envelope.id });
    return { status: "ignored", reason: "topic" };
  }
  if (!(await claimDelivery(ctx, envelope.id))) return { status: "duplicate" };
  try {
    return await handleReply(ctx, envelope);
  } catch (error) {
    // Not handled: forget the delivery so Intercom's retry is processed (the part ids keep it once).
    await ctx.deps.redis.redis.del(deliveryKey(envelope.id)).catch(() => {});
    throw error;
  }
}

/** First time this delivery id is seen? Fail-open when Redis is away: the part ids still dedupe. */
async function claimDelivery(ctx: WebhookContext, notificationId: string): Promise<boolean> {
  try {
    const set = await ctx.deps.redis.redis.set(
      deliveryKey(notificationId),
      "1",
      "EX",
      DELIVERY_ID_TTL_S,
      "NX",
    );
    return set === "OK";
  } catch (error) {
    ctx.log.warn("intercom delivery dedup unavailable; relying on part ids", { error });
    return true;
  }
}

async function handleReply(
  ctx: WebhookContext,
  envelope: NonNullable<ReturnType<typeof parseEnvelope>>,
): Promise<WebhookOutcome> {
  const { log } = ctx;
  const fields = { notification_id: envelope.id, topic: envelope.topic };
  const notification = readReplyNotification(envelope);
  if (!notification) {
    log.warn("intercom reply notification without a conversation", fields);
    return { status: "ignored", reason: "not_a_conversation" };
  }
  const conversation = { ...fields, conversation_id: notification.conversationId };
  const target = await findHandoverByConversation(ctx.deps.appDb.db, notification.conversationId);
  if (!target) {
    log.info("intercom reply for a conversation no handover opened", conversation);
    return { status: "ignored", reason: "unknown_conversation" };
  }
  // Belt and braces: when Intercom names the conversation's contacts, ours must be among them.
  if (
    notification.contacts !== null &&
    notification.contacts.length > 0 &&
    !notification.contacts.some(
      (contact) =>
        (target.contactId !== null && contact.id === target.contactId) ||
        contact.externalId === target.userId,
    )
  ) {
    log.warn("intercom reply names another contact than the handover's; ignored", conversation);
    return { status: "ignored", reason: "other_contact" };
  }
  if (notification.replies.length === 0) return { status: "stored", stored: 0 };
  const outcome = await storeSupportReplies(ctx.deps.appDb.db, target, notification.replies);
  if (outcome.kind === "session_gone") {
    log.info("intercom reply for a session that no longer exists", conversation);
    return { status: "ignored", reason: "session_gone" };
  }
  log.info("support reply stored", {
    ...conversation,
    handover_id: target.handoverId,
    stored: outcome.stored,
  });
  return { status: "stored", stored: outcome.stored };
}
