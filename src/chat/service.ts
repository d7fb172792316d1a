// The chat verbs besides sending (turn.ts): open a session, list sessions and a session's messages,
// find a turn. Transport-free: an HTTP route, a job or a test calls them the same way, and every query
// is scoped by the acting user, so another user's session or turn is not found, never forbidden.
import type { Cursor, Page } from "../db/cursor";
import { notFound } from "../errors";
import { type Chat, sessionPrompt } from "./chat";
import { findClaimById, type TurnClaim } from "./claims";
import {
  createSession,
  findSession,
  listMessages,
  listSessions,
  type SessionSummary,
  type StoredMessage,
} from "./sessions";

export interface ChatContext {
  chat: Chat;
  /** The acting user: every read and write below is scoped to them. */
  userId: string;
}

export interface PageInput {
  limit: number;
  cursor: Cursor | null;
}

/** A new session, its system prompt (profile + recent memories) built once for all its turns. */
export async function openSession({ ctx }: { ctx: ChatContext }): Promise<SessionSummary> {
  const prompt = await sessionPrompt(ctx.chat, ctx.userId);
  return createSession(ctx.chat.deps.appDb.db, ctx.userId, prompt);
}

export function listUserSessions({
  ctx,
  input,
}: {
  ctx: ChatContext;
  input: PageInput;
}): Promise<Page<SessionSummary>> {
  return listSessions(ctx.chat.deps.appDb.db, ctx.userId, input.limit, input.cursor);
}

export async function listSessionMessages({
  ctx,
  input,
}: {
  ctx: ChatContext;
  input: PageInput & { sessionId: string };
}): Promise<Page<StoredMessage>> {
  const db = ctx.chat.deps.appDb.db;
  if (!(await findSession(db, ctx.userId, input.sessionId))) throw notFound("session");
  return listMessages(db, input.sessionId, input.limit, input.cursor);
}

/** A turn of the user's, in the session named; any other is not found. */
export async function findTurn({
  ctx,
  input,
}: {
  ctx: ChatContext;
  input: { sessionId: string; turnId: string };
}): Promise<TurnClaim> {
  const claim = await findClaimById(ctx.chat.deps.appDb.db, ctx.userId, input.turnId);
  if (!claim || claim.sessionId !== input.sessionId) throw notFound("turn");
  return claim;
}
