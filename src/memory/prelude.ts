// The session prelude: the most recent memories, pinned into the system prompt at session open.
import { desc, eq } from "drizzle-orm";
import { memories } from "../db/schema";
import type { AppDb } from "../infra/app-db";

export const PRELUDE_MEMORY_COUNT = 20;

export interface PreludeMemory {
  content: string;
  savedAt: Date;
}

export async function recentMemories(
  db: AppDb,
  userId: string,
  limit = PRELUDE_MEMORY_COUNT,
): Promise<PreludeMemory[]> {
  const rows = await db
    .select({ content: memories.content, savedAt: memories.updatedAt })
    .from(memories)
    .where(eq(memories.userId, userId))
    .orderBy(desc(memories.updatedAt), desc(memories.id))
    .limit(limit);
  return rows;
}
