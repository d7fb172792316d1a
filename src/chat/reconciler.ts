// Self-healing for turns whose producer died (process killed, instance lost): a running claim that
// stopped heartbeating is marked failed, and its log gets `error` + `end` so waiting clients stop
// and retry (which re-runs the turn). Safe on every instance at once: each step is a compare-and-set.
import type { Deps } from "../infra/deps";
import type { Logger } from "../observability/logger";
import { failClaim, findOrphanedClaims } from "./claims";
import { failureEvents } from "./events";
import { HEARTBEAT_INTERVAL_MS } from "./turn";
import { createTurnLogWriter, turnLogKey } from "./turn-log";

/** Three missed heartbeats: long enough to ride out a slow database, short enough for a user. */
export const ORPHAN_AFTER_MS = 3 * HEARTBEAT_INTERVAL_MS;

/**
 * How long an attempt may stay running at all: the turn budget aborts the agent, and only the final
 * writes come after it, so one orphan period of grace on top means the producer is hung.
 */
export function hungAfterMs(turnBudgetMs: number): number {
  return turnBudgetMs + ORPHAN_AFTER_MS;
}
export const RECONCILE_INTERVAL_MS = 10_000;
const RECONCILE_BATCH = 200;

export async function reconcileOrphanedClaims(deps: Deps, log: Logger, now = new Date()): Promise<number> {
  const db = deps.appDb.db;
  const cutoffs = {
    staleBefore: new Date(now.getTime() - ORPHAN_AFTER_MS),
    startedBefore: new Date(now.getTime() - hungAfterMs(deps.config.HILO_TURN_BUDGET_MS)),
  };
  const orphans = await findOrphanedClaims(db, cutoffs, RECONCILE_BATCH);
  let reconciled = 0;
  for (const orphan of orphans) {
    // A hung producer that wakes up later finds its claim failed at its next heartbeat and stops.
    const reason = orphan.hung ? "producer_hung" : "producer_lost";
    if (!(await failClaim(db, orphan.id, orphan.attempt, reason))) continue;
    reconciled++;
    const key = turnLogKey(orphan.id, orphan.attempt);
    const turnLog = createTurnLogWriter(deps.redis.streams, key, orphan.id, "r");
    await turnLog
      .finish(failureEvents("interrupted"))
      .catch((error) => log.warn("could not close an orphaned turn log", { error, turn_id: orphan.id }));
  }
  if (reconciled > 0) log.warn("reconciled orphaned turns", { count: reconciled });
  return reconciled;
}

export function startReconciler(deps: Deps, log: Logger): { stop(): void } {
  const timer = setInterval(() => {
    reconcileOrphanedClaims(deps, log).catch((error) => log.warn("reconciler pass failed", { error }));
  }, RECONCILE_INTERVAL_MS);
  return { stop: () => clearInterval(timer) };
}
