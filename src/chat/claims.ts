// Turn claims: the durable "was this send processed?" record. One INSERT with a UNIQUE key on
// (user, idempotency key) decides who runs a turn; every later transition is a compare-and-set on
// (status, attempt), so two retries can never both run, and a stale producer can never overwrite
// the outcome of a newer attempt.
import { createHash } from "node:crypto";
import { and, eq, lt, or, sql } from "drizzle-orm";
import { isDuplicateKey } from "../db/duplicate-key";
import { turnClaims } from "../db/schema";
import type { AppDb } from "../infra/app-db";

export type TurnStatus = "running" | "done" | "failed";

export interface TurnClaim {
  id: string;
  userId: string;
  sessionId: string;
  idempotencyKey: string;
  requestHash: string;
  status: TurnStatus;
  attempt: number;
  answer: string | null;
  failureReason: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export type ClaimOutcome =
  /** This request owns a fresh turn (or a re-run of a failed one) and must start the producer. */
  | { kind: "run"; claim: TurnClaim }
  /** Same key, same body: attach to, or replay, the existing turn. */
  | { kind: "existing"; claim: TurnClaim }
  /** Same key, another body: a client bug, answered 422. */
  | { kind: "conflict"; claim: TurnClaim };

export function requestHash(sessionId: string, message: string): string {
  return createHash("sha256").update(`${sessionId}\n${message}`).digest("hex");
}

export async function claimTurn(
  db: AppDb,
  input: { userId: string; sessionId: string; idempotencyKey: string; requestHash: string },
): Promise<ClaimOutcome> {
  const id = Bun.randomUUIDv7();
  try {
    await db.insert(turnClaims).values({ id, status: "running", attempt: 1, ...input });
    const claim = await findClaimById(db, input.userId, id);
    if (!claim) throw new Error(`claim ${id} vanished after insert`);
    return { kind: "run", claim };
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
  const existing = await findClaimByKey(db, input.userId, input.idempotencyKey);
  if (!existing) throw new Error("duplicate claim key but no claim row");
  if (existing.requestHash !== input.requestHash) return { kind: "conflict", claim: existing };
  if (existing.status !== "failed") return { kind: "existing", claim: existing };

  // A failed turn is re-run by whichever retry wins this compare-and-set; the others attach to it.
  const rerun = await db
    .update(turnClaims)
    .set({
      status: "running",
      attempt: existing.attempt + 1,
      heartbeatAt: sql`CURRENT_TIMESTAMP(3)`,
      attemptStartedAt: sql`CURRENT_TIMESTAMP(3)`,
      failureReason: null,
      finishedAt: null,
    })
    .where(
      and(
        eq(turnClaims.id, existing.id),
        eq(turnClaims.status, "failed"),
        eq(turnClaims.attempt, existing.attempt),
      ),
    );
  const refreshed = await findClaimById(db, input.userId, existing.id);
  if (!refreshed) throw new Error(`claim ${existing.id} vanished during re-run`);
  return affectedRows(rerun) === 1
    ? { kind: "run", claim: refreshed }
    : { kind: "existing", claim: refreshed };
}

export async function findClaimById(db: AppDb, userId: string, turnId: string): Promise<TurnClaim | null> {
  const rows = await db
    .select()
    .from(turnClaims)
    .where(and(eq(turnClaims.id, turnId), eq(turnClaims.userId, userId)))
    .limit(1);
  return rows[0] ?? null;
}

export async function findClaimByKey(
  db: AppDb,
  userId: string,
  idempotencyKey: string,
): Promise<TurnClaim | null> {
  const rows = await db
    .select()
    .from(turnClaims)
    .where(and(eq(turnClaims.userId, userId), eq(turnClaims.idempotencyKey, idempotencyKey)))
    .limit(1);
  return rows[0] ?? null;
}

/** Keeps the claim alive; false means this attempt no longer owns it (reconciled or superseded). */
export async function heartbeatClaim(db: AppDb, turnId: string, attempt: number): Promise<boolean> {
  const result = await db
    .update(turnClaims)
    .set({ heartbeatAt: sql`CURRENT_TIMESTAMP(3)` })
    .where(and(eq(turnClaims.id, turnId), eq(turnClaims.attempt, attempt), eq(turnClaims.status, "running")));
  return affectedRows(result) === 1;
}

export async function completeClaim(
  db: AppDb,
  turnId: string,
  attempt: number,
  answer: string,
): Promise<boolean> {
  const result = await db
    .update(turnClaims)
    .set({ status: "done", answer, finishedAt: sql`CURRENT_TIMESTAMP(3)` })
    .where(and(eq(turnClaims.id, turnId), eq(turnClaims.attempt, attempt), eq(turnClaims.status, "running")));
  return affectedRows(result) === 1;
}

/** Replaces the stored answer of a finished turn (the judge's one trusted rewrite). */
export async function replaceClaimAnswer(
  db: AppDb,
  turnId: string,
  attempt: number,
  answer: string,
): Promise<void> {
  await db
    .update(turnClaims)
    .set({ answer })
    .where(and(eq(turnClaims.id, turnId), eq(turnClaims.attempt, attempt), eq(turnClaims.status, "done")));
}

export async function failClaim(
  db: AppDb,
  turnId: string,
  attempt: number,
  reason: string,
): Promise<boolean> {
  const result = await db
    .update(turnClaims)
    .set({ status: "failed", failureReason: reason.slice(0, 255), finishedAt: sql`CURRENT_TIMESTAMP(3)` })
    .where(and(eq(turnClaims.id, turnId), eq(turnClaims.attempt, attempt), eq(turnClaims.status, "running")));
  return affectedRows(result) === 1;
}

/**
 * Running claims whose producer is gone (no heartbeat since `staleBefore`) or hung (its attempt
 * started before `startedBefore`, long past any turn's budget, though something still heartbeats).
 */
export async function findOrphanedClaims(
  db: AppDb,
  cutoffs: { staleBefore: Date; startedBefore: Date },
  limit: number,
): Promise<{ id: string; attempt: number; hung: boolean }[]> {
  const rows = await db
    .select({ id: turnClaims.id, attempt: turnClaims.attempt, heartbeatAt: turnClaims.heartbeatAt })
    .from(turnClaims)
    .where(
      and(
        eq(turnClaims.status, "running"),
        or(
          lt(turnClaims.heartbeatAt, cutoffs.staleBefore),
          lt(turnClaims.attemptStartedAt, cutoffs.startedBefore),
        ),
      ),
    )
    .limit(limit);
  return rows.map((row) => ({
    id: row.id,
    attempt: row.attempt,
    hung: row.heartbeatAt.getTime() >= cutoffs.staleBefore.getTime(),
  }));
}

export function affectedRows(result: unknown): number {
  const header = Array.isArray(result) ? result[0] : result;
  return Number((header as { affectedRows?: number }).affectedRows ?? 0);
}
