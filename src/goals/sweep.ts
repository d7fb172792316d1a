// The nightly sweep's two jobs (seed §6, diagram 11; declared in src/jobs/queues.ts):
// - the dispatcher removes stale unconfirmed goals, pages the due goals by keyset on (next_due_at, id)
//   and enqueues chunk jobs of at most SWEEP_CHUNK_MAX_GOALS, each with an id made from the sweep's
//   instant and its goal ids, then exits: a re-run of the dispatcher enqueues the same jobs again,
//   which BullMQ ignores;
// - a chunk job re-reads its goals, keeps those still active and due at the sweep's instant, and
//   evaluates each in isolation: a goal's own failure is counted on that goal, a datastore outage
//   fails the job after every other goal had its turn, so the retry finds only the goals still due.
import { createHash } from "node:crypto";
import { and, asc, eq, gt, inArray, lte, or } from "drizzle-orm";
import { z } from "zod";
import { isEntityId } from "../db/ids";
import { goals } from "../db/schema";
import type { Deps } from "../infra/deps";
import type { Logger } from "../observability/logger";
import { type EvaluateOptions, type EvaluationTally, evaluateGoals } from "./evaluate";
import { removeUnconfirmedGoals } from "./retention";

/** Goals per chunk job: a chunk takes seconds, so a dead worker's chunk is redone quickly. */
export const SWEEP_CHUNK_MAX_GOALS = 200;

const instant = z.iso.datetime({ offset: false }).describe("the sweep's instant, ISO 8601 in UTC");

export const goalSweepPayload = z.strictObject({ at: instant });
export type GoalSweepPayload = z.infer<typeof goalSweepPayload>;

export const goalChunkPayload = z.strictObject({
  at: instant,
  goalIds: z.array(z.string().refine(isEntityId, "must be a goal id")).min(1).max(SWEEP_CHUNK_MAX_GOALS),
});
export type GoalChunkPayload = z.infer<typeof goalChunkPayload>;

/** `20261207T020000Z`: BullMQ refuses ':' in custom job ids. */
export function sweepKey(at: Date): string {
  return at
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/** Same sweep and same goals, same id: a dispatcher that runs twice enqueues each chunk once. */
export function chunkJobId(at: Date, goalIds: readonly string[]): string {
  const digest = createHash("sha256")
    .update([...goalIds].sort().join(","))
    .digest("hex")
    .slice(0, 24);
  return `goal-chunk@${sweepKey(at)}@${digest}`;
}

export interface SweepDispatch {
  at: string;
  unconfirmedRemoved: number;
  dueGoals: number;
  chunks: number;
}

export async function dispatchGoalSweep(
  deps: Pick<Deps, "appDb">,
  log: Logger,
  payload: GoalSweepPayload,
  enqueueChunk: (chunk: GoalChunkPayload, jobId: string) => Promise<void>,
): Promise<SweepDispatch> {
  const at = new Date(payload.at);
  const unconfirmedRemoved = await removeUnconfirmedGoals(deps, at);
  const db = deps.appDb.db;
  let dueGoals = 0;
  let chunks = 0;
  let after: { nextDueAt: Date; id: string } | null = null;
  for (;;) {
    // Served by goals_status_due (status, next_due_at) with the primary key as its tail.
    const page: { id: string; nextDueAt: Date | null }[] = await db
      .select({ id: goals.id, nextDueAt: goals.nextDueAt })
      .from(goals)
      .where(
        and(
          eq(goals.status, "active"),
          lte(goals.nextDueAt, at),
          after
            ? or(
                gt(goals.nextDueAt, after.nextDueAt),
                and(eq(goals.nextDueAt, after.nextDueAt), gt(goals.id, after.id)),
              )
            : undefined,
        ),
      )
      .orderBy(asc(goals.nextDueAt), asc(goals.id))
      .limit(SWEEP_CHUNK_MAX_GOALS);
    const last = page.at(-1);
    if (!last?.nextDueAt) break;
    const goalIds = page.map((row) => row.id);
    await enqueueChunk({ at: payload.at, goalIds }, chunkJobId(at, goalIds));
    dueGoals += goalIds.length;
    chunks++;
    if (page.length < SWEEP_CHUNK_MAX_GOALS) break;
    after = { nextDueAt: last.nextDueAt, id: last.id };
  }
  log.info("goal sweep dispatched", {
    at: payload.at,
    due_goals: dueGoals,
    chunks,
    unconfirmed_removed: unconfirmedRemoved,
  });
  return { at: payload.at, unconfirmedRemoved, dueGoals, chunks };
}

/** Fail-closed on outages: a chunk with a goal a datastore failed under fails, so BullMQ retries it. */
export class ChunkOutageError extends Error {}

export async function evaluateGoalChunk(
  deps: Pick<Deps, "appDb" | "usersDb" | "mongo">,
  log: Logger,
  payload: GoalChunkPayload,
  hooks: Pick<EvaluateOptions, "afterRowsWritten" | "onResult"> = {},
): Promise<EvaluationTally> {
  const at = new Date(payload.at);
  // Re-read: since the dispatcher paged them, a goal may have been paused, deleted or evaluated.
  const rows = await deps.appDb.db
    .select()
    .from(goals)
    .where(and(inArray(goals.id, payload.goalIds), eq(goals.status, "active")))
    .orderBy(asc(goals.id));
  const tally = await evaluateGoals(deps, log, rows, { at, onlyDue: true, ...hooks });
  tally.notDue += payload.goalIds.length - rows.length;
  if (tally.outages > 0) {
    throw new ChunkOutageError(
      `${tally.outages} of ${payload.goalIds.length} goals were interrupted by an outage; they stay due`,
    );
  }
  return tally;
}
