// The chat HTTP surface: sessions, history, sending a message (SSE or async), resuming a turn.
// Thin: parse, call one verb, map the result.
import { Elysia } from "elysia";
import { cursorParam } from "../db/cursor";
import { isEntityId } from "../db/ids";
import { notFound } from "../errors";
import { clientAuth } from "../http/auth";
import { IDEMPOTENCY_KEY } from "../http/client-context";
import { invalidHeader } from "../http/errors";
import { v1Operation } from "../http/openapi-contract";
import type { TurnLimits } from "../limits";
import type { Chat } from "./chat";
import { turnEventStreamResponse } from "./event-stream-contract";
import {
  acceptedTurn,
  createdSession,
  eventsQuery,
  messageList,
  pageQuery,
  sendBody,
  sessionList,
  sessionParams,
  turnParams,
  turnStatus,
} from "./model";
import { findTurn, listSessionMessages, listUserSessions, openSession } from "./service";
import { parseLastEventId } from "./sse";
import { turnEventStream } from "./stream-response";
import { sendMessage } from "./turn";

export interface ChatRouteOptions {
  apiKey: string;
  chat: Chat;
  /** Per-user turn limits and the model-call ceiling, checked before a new turn is stored. */
  turnLimits: TurnLimits;
}

const TAGS = ["chat"];

export function chatRoutes({ apiKey, chat, turnLimits }: ChatRouteOptions) {
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
        const session = await openSession({ ctx: { chat, userId: client.userId } });
        set.status = 201;
        return { session_id: session.sessionId, created_at: session.createdAt.toISOString() };
      },
      {
        response: { 201: createdSession },
        detail: {
          operationId: "createSession",
          summary: "Open a chat session",
          tags: TAGS,
          ...v1Operation({ responses: { 201: { description: "The new session" } } }),
        },
      },
    )
    .get(
      "",
      async ({ client, query }) => {
        const page = await listUserSessions({
          ctx: { chat, userId: client.userId },
          input: { limit: query.limit, cursor: cursorParam(query.cursor) },
        });
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
        detail: {
          operationId: "listSessions",
          summary: "The user's sessions, most recent activity first",
          tags: TAGS,
          ...v1Operation({
            responses: { 200: { description: "One page; `next_cursor` is null on the last" } },
          }),
        },
      },
    )
    .get(
      "/:id/messages",
      async ({ client, params, query }) => {
        const page = await listSessionMessages({
          ctx: { chat, userId: client.userId },
          input: { sessionId: params.id, limit: query.limit, cursor: cursorParam(query.cursor) },
        });
        return {
          messages: page.items.map((message) => ({
            message_id: message.messageId,
            role: message.role,
            content: message.content,
            turn_id: message.turnId,
            author: message.authorName,
            created_at: message.createdAt.toISOString(),
          })),
          next_cursor: page.nextCursor,
        };
      },
      {
        params: sessionParams,
        query: pageQuery,
        response: { 200: messageList },
        detail: {
          operationId: "listMessages",
          summary: "Messages of a session, newest first",
          tags: TAGS,
          ...v1Operation({
            errors: [404],
            responses: { 200: { description: "One page; `next_cursor` is null on the last" } },
          }),
        },
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
        const { claim } = await sendMessage({
          ctx: { chat, limits: turnLimits, userId: client.userId, timezone: client.timezone },
          input: { sessionId: params.id, message: body.message, idempotencyKey },
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
          chat,
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
          operationId: "sendMessage",
          summary: "Send a message; the answer streams back as Server-Sent Events",
          description:
            "Requires `Idempotency-Key`. Same key + same message: while the turn runs this attaches to it, after " +
            "`done` it replays the stored answer, after a failure it runs again; same key + another message is " +
            "422. `Prefer: respond-async` answers 202 at once; the answer is then read from the turn's status " +
            "or its event stream.",
          tags: TAGS,
          ...v1Operation({
            errors: [404, 413, 422, 503],
            headers: ["IdempotencyKey", "Prefer", "LastEventId"],
            responses: {
              200: turnEventStreamResponse,
              202: {
                description: "Accepted (`Prefer: respond-async`): the turn runs; poll its status",
                headers: {
                  "Preference-Applied": { schema: { type: "string", enum: ["respond-async"] } },
                },
              },
            },
          }),
        },
      },
    )
    .get(
      "/:id/turns/:turnId/events",
      async ({ client, params, query, request, server }) => {
        const claim = await findTurn({
          ctx: { chat, userId: client.userId },
          input: { sessionId: params.id, turnId: params.turnId },
        });
        const header = request.headers.get("last-event-id") ?? query.last_event_id;
        const afterId = parseLastEventId(header);
        if (header && !afterId) throw invalidHeader("Last-Event-ID", "is not an event id of this API");
        server?.timeout(request, 0);
        return turnEventStream(chat, claim, afterId, "refuse");
      },
      {
        params: turnParams,
        query: eventsQuery,
        detail: {
          operationId: "streamTurnEvents",
          summary: "Resume a turn's event stream after Last-Event-ID (header or ?last_event_id=)",
          description:
            "`?last_event_id=` is for clients that cannot set headers (a browser `EventSource` resumes by " +
            "itself); the header wins when both are sent. Without either the stream starts at the beginning.",
          tags: TAGS,
          ...v1Operation({
            errors: [404],
            headers: ["LastEventId"],
            responses: { 200: turnEventStreamResponse },
          }),
        },
      },
    )
    .get(
      "/:id/turns/:turnId",
      async ({ client, params }) => {
        const claim = await findTurn({
          ctx: { chat, userId: client.userId },
          input: { sessionId: params.id, turnId: params.turnId },
        });
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
          operationId: "getTurn",
          summary: "A turn's status and, once done, its answer (the async polling path)",
          tags: TAGS,
          ...v1Operation({ errors: [404], responses: { 200: { description: "The turn" } } }),
        },
      },
    );
}
