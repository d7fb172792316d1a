// Webhook notifications as Intercom sends them: a `notification_event` whose `data.item` is the
// conversation with the new part, signed with `X-Hub-Signature: sha1=<HMAC-SHA1(client secret, raw
// body)>`. Used by the stand-in's /_standin/reply and by tests that post straight into an app.
// The signature is computed here on its own (not imported from src/), so a test of the backend's
// check compares two independent implementations.
import { createHmac, randomUUID } from "node:crypto";

export type ReplyTopic = "conversation.admin.replied" | "conversation.operator.replied";

export interface ReplyNotificationInput {
  conversationId: string;
  /** The conversation's contact as Intercom lists it. */
  contact: { id: string; externalId: string | null };
  partId: string;
  /** HTML, as Intercom's part bodies are. */
  body: string;
  author?: { type: "admin" | "bot"; name: string; id?: string };
  topic?: ReplyTopic;
  partType?: string;
  notificationId?: string;
  /** Unix seconds; defaults to now. */
  createdAt?: number;
}

export function replyNotification(input: ReplyNotificationInput): Record<string, unknown> {
  const now = input.createdAt ?? Math.floor(Date.now() / 1000);
  const author = input.author ?? { type: "admin", name: "Sam from Hilo Support" };
  const topic =
    input.topic ?? (author.type === "bot" ? "conversation.operator.replied" : "conversation.admin.replied");
  return {
    type: "notification_event",
    app_id: "standin",
    id: input.notificationId ?? `notif_${randomUUID()}`,
    topic,
    delivery_status: "pending",
    delivery_attempts: 1,
    delivered_at: 0,
    first_sent_at: now,
    created_at: now,
    self: null,
    data: {
      type: "notification_event_data",
      item: {
        type: "conversation",
        id: input.conversationId,
        created_at: now,
        updated_at: now,
        title: null,
        state: "open",
        open: true,
        read: false,
        contacts: {
          type: "contact.list",
          contacts: [{ type: "contact", id: input.contact.id, external_id: input.contact.externalId }],
        },
        conversation_parts: {
          type: "conversation_part.list",
          conversation_parts: [
            {
              type: "conversation_part",
              id: input.partId,
              part_type: input.partType ?? "comment",
              body: input.body,
              created_at: now,
              updated_at: now,
              notified_at: now,
              assigned_to: null,
              author: {
                id: author.id ?? (author.type === "bot" ? "6827949" : "814860"),
                type: author.type,
                name: author.name,
                email: author.type === "bot" ? "operator+standin@intercom.io" : "support@hilo.example",
              },
              attachments: [],
              external_id: null,
              redacted: false,
            },
          ],
          total_count: 1,
        },
      },
    },
  };
}

export function hubSignature(body: string | Uint8Array, clientSecret: string): string {
  return `sha1=${createHmac("sha1", clientSecret).update(body).digest("hex")}`;
}

/** The request Intercom would POST: the exact body text and its headers (signature included). */
export function signedNotification(
  payload: unknown,
  clientSecret: string,
): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify(payload);
  return {
    body,
    headers: {
      "content-type": "application/json",
      accept: "application/json",
      "user-agent": "intercom-parrot-service-client/1.0",
      "x-hub-signature": hubSignature(body, clientSecret),
    },
  };
}
