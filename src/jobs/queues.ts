// Every queue the workers consume, declared in one list: how many jobs run at once, how often a
// failed one is retried and after how long, and the zod schema its payload must match. The base
// processor (processor.ts) reads these; nothing else sets a queue's numbers.
import { z } from "zod";
import type { Deps } from "../infra/deps";
import type { Logger } from "../observability/logger";
import { runClaimRetention } from "./claim-retention";
import { computeDailyReport, DAILY_REPORT_KIND, formatDailyReport, isUtcDay } from "./daily-report";
import { createNotifier } from "./notifier";

/** What a handler gets besides its payload: the process's clients, a logger bound to the job, the time. */
export interface JobContext {
  readonly deps: Deps;
  readonly log: Logger;
  readonly jobId: string;
  readonly now: Date;
}

export interface QueueDeclaration<Payload = unknown> {
  readonly name: string;
  /** Jobs of this queue one worker process runs at the same time. */
  readonly concurrency: number;
  /** Tries in all, the first included; an invalid payload is never retried. */
  readonly attempts: number;
  readonly backoff: { readonly type: "exponential" | "fixed"; readonly delayMs: number };
  /** How long a job may run without its worker renewing the lock before it counts as stalled. */
  readonly lockDurationMs: number;
  readonly payload: z.ZodType<Payload>;
  /** Must be idempotent: a retry or a stalled job's re-run changes nothing the first run wrote. */
  handle(payload: Payload, ctx: JobContext): Promise<Record<string, unknown>>;
}

/** Keeps the payload's type tied to its handler's. */
export function defineQueue<Payload>(declaration: QueueDeclaration<Payload>): QueueDeclaration<Payload> {
  return declaration;
}

/** A UTC calendar day, the period of a daily schedule. */
export const utcDaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a UTC day, YYYY-MM-DD");

export const claimRetentionQueue = defineQueue({
  name: "claim-retention",
  // One at a time: two passes would only compete for the same rows.
  concurrency: 1,
  // A pass that hit a database blip is worth two more tries before the next night's pass.
  attempts: 3,
  // 1 min, then 2 min: long enough for a failover of the database to finish.
  backoff: { type: "exponential", delayMs: 60_000 },
  // Batches are short statements and the lock is renewed at half this, so 60 s only bounds how long a
  // dead worker's job waits before another worker picks it up.
  lockDurationMs: 60_000,
  payload: z.strictObject({ period: utcDaySchema }),
  handle: async (_payload, ctx) => ({ ...(await runClaimRetention(ctx.deps, ctx.log, { now: ctx.now })) }),
});

export const dailyReportQueue = defineQueue({
  name: DAILY_REPORT_KIND,
  // One at a time: the report is a handful of grouped reads, and two would compute the same thing.
  concurrency: 1,
  // Read-only, so retrying is always safe; three tries ride out a database blip.
  attempts: 3,
  // 1 min, then 2 min: the report is due in the morning, not to the second.
  backoff: { type: "exponential", delayMs: 60_000 },
  // The reads take well under a second; 60 s only bounds how long a dead worker's job waits.
  lockDurationMs: 60_000,
  payload: z.strictObject({ day: utcDaySchema.refine(isUtcDay, "must be a real calendar day") }),
  handle: async ({ day }, ctx) => {
    const report = await computeDailyReport(ctx.deps, day);
    // Sent through the alert notifier (logged only when no webhook is set); it never throws.
    await createNotifier(ctx.deps.config.HILO_ALERT_WEBHOOK_URL, ctx.log).notify(formatDailyReport(report));
    return { ...report };
  },
});

export const QUEUES: readonly QueueDeclaration[] = [claimRetentionQueue, dailyReportQueue];

export function findQueue(name: string, queues: readonly QueueDeclaration[] = QUEUES): QueueDeclaration {
  const queue = queues.find((candidate) => candidate.name === name);
  if (!queue) throw new Error(`no queue named '${name}'`);
  return queue;
}
