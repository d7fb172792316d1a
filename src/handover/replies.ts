// The return leg's write: support replies become `support` messages in the session the handover came
// from, for the user it belongs to and nobody else. One transaction per notification: the messages
// (UNIQUE on the Intercom part id, so a part delivered twice, or under two topics, is stored once),
// the session's last activity, and the handover's last reply.
import { and, eq, sql } from "drizzle-orm";
import { isDuplicateKey } from "../db/duplicate-key";
import { chatMessages, chatSessions, intercomHandovers } from "../db/schema";
import type { AppDb } from "../infra/app-db";
import type { SupportReply } from "./notification";
import type { HandoverTarget } from "./store";

export type StoreRepliesOutcome =
  | { kind: "stored"; stored: number; duplicates: number }
  /** The handover's session no longer exists for its user: nothing is attached anywhere else. */
  | { kind: "session_gone" };

export async function storeSupportReplies(
  db: AppDb,
  target: HandoverTarget,
  replies: readonly SupportReply[],
): Promise<StoreRepliesOutcome> {
  return db.transaction(async (tx) => {
    // Locks the session row until commit, so a session deleted meanwhile cannot end up with replies.
    const [session] = await tx
      .select({ id: chatSessions.id })
      .from(chatSessions)
      .where(and(eq(chatSessions.id, target.sessionId), eq(chatSessions.userId, target.userId)))
      .for("update");
    if (!session) return { kind: "session_gone" };

    let newest: string | null = null;
    let stored = 0;
    for (const reply of replies) {
      const id = Bun.randomUUIDv7();
      try {
        await tx.insert(chatMessages).values({
          id,
          sessionId: target.sessionId,
          userId: target.userId,
          role: "support",
          content: reply.text,
          authorName: reply.authorName,
          intercomPartId: reply.partId,
        });
      } catch (error) {
        // This part is stored already (the only unique key a support message can collide on). The
        // failed statement alone is rolled back; the transaction goes on.
        if (isDuplicateKey(error)) continue;
        throw error;
      }
      stored++;
      newest = id;
    }
    if (newest === null) return { kind: "stored", stored: 0, duplicates: replies.length };

    await tx
      .update(chatSessions)
      .set({ lastActivityAt: sql`CURRENT_TIMESTAMP(3)` })
      .where(eq(chatSessions.id, target.sessionId));
    // Message ids are UUIDv7 (time-ordered text), so of two notifications committing out of order
    // the newer reply stays the handover's last one.
    await tx
      .update(intercomHandovers)
      .set({
        lastReplyMessageId: sql`CASE WHEN ${intercomHandovers.lastReplyMessageId} IS NULL OR ${intercomHandovers.lastReplyMessageId} < ${newest} THEN ${newest} ELSE ${intercomHandovers.lastReplyMessageId} END`,
        updatedAt: sql`CURRENT_TIMESTAMP(3)`,
      })
      .where(eq(intercomHandovers.id, target.handoverId));
    return { kind: "stored", stored, duplicates: replies.length - stored };
  });
}
