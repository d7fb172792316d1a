// What the memory tests share: the real app on the local stack (its tool registry, Llm and memory
// cache, the same ones its routes use), tool calls for a given user, and direct reads of the table.
import { eq } from "drizzle-orm";
import type { ToolContext, ToolResult } from "../../src/agent/tool";
import { memories } from "../../src/db/schema";
import type { RecallMemoryResult, SaveMemoryResult } from "../../src/memory/tools";
import { createLogger } from "../../src/observability/logger";
import { buildTestApp, clientHeaders, newUserId, type TestApp } from "../support/stack";
import { standinUrl } from "../support/standin";

export function memoryToolContext(app: TestApp, userId: string, sessionId = Bun.randomUUIDv7()): ToolContext {
  return {
    userId,
    watchId: null,
    timezone: "Europe/London",
    sessionId,
    turnId: Bun.randomUUIDv7(),
    deps: app.deps,
    llm: app.chat.llm,
    log: createLogger("error"),
    signal: new AbortController().signal,
    now: () => new Date(),
  };
}

/** Runs a tool through the app's registry, exactly as the chat loop does. */
export function runTool(
  app: TestApp,
  userId: string,
  name: string,
  args: unknown,
  sessionId?: string,
): Promise<ToolResult> {
  return app.chat.tools.run(name, JSON.stringify(args), memoryToolContext(app, userId, sessionId));
}

export function okData<T>(result: ToolResult): T {
  if (!result.ok) throw new Error(`tool failed: ${result.error.code}: ${result.error.message}`);
  return result.data as T;
}

export async function saveFact(app: TestApp, userId: string, content: string): Promise<SaveMemoryResult> {
  return okData<SaveMemoryResult>(await runTool(app, userId, "save_memory", { content }));
}

export async function recall(
  app: TestApp,
  userId: string,
  query: string,
  limit?: number,
): Promise<RecallMemoryResult> {
  return okData<RecallMemoryResult>(await runTool(app, userId, "recall_memory", { query, limit }));
}

/** The user's rows as stored, oldest first. */
export async function storedMemories(app: TestApp, userId: string) {
  const rows = await app.deps.appDb.db.select().from(memories).where(eq(memories.userId, userId));
  return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1));
}

export interface MemoryListBody {
  memories: { memory_id: string; content: string; created_at: string; updated_at: string }[];
  next_cursor: string | null;
}

export function listMemories(app: TestApp, userId: string, query = ""): Promise<Response> {
  return app.request(`/v1/memories${query}`, { headers: clientHeaders(userId) });
}

/** GET /v1/memories for the user, expecting a 200. */
export async function listPage(app: TestApp, userId: string, query = ""): Promise<MemoryListBody> {
  const response = await listMemories(app, userId, query);
  if (response.status !== 200) throw new Error(`list failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as MemoryListBody;
}

export function deleteMemory(app: TestApp, userId: string, memoryId: string): Promise<Response> {
  return app.request(`/v1/memories/${encodeURIComponent(memoryId)}`, {
    method: "DELETE",
    headers: clientHeaders(userId),
  });
}

/** The stand-in answers the next embeddings request whose input contains `match` with a 400. */
export async function failNextEmbedding(match: string): Promise<void> {
  const response = await fetch(`${standinUrl()}/_standin/script`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ endpoint: "embeddings", match, replies: [{ error: { status: 400 } }] }),
  });
  if (!response.ok) throw new Error(`stand-in refused the script: ${await response.text()}`);
}

export type { TestApp };
export { buildTestApp, clientHeaders, newUserId };
