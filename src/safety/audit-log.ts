// The one writer of safety audit rows: every layer's decisions about one turn go through here, typed
// by AuditEntry, so the table only ever holds known actions and no text of the conversation. Each
// decision is also counted here, in hilo_safety_decisions_total by layer, category and action.
import { safetyAudit } from "../db/schema";
import type { AppDb } from "../infra/app-db";
import type { Metrics } from "../observability/metrics";
import type { AuditEntry } from "./audit";

/** Where decisions go: the audit table and the process's metrics (the `deps` of a process). */
export interface AuditSink {
  appDb: { db: AppDb };
  metrics: Pick<Metrics, "safetyDecision">;
}

export interface AuditedTurn {
  userId: string;
  sessionId: string;
  turnId: string;
}

export async function recordSafetyAudit(
  { appDb, metrics }: AuditSink,
  turn: AuditedTurn,
  entries: readonly AuditEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  // Counted before the insert: the decision was taken (and acted on) even if its row cannot be written.
  for (const entry of entries) metrics.safetyDecision(entry);
  await appDb.db.insert(safetyAudit).values(
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
