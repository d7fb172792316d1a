// The memory HTTP surface: the user sees what the assistant remembers and removes what they want gone.
// Thin: parse, call one verb, map the result. Another user's memory is answered 404, like a missing one.
import { Elysia } from "elysia";
import { cursorParam } from "../db/cursor";
import { isEntityId } from "../db/ids";
import { notFound } from "../errors";
import { clientAuth } from "../http/auth";
import { v1Operation } from "../http/openapi-contract";
import type { AppDb } from "../infra/app-db";
import type { MemoryPoolCache } from "./cache";
import { memoryList, memoryPageQuery, memoryParams } from "./model";
import { deleteMemory, listMemories } from "./service";

export interface MemoryRouteOptions {
  apiKey: string;
  db: AppDb;
  /** The same cache the chat tools use, so a delete is never recalled afterwards by this process. */
  cache: MemoryPoolCache;
}

const TAGS = ["memory"];

export function memoryRoutes({ apiKey, db, cache }: MemoryRouteOptions) {
  return new Elysia({ prefix: "/v1/memories" })
    .use(clientAuth(apiKey))
    .get(
      "",
      async ({ client, query }) => {
        const page = await listMemories({
          ctx: { userId: client.userId, db, cache },
          input: { limit: query.limit, cursor: cursorParam(query.cursor) },
        });
        return {
          memories: page.items.map((memory) => ({
            memory_id: memory.memoryId,
            content: memory.content,
            created_at: memory.createdAt.toISOString(),
            updated_at: memory.updatedAt.toISOString(),
          })),
          next_cursor: page.nextCursor,
        };
      },
      {
        query: memoryPageQuery,
        response: { 200: memoryList },
        detail: {
          operationId: "listMemories",
          summary: "What the assistant remembers about the user, most recently saved first",
          description:
            "Facts the assistant chose to remember in chats, newest (saved or updated) first. `limit` 1-100 " +
            "(default 20); pass `next_cursor` as `cursor` for the next page (null on the last page); a malformed " +
            "`limit` or `cursor` is 400 `invalid_request`. The 20 " +
            "newest are also given to the assistant when a chat session opens.",
          tags: TAGS,
          ...v1Operation({
            responses: { 200: { description: "One page; `next_cursor` is null on the last" } },
          }),
        },
      },
    )
    .delete(
      "/:id",
      async ({ client, params, set }) => {
        // An id we never issued (another case, a trailing space) names nothing: answered before any query.
        if (!isEntityId(params.id)) throw notFound("memory");
        const deleted = await deleteMemory({
          ctx: { userId: client.userId, db, cache },
          input: { memoryId: params.id },
        });
        if (!deleted) throw notFound("memory");
        set.status = 204;
      },
      {
        params: memoryParams,
        detail: {
          operationId: "deleteMemory",
          summary: "Forget one memory",
          description:
            "204 when removed; 404 when the user has no memory with this id (including another user's). " +
            "Sessions already open keep the facts they started with; new sessions and searches no longer see it.",
          tags: TAGS,
          ...v1Operation({ errors: [404], responses: { 204: { description: "Forgotten" } } }),
        },
      },
    );
}
