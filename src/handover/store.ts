// The handover rows. A row is inserted `pending` before any network call, so every attempt is on
// record even if the process dies mid-call; it then moves exactly once, by a compare-and-set on
// `pending`, to `accepted` or `failed`. No statement here ever moves a row out of a terminal status.
import { and, desc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/mysql-core";
import { affectedRows } from "../chat/claims";
import { beforeCursor, type Cursor, type Page, toPage } from "../db/cursor";
import { chatMessages, intercomHandovers } from "../db/schema";
import type { AppDb } from "../infra/app-db";

export type HandoverStatus = "pending" | "accepted" | "failed";
export const HANDOVER_STATUSES: readonly HandoverStatus[] = ["pending", "accepted", "failed"];

/** Long enough for the error class and a short detail; the column holds 500. */
const ERROR_MAX_CHARS = 500;

export async function insertPendingHandover(
  db: AppDb,
  row: { userId: string; sessionId: string; turnId: string; question: string; summary: string },
): Promise<string> {
  const id = Bun.randomUUIDv7();
  await db.insert(intercomHandovers).values({ id, status: "pending", ...row });
  return id;
}

/** True when this call moved the row; false when it was not pending any more. */
export async function markHandoverAccepted(
  db: AppDb,
  id: string,
  ids: { contactId: string; conversationId: string },
): Promise<boolean> {
  const result = await db
    .update(intercomHandovers)
    .set({
      status: "accepted",
      intercomContactId: ids.contactId,
      intercomConversationId: ids.conversationId,
      updatedAt: sql`CURRENT_TIMESTAMP(3)`,
    })
    .where(and(eq(intercomHandovers.id, id), eq(intercomHandovers.status, "pending")));
  return affectedRows(result) === 1;
}

export async function markHandoverFailed(
  db: AppDb,
  id: string,
  failure: { errorClass: string; detail: string; contactId: string | null },
): Promise<boolean> {
  const result = await db
    .update(intercomHandovers)
    .set({
      status: "failed",
      error: `${failure.errorClass}: ${failure.detail}`.slice(0, ERROR_MAX_CHARS),
      intercomContactId: failure.contactId,
      updatedAt: sql`CURRENT_TIMESTAMP(3)`,
    })
    .where(and(eq(intercomHandovers.id, id), eq(intercomHandovers.status, "pending")));
  return affectedRows(result) === 1;
}

/** The handover this turn already opened, if any: a second call in the same turn reuses it. */
export async function acceptedHandoverOfTurn(
  db: AppDb,
  userId: string,
  turnId: string,
): Promise<string | null> {
  const rows = await db
    .select({ id: intercomHandovers.id })
    .from(intercomHandovers)
    .where(
      and(
        eq(intercomHandovers.userId, userId),
        eq(intercomHandovers.turnId, turnId),
        eq(intercomHandovers.status, "accepted"),
      ),
    )
    .limit(1);
  return rows[0]?.id ?? null;
}

export interface HandoverTarget {
  handoverId: string;
  userId: string;
  sessionId: string;
  contactId: string | null;
}

/** The accepted handover that opened this Intercom conversation, or null. */
export async function findHandoverByConversation(
  db: AppDb,
  conversationId: string,
): Promise<HandoverTarget | null> {
  const rows = await db
    .select({
      handoverId: intercomHandovers.id,
      userId: intercomHandovers.userId,
      sessionId: intercomHandovers.sessionId,
      contactId: intercomHandovers.intercomContactId,
    })
    .from(intercomHandovers)
    .where(
      and(
        eq(intercomHandovers.intercomConversationId, conversationId),
        eq(intercomHandovers.status, "accepted"),
      ),
    )
    .limit(1);
  return rows[0] ?? null;
}

export interface HandoverSummary {
  handoverId: string;
  sessionId: string;
  status: HandoverStatus;
  createdAt: Date;
  updatedAt: Date;
  lastReply: { messageId: string; author: string | null; content: string; createdAt: Date } | null;
}

const reply = alias(chatMessages, "last_reply");

/** The user's handovers, newest first, each with its newest stored support reply. */
export async function listHandovers(
  db: AppDb,
  userId: string,
  limit: number,
  cursor: Cursor | null,
): Promise<Page<HandoverSummary>> {
  const rows = await db
    .select({
      handoverId: intercomHandovers.id,
      sessionId: intercomHandovers.sessionId,
      status: intercomHandovers.status,
      createdAt: intercomHandovers.createdAt,
      updatedAt: intercomHandovers.updatedAt,
      replyId: reply.id,
      replyAuthor: reply.authorName,
      replyContent: reply.content,
      replyCreatedAt: reply.createdAt,
    })
    .from(intercomHandovers)
    // The reply must be the user's own too: a join on the id alone would trust the column blindly.
    .leftJoin(
      reply,
      and(eq(reply.id, intercomHandovers.lastReplyMessageId), eq(reply.userId, intercomHandovers.userId)),
    )
    .where(
      and(
        eq(intercomHandovers.userId, userId),
        beforeCursor(intercomHandovers.createdAt, intercomHandovers.id, cursor),
      ),
    )
    .orderBy(desc(intercomHandovers.createdAt), desc(intercomHandovers.id))
    .limit(limit + 1);
  const page = toPage(rows, limit, (row) => ({ at: row.createdAt, id: row.handoverId }));
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((row) => ({
      handoverId: row.handoverId,
      sessionId: row.sessionId,
      status: row.status,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      lastReply:
        row.replyId !== null && row.replyContent !== null && row.replyCreatedAt !== null
          ? {
              messageId: row.replyId,
              author: row.replyAuthor,
              content: row.replyContent,
              createdAt: row.replyCreatedAt,
            }
          : null,
    })),
  };
}
