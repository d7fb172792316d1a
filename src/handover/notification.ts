// Intercom webhook notifications, read after the signature has been checked: the envelope
// (`notification_event`: id, topic, data.item) and, for a reply topic, the conversation's reply parts.
// Pure: no I/O, so the shapes are tested with tables.
import { z } from "zod";
import { htmlToPlainText } from "./html-text";

/** A teammate's reply, and Fin's (or another bot's); Fin's can arrive under both topics. */
export const REPLY_TOPICS: ReadonlySet<string> = new Set([
  "conversation.admin.replied",
  "conversation.operator.replied",
]);
/** Sent when the webhook is set up or tested in Intercom's Developer Hub. */
export const PING_TOPIC = "ping";

const envelopeShape = z.object({
  type: z.literal("notification_event"),
  id: z.string().min(1).max(200),
  topic: z.string().min(1).max(200),
  data: z.object({ item: z.unknown() }).optional(),
});

export type NotificationEnvelope = z.infer<typeof envelopeShape>;

const partShape = z.object({
  id: z.coerce.string().min(1).max(64),
  part_type: z.string(),
  body: z.string().nullish(),
  author: z.object({ type: z.string(), name: z.string().nullish() }).nullish(),
});

const conversationShape = z.object({
  id: z.coerce.string().min(1).max(64),
  contacts: z
    .object({
      contacts: z.array(z.object({ id: z.coerce.string().nullish(), external_id: z.string().nullish() })),
    })
    .nullish(),
  conversation_parts: z.object({ conversation_parts: z.array(z.unknown()) }).nullish(),
});

/** Only these parts reach the user: a comment written to them (a note is internal to the team). */
const REPLY_PART_TYPES = new Set(["comment"]);
/** Teammates and bots (Fin); the user's own parts are already in their chat. */
const SUPPORT_AUTHORS = new Set(["admin", "bot"]);
export const AUTHOR_NAME_MAX_CHARS = 255;

export interface SupportReply {
  partId: string;
  authorName: string | null;
  text: string;
}

export interface ReplyNotification {
  conversationId: string;
  /** The contacts Intercom lists on the conversation (ids and external ids), when it lists them. */
  contacts: { id: string | null; externalId: string | null }[] | null;
  replies: SupportReply[];
}

export function parseEnvelope(value: unknown): NotificationEnvelope | null {
  const parsed = envelopeShape.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The conversation and its support replies; null when `data.item` is not a conversation. */
export function readReplyNotification(envelope: NotificationEnvelope): ReplyNotification | null {
  const conversation = conversationShape.safeParse(envelope.data?.item);
  if (!conversation.success) return null;
  const replies: SupportReply[] = [];
  for (const raw of conversation.data.conversation_parts?.conversation_parts ?? []) {
    const part = partShape.safeParse(raw);
    // A part of another shape is skipped, not fatal: the others may still be replies.
    if (!part.success) continue;
    const { id, part_type, body, author } = part.data;
    if (!REPLY_PART_TYPES.has(part_type) || !author || !SUPPORT_AUTHORS.has(author.type)) continue;
    const text = body ? htmlToPlainText(body) : "";
    if (text === "") continue;
    const name = author.name?.trim();
    replies.push({ partId: id, authorName: name ? name.slice(0, AUTHOR_NAME_MAX_CHARS) : null, text });
  }
  return {
    conversationId: conversation.data.id,
    contacts:
      conversation.data.contacts?.contacts.map((contact) => ({
        id: contact.id ?? null,
        externalId: contact.external_id ?? null,
      })) ?? null,
    replies,
  };
}
