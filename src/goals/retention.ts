// Unconfirmed goals are removed once they are a week old (issue #15): a preview the user never
// confirmed is not a goal. The nightly sweep's dispatcher runs this first, since it already runs once
// a night over the goals table; a description change re-enters awaiting_confirmation and bumps
// updated_at, so the week counts from the last preview the user saw.
import { and, asc, eq, inArray, lt } from "drizzle-orm";
import { affectedRows } from "../chat/claims";
import { goals } from "../db/schema";
import type { Deps } from "../infra/deps";

export const UNCONFIRMED_GOAL_TTL_DAYS = 7;
/** Rows per DELETE, so one statement locks a bounded set of rows. */
const RETENTION_BATCH_MAX = 500;
const DAY_MS = 86_400_000;

export async function removeUnconfirmedGoals(deps: Pick<Deps, "appDb">, at: Date): Promise<number> {
  const db = deps.appDb.db;
  const cutoff = new Date(at.getTime() - UNCONFIRMED_GOAL_TTL_DAYS * DAY_MS);
  let removed = 0;
  for (;;) {
    const stale = await db
      .select({ id: goals.id })
      .from(goals)
      .where(and(eq(goals.status, "awaiting_confirmation"), lt(goals.updatedAt, cutoff)))
      .orderBy(asc(goals.id))
      .limit(RETENTION_BATCH_MAX);
    if (stale.length === 0) return removed;
    // The status and age are checked again: a goal confirmed since the SELECT is kept.
    const result = await db.delete(goals).where(
      and(
        inArray(
          goals.id,
          stale.map((row) => row.id),
        ),
        eq(goals.status, "awaiting_confirmation"),
        lt(goals.updatedAt, cutoff),
      ),
    );
    removed += affectedRows(result);
    if (stale.length < RETENTION_BATCH_MAX) return removed;
  }
}
