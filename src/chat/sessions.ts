// Chat sessions and their messages. Every query is scoped by the acting user; a session of another
// user is indistinguishable from one that does not exist.
import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { beforeCursor, type Cursor, type Page, toPage } from "../db/cursor";
import { chatMessages, chatSessions } from "../db/schema";
import type { AppDb } from "../infra/app-db";

export const SESSION_TITLE_MAX_CHARS = 120;
/** Prior messages sent to the model with each turn (the system prompt is sent separately). */
export const HISTORY_MESSAGES = 20;

export interface SessionSummary {
  sessionId: string;
  title: string | null;
  createdAt: Date;
  lastActivityAt: Date;
}

export interface StoredMessage {
  messageId: string;
  /** `support`: a reply from the support team (Intercom); it belongs to no turn. */
  role: "user" | "assistant" | "support";
  content: string;
  turnId: string | null;
  /** Who wrote a support reply; null for user and assistant messages. */
  authorName: string | null;
  createdAt: Date;
}

/** A message of the conversation the model sees: support replies are never sent to it. */
export type HistoryMessage = StoredMessage & { role: "user" | "assistant" };

export async function createSession(
  db: AppDb,
  userId: string,
  systemPrompt: string,
): Promise<SessionSummary> {
  const id = Bun.randomUUIDv7();
  await db.insert(chatSessions).values({ id, userId, systemPrompt });
  const session = await findSession(db, userId, id);
  if (!session) throw new Error(`session ${id} vanished after insert`);
  return session;
}

export async function findSession(
  db: AppDb,
  userId: string,
  sessionId: string,
): Promise<SessionSummary | null> {
  const rows = await db
    .select({
      sessionId: chatSessions.id,
      title: chatSessions.title,
      createdAt: chatSessions.createdAt,
      lastActivityAt: chatSessions.lastActivityAt,
    })
    .from(chatSessions)
    .where(and(eq(chatSessions.id, sessionId), eq(chatSessions.userId, userId)))
    .limit(1);
  return rows[0] ?? null;
}

export async function sessionSystemPrompt(
  db: AppDb,
  userId: string,
  sessionId: string,
): Promise<string | null> {
  const rows = await db
    .select({ prompt: chatSessions.systemPrompt })
    .from(chatSessions)
    .where(and(eq(chatSessions.id, sessionId), eq(chatSessions.userId, userId)))
    .limit(1);
  return rows[0]?.prompt ?? null;
}

export async function listSessions(
  db: AppDb,
  userId: string,
  limit: number,
  cursor: Cursor | null,
): Promise<Page<SessionSummary>> {
  const rows = await db
    .select({
      sessionId: chatSessions.id,
      title: chatSessions.title,
      createdAt: chatSessions.createdAt,
      lastActivityAt: chatSessions.lastActivityAt,
    })
    .from(chatSessions)
    .where(
      and(
        eq(chatSessions.userId, userId),
        beforeCursor(chatSessions.lastActivityAt, chatSessions.id, cursor),
      ),
    )
    .orderBy(desc(chatSessions.lastActivityAt), desc(chatSessions.id))
    .limit(limit + 1);
  return toPage(rows, limit, (row) => ({ at: row.lastActivityAt, id: row.sessionId }));
}

export async function listMessages(
  db: AppDb,
  sessionId: string,
  limit: number,
  cursor: Cursor | null,
): Promise<Page<StoredMessage>> {
  const rows = await db
    .select({
      messageId: chatMessages.id,
      role: chatMessages.role,
      content: chatMessages.content,
      turnId: chatMessages.turnId,
      authorName: chatMessages.authorName,
      createdAt: chatMessages.createdAt,
    })
    .from(chatMessages)
    .where(
      and(
        eq(chatMessages.sessionId, sessionId),
        beforeCursor(chatMessages.createdAt, chatMessages.id, cursor),
      ),
    )
    .orderBy(desc(chatMessages.createdAt), desc(chatMessages.id))
    .limit(limit + 1);
  return toPage(rows, limit, (row) => ({ at: row.createdAt, id: row.messageId }));
}

/**
 * The conversation before a turn, oldest first, as the model should see it: user and assistant
 * messages only. A support reply is text from outside (an Intercom agent or Fin) shown to the user;
 * it never goes through the model, so it cannot steer it either.
 */
export async function loadHistory(
  db: AppDb,
  sessionId: string,
  beforeTurnId: string,
): Promise<HistoryMessage[]> {
  const rows = await db
    .select({
      messageId: chatMessages.id,
      role: chatMessages.role,
      content: chatMessages.content,
      turnId: chatMessages.turnId,
      authorName: chatMessages.authorName,
      createdAt: chatMessages.createdAt,
    })
    .from(chatMessages)
    .where(and(eq(chatMessages.sessionId, sessionId), inArray(chatMessages.role, ["user", "assistant"])))
    .orderBy(desc(chatMessages.createdAt), desc(chatMessages.id))
    .limit(HISTORY_MESSAGES + 2);
  return rows
    .filter((message): message is HistoryMessage => message.role !== "support")
    .filter((message) => message.turnId !== beforeTurnId)
    .slice(0, HISTORY_MESSAGES)
    .reverse();
}

/**
 * Stores one message of a turn. The (turn, role) key makes this idempotent: a re-run of a failed
 * turn does not store its question twice, and a rewritten answer replaces the first one.
 */
/** The user's own last `limit` messages in a session, newest first (what a handover quotes and checks). */
export async function recentUserMessages(
  db: AppDb,
  input: { userId: string; sessionId: string },
  limit: number,
): Promise<{ turnId: string | null; content: string }[]> {
  return db
    .select({ turnId: chatMessages.turnId, content: chatMessages.content })
    .from(chatMessages)
    .where(
      and(
        eq(chatMessages.sessionId, input.sessionId),
        eq(chatMessages.userId, input.userId),
        eq(chatMessages.role, "user"),
      ),
    )
    .orderBy(desc(chatMessages.createdAt), desc(chatMessages.id))
    .limit(limit);
}

export async function saveTurnMessage(
  db: AppDb,
  input: { sessionId: string; userId: string; turnId: string; role: "user" | "assistant"; content: string },
): Promise<void> {
  await db
    .insert(chatMessages)
    .values({ id: Bun.randomUUIDv7(), ...input })
    .onDuplicateKeyUpdate({ set: { content: input.content } });
}

/** Marks activity; the first question becomes the title. */
export async function touchSession(db: AppDb, sessionId: string, firstQuestion: string): Promise<void> {
  await db
    .update(chatSessions)
    .set({ lastActivityAt: sql`CURRENT_TIMESTAMP(3)` })
    .where(eq(chatSessions.id, sessionId));
  await db
    .update(chatSessions)
    .set({ title: Array.from(firstQuestion).slice(0, SESSION_TITLE_MAX_CHARS).join("") })
    .where(and(eq(chatSessions.id, sessionId), isNull(chatSessions.title)));
}
