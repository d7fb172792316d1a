// Claim retention (nightly): deletes finished turn claims older than HILO_CLAIM_RETENTION_DAYS, in
// keyset batches of short autocommitted statements so the api's claim writes never wait behind it,
// and fails claims whose producer died, as the api's reconciler does, so they are reaped when no api
// runs. Idempotent: a re-run finds nothing more to delete than what is still old and finished.
import { and, asc, eq, gt, inArray, lt, or } from "drizzle-orm";
import { affectedRows } from "../chat/claims";
import { reconcileOrphanedClaims } from "../chat/reconciler";
import { turnClaims } from "../db/schema";
import type { Deps } from "../infra/deps";
import type { Logger } from "../observability/logger";

/** Rows per DELETE: one batch locks at most this many rows, for milliseconds. */
export const RETENTION_BATCH_MAX = 1_000;
/** The reconciler takes 200 orphans a pass; this bounds one night's passes (10,000 claims). */
const MAX_RECONCILE_PASSES = 50;
const DAY_MS = 24 * 60 * 60 * 1_000;
const FINISHED = ["done", "failed"] as const;

export interface ClaimRetentionResult {
  cutoff: string;
  deleted: number;
  batches: number;
  reconciled: number;
}

export async function runClaimRetention(
  deps: Deps,
  log: Logger,
  options: { now: Date; batchSize?: number },
): Promise<ClaimRetentionResult> {
  const batchSize = Math.min(options.batchSize ?? RETENTION_BATCH_MAX, RETENTION_BATCH_MAX);
  const cutoff = new Date(options.now.getTime() - deps.config.HILO_CLAIM_RETENTION_DAYS * DAY_MS);
  const db = deps.appDb.db;
  let deleted = 0;
  let batches = 0;
  let after: { createdAt: Date; id: string } | null = null;
  for (;;) {
    // Walks turn_claims_created in (created_at, id) order; finished_at is checked too, so a failed
    // claim re-run yesterday keeps its idempotency record for the full period.
    const page: { id: string; createdAt: Date }[] = await db
      .select({ id: turnClaims.id, createdAt: turnClaims.createdAt })
      .from(turnClaims)
      .where(
        and(
          lt(turnClaims.createdAt, cutoff),
          inArray(turnClaims.status, [...FINISHED]),
          lt(turnClaims.finishedAt, cutoff),
          after
            ? or(
                gt(turnClaims.createdAt, after.createdAt),
                and(eq(turnClaims.createdAt, after.createdAt), gt(turnClaims.id, after.id)),
              )
            : undefined,
        ),
      )
      .orderBy(asc(turnClaims.createdAt), asc(turnClaims.id))
      .limit(batchSize);
    const last = page.at(-1);
    if (!last) break;
    // The status is checked again in the DELETE: a failed claim re-run since the SELECT is running
    // now, and a running claim is never deleted.
    const result = await db.delete(turnClaims).where(
      and(
        inArray(
          turnClaims.id,
          page.map((row) => row.id),
        ),
        inArray(turnClaims.status, [...FINISHED]),
      ),
    );
    deleted += affectedRows(result);
    batches++;
    if (page.length < batchSize) break;
    after = last;
  }

  let reconciled = 0;
  for (let pass = 0; pass < MAX_RECONCILE_PASSES; pass++) {
    const count = await reconcileOrphanedClaims(deps, log, options.now);
    reconciled += count;
    if (count === 0) break;
  }
  log.info("claim retention pass", { cutoff: cutoff.toISOString(), deleted, batches, reconciled });
  return { cutoff: cutoff.toISOString(), deleted, batches, reconciled };
}
