// The handover HTTP surface: the user's handovers for the app, and Intercom's signed webhook that
// brings support replies back. Thin: parse, call one verb, map the result.
import { Elysia } from "elysia";
import { cursorParam } from "../db/cursor";
import { AppError } from "../errors";
import { clientAuth } from "../http/auth";
import { v1Operation } from "../http/openapi-contract";
import type { Deps } from "../infra/deps";
import type { Logger } from "../observability/logger";
import type { IntercomSettings } from "./intercom-api";
import { handoverList, handoverPageQuery, webhookAnswer } from "./model";
import { listUserHandovers } from "./service";
import { receiveIntercomNotification } from "./webhook";

/** app.ts hands this route its body as raw bytes, so the signature is checked over what was sent. */
export const INTERCOM_WEBHOOK_PATH = "/webhooks/intercom";

const ERROR_CONTENT = { "application/json": { schema: { $ref: "#/components/schemas/Error" } } };

export function handoverRoutes({ apiKey, deps }: { apiKey: string; deps: Pick<Deps, "appDb"> }) {
  return new Elysia({ prefix: "/v1/handovers" }).use(clientAuth(apiKey)).get(
    "",
    async ({ client, query }) => {
      const page = await listUserHandovers({
        ctx: { db: deps.appDb.db, userId: client.userId },
        input: { limit: query.limit, cursor: cursorParam(query.cursor) },
      });
      return {
        handovers: page.items.map((handover) => ({
          handover_id: handover.handoverId,
          session_id: handover.sessionId,
          status: handover.status,
          created_at: handover.createdAt.toISOString(),
          updated_at: handover.updatedAt.toISOString(),
          last_reply: handover.lastReply && {
            message_id: handover.lastReply.messageId,
            author: handover.lastReply.author,
            content: handover.lastReply.content,
            created_at: handover.lastReply.createdAt.toISOString(),
          },
        })),
        next_cursor: page.nextCursor,
      };
    },
    {
      query: handoverPageQuery,
      response: { 200: handoverList },
      detail: {
        operationId: "listHandovers",
        summary: "The user's handovers to the support team, newest first",
        description:
          "Each time the assistant handed a question to the support team (Intercom), with its status: " +
          "`pending` (being sent), `accepted` (support has it) or `failed` (support could not be reached; " +
          "the assistant said so). `updated_at` moves on the status change and on each support reply; " +
          "`last_reply` is the newest reply, which also appears in the session's messages with role " +
          "`support`. `limit` 1-100 (default 20); pass `next_cursor` as `cursor` for the next page.",
        tags: ["handover"],
        ...v1Operation({
          responses: { 200: { description: "One page; `next_cursor` is null on the last" } },
        }),
      },
    },
  );
}

/**
 * POST /webhooks/intercom. Declared whether or not Intercom is configured (the document is the same for
 * every configuration); unconfigured, it answers as an unknown path does.
 */
export function intercomWebhookRoutes({
  deps,
  intercom,
  log,
}: {
  deps: Pick<Deps, "appDb" | "redis">;
  intercom: IntercomSettings | null;
  log: Logger;
}) {
  return new Elysia().post(
    INTERCOM_WEBHOOK_PATH,
    async ({ body, request }) => {
      if (!intercom) throw new AppError("not_found", `no route for POST ${INTERCOM_WEBHOOK_PATH}`);
      return receiveIntercomNotification({
        ctx: { deps, intercom, log: log.child({ route: "intercom_webhook" }) },
        input: {
          body: body instanceof Uint8Array ? body : new Uint8Array(0),
          signature: request.headers.get("x-hub-signature"),
        },
      });
    },
    {
      response: { 200: webhookAnswer },
      detail: {
        operationId: "receiveIntercomNotification",
        summary: "Intercom's webhook: support replies come back into the user's chat",
        description:
          "For Intercom, not for the apps. Every notification must carry `X-Hub-Signature: sha1=<hex>`, the " +
          "HMAC-SHA1 of the raw body keyed with the Intercom app's client secret (401 otherwise, nothing " +
          "read). `ping` is answered `pong`; a notification id seen before is a no-op (`duplicate`); on " +
          "`conversation.admin.replied` and `conversation.operator.replied` the reply parts of a conversation " +
          "a handover opened are stored in that handover's session with role `support` (each Intercom part " +
          "once); any other topic or conversation is `ignored`. 404 when Intercom is not configured.",
        tags: ["handover"],
        security: [],
        parameters: [
          {
            name: "X-Hub-Signature",
            in: "header",
            required: true,
            description: "`sha1=` and the 40 hex digits of HMAC-SHA1(client secret, raw body).",
            schema: { type: "string", pattern: "^sha1=[0-9a-fA-F]{40}$" },
          },
        ],
        responses: {
          200: { description: "Handled (see `status`)" },
          400: {
            description: "`invalid_json` / `invalid_request`: a signed body that is not a notification",
            content: ERROR_CONTENT,
          },
          401: { description: "`unauthorized`: missing or wrong `X-Hub-Signature`", content: ERROR_CONTENT },
          404: { description: "`not_found`: Intercom is not configured", content: ERROR_CONTENT },
          413: {
            description: "`payload_too_large`: the body exceeds the server's limit",
            content: ERROR_CONTENT,
          },
          500: {
            description: "`internal`: not stored; Intercom retries the delivery",
            content: ERROR_CONTENT,
          },
        },
      },
    },
  );
}
