// The one writer of safety audit rows: every layer's decisions about one turn go through here, typed
// by AuditEntry, so the table only ever holds known actions and no text of the conversation.
import { safetyAudit } from "../db/schema";
import type { AppDb } from "../infra/app-db";
import type { AuditEntry } from "./audit";

export interface AuditedTurn {
  userId: string;
  sessionId: string;
  turnId: string;
}

export async function recordSafetyAudit(
  db: AppDb,
  turn: AuditedTurn,
  entries: readonly AuditEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  await db.insert(safetyAudit).values(
    entries.map((entry) => ({
      layer: entry.layer,
      category: entry.category,
      action: entry.action,
      detail: entry.detail ?? null,
      userId: turn.userId,
      sessionId: turn.sessionId,
      turnId: turn.turnId,
    })),
  );
}
