// The chat HTTP surface: sessions, history, sending a message (SSE or async), resuming a turn.
// Thin: parse, call one verb, map the result.
import { Elysia } from "elysia";
import { decodeCursor } from "../db/cursor";
import { isEntityId } from "../db/ids";
import { clientAuth } from "../http/auth";
import { invalidHeader, invalidRequest, notFound } from "../http/errors";
import { findClaimById } from "./claims";
import {
  acceptedTurn,
  createdSession,
  eventsQuery,
  IDEMPOTENCY_KEY,
  messageList,
  pageQuery,
  sendBody,
  sessionList,
  sessionParams,
  turnParams,
  turnStatus,
} from "./model";
import { sendMessage } from "./send";
import type { ChatServices } from "./services";
import { createSession, findSession, listMessages, listSessions } from "./sessions";
import { parseLastEventId } from "./sse";
import { turnEventStream } from "./stream-response";

export interface ChatRouteOptions {
  apiKey: string;
  services: ChatServices;
  /** Builds the session's system prompt once, at open. */
  openSessionPrompt(userId: string): Promise<string>;
}

const TAGS = ["chat"];

export function chatRoutes({ apiKey, services, openSessionPrompt }: ChatRouteOptions) {
  const db = services.deps.appDb.db;

  const parseCursor = (value: string | undefined) => {
    if (value === undefined) return null;
    const cursor = decodeCursor(value);
    if (!cursor) throw invalidRequest("cursor is not a cursor this API issued");
    return cursor;
  };

  return new Elysia({ prefix: "/v1/sessions" })
    .use(clientAuth(apiKey))
    .onBeforeHandle(({ params }) => {
      // After the key and headers are checked, before any query: an id we never issued is not found.
      const ids = (params ?? {}) as { id?: string; turnId?: string };
      if (ids.id !== undefined && !isEntityId(ids.id)) throw notFound("session");
      if (ids.turnId !== undefined && !isEntityId(ids.turnId)) throw notFound("turn");
    })
    .post(
      "",
      async ({ client, set }) => {
        const session = await createSession(db, client.userId, await openSessionPrompt(client.userId));
        set.status = 201;
        return { session_id: session.sessionId, created_at: session.createdAt.toISOString() };
      },
      { response: { 201: createdSession }, detail: { summary: "Open a chat session", tags: TAGS } },
    )
    .get(
      "",
      async ({ client, query }) => {
        const page = await listSessions(db, client.userId, query.limit, parseCursor(query.cursor));
        return {
          sessions: page.items.map((session) => ({
            session_id: session.sessionId,
            title: session.title,
            created_at: session.createdAt.toISOString(),
            last_activity_at: session.lastActivityAt.toISOString(),
          })),
          next_cursor: page.nextCursor,
        };
      },
      {
        query: pageQuery,
        response: { 200: sessionList },
        detail: { summary: "The user's sessions, most recent activity first", tags: TAGS },
      },
    )
    .get(
      "/:id/messages",
      async ({ client, params, query }) => {
        if (!(await findSession(db, client.userId, params.id))) throw notFound("session");
        const page = await listMessages(db, params.id, query.limit, parseCursor(query.cursor));
        return {
          messages: page.items.map((message) => ({
            message_id: message.messageId,
            role: message.role,
            content: message.content,
            turn_id: message.turnId,
            created_at: message.createdAt.toISOString(),
          })),
          next_cursor: page.nextCursor,
        };
      },
      {
        params: sessionParams,
        query: pageQuery,
        response: { 200: messageList },
        detail: { summary: "Messages of a session, newest first", tags: TAGS },
      },
    )
    .post(
      "/:id/messages",
      async ({ client, params, body, request, server, set }) => {
        const idempotencyKey = request.headers.get("idempotency-key");
        if (!idempotencyKey) throw invalidHeader("Idempotency-Key", "is required");
        if (!IDEMPOTENCY_KEY.test(idempotencyKey)) {
          throw invalidHeader("Idempotency-Key", "must be 8-128 visible ASCII characters");
        }
        const { claim } = await sendMessage(services, {
          client,
          sessionId: params.id,
          message: body.message,
          idempotencyKey,
        });
        if (/\brespond-async\b/i.test(request.headers.get("prefer") ?? "")) {
          set.status = 202;
          set.headers["preference-applied"] = "respond-async";
          return {
            session_id: claim.sessionId,
            turn_id: claim.id,
            status: claim.status === "running" ? "thinking" : claim.status,
          };
        }
        // Streams stay open far longer than Bun's default 10 s idle timeout; keep-alives bound them.
        server?.timeout(request, 0);
        return turnEventStream(
          services,
          claim,
          parseLastEventId(request.headers.get("last-event-id")),
          "from_start",
        );
      },
      {
        params: sessionParams,
        body: sendBody,
        response: { 202: acceptedTurn },
        detail: {
          summary: "Send a message; the answer streams back as Server-Sent Events",
          description:
            "Requires `Idempotency-Key` (8-128 chars). Returns `text/event-stream`: every frame has `id:` (resume " +
            "token), `event:` and JSON `data:` carrying `turn_id`. Events: token, tool_call, tool_result, done, " +
            "eval_pending, eval_result, correction_start, correction_token, correction_done, suggestions, timeout, " +
            "error, end. `end` is the only clean finish. Same key + same body replays or attaches; same key + " +
            "another body is 422. `Prefer: respond-async` answers 202 and the answer is read from the turn status.",
          tags: TAGS,
        },
      },
    )
    .get(
      "/:id/turns/:turnId/events",
      async ({ client, params, query, request, server }) => {
        const claim = await findClaimById(db, client.userId, params.turnId);
        if (!claim || claim.sessionId !== params.id) throw notFound("turn");
        const header = request.headers.get("last-event-id") ?? query.last_event_id;
        const afterId = parseLastEventId(header);
        if (header && !afterId) throw invalidHeader("Last-Event-ID", "is not an event id of this API");
        server?.timeout(request, 0);
        return turnEventStream(services, claim, afterId, "refuse");
      },
      {
        params: turnParams,
        query: eventsQuery,
        detail: {
          summary: "Resume a turn's event stream after Last-Event-ID (header or ?last_event_id=)",
          tags: TAGS,
        },
      },
    )
    .get(
      "/:id/turns/:turnId",
      async ({ client, params }) => {
        const claim = await findClaimById(db, client.userId, params.turnId);
        if (!claim || claim.sessionId !== params.id) throw notFound("turn");
        return {
          turn_id: claim.id,
          session_id: claim.sessionId,
          status: claim.status,
          ...(claim.status === "done" && claim.answer !== null ? { answer: claim.answer } : {}),
        };
      },
      {
        params: turnParams,
        response: { 200: turnStatus },
        detail: {
          summary: "A turn's status and, once done, its answer (the async polling path)",
          tags: TAGS,
        },
      },
    );
}
