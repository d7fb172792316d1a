// Every queue the workers consume, declared in one list: how many jobs run at once, how often a
// failed one is retried and after how long, and the zod schema its payload must match. The base
// processor (processor.ts) reads these; nothing else sets a queue's numbers.
import { z } from "zod";
import { dispatchGoalSweep, evaluateGoalChunk, goalChunkPayload, goalSweepPayload } from "../goals/sweep";
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
  /** Enqueues onto this worker's own queues (same Redis, same prefix): how a job fans out. */
  enqueue(queue: QueueDeclaration, payload: unknown, jobId: string): Promise<void>;
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
  /** Waiting jobs at which the health monitor alerts; default QUEUE_DEPTH_ALERT (health-monitor.ts). */
  readonly depthAlert?: number;
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

/**
 * A QA question's job id, `qa@<run>@<position>` (BullMQ refuses ids with a single `:`): enqueueing a
 * run twice makes one job per question.
 */
export function qaQuestionJobId(runId: string, position: number): string {
  return `qa@${runId}@${position}`;
}

// QA evaluation runs (src/qa/): one job per question of a run; the run itself is a background_tasks
// row of kind `qa-run`, apart from the per-attempt rows the base processor writes under this name.
export const qaQuestionQueue = defineQueue({
  name: "qa-question",
  // Each job is a whole chat turn (agent, judge, suggestions: ~5 model calls), which waits on the
  // model far more than it works: 4 keep a worker busy without crowding out the nightly jobs or
  // taking every slot of the process's model-call limiter.
  concurrency: 4,
  // A question's failed turn is its result, not a job failure; only a failing database throws, and a
  // failover is worth two more tries.
  attempts: 3,
  // 5 s, then 10 s: a database blip is over by then.
  backoff: { type: "exponential", delayMs: 5_000 },
  // The lock is renewed while the turn runs (up to its budgets, ~2 min); 30 s only bounds how long
  // a dead worker's question waits before another worker answers it.
  lockDurationMs: 30_000,
  // A QA run queues all its questions at once (up to 10,000), so a deep queue is its normal state;
  // two full runs side by side are still no alarm.
  depthAlert: 20_001,
  payload: z.strictObject({
    task_id: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
    position: z.number().int().min(1).max(10_000),
  }),
  // Loaded on the first QA job, so a worker that never runs one never loads the chat turn.
  handle: async (payload, ctx) => ({
    ...(await (await import("../qa/job")).answerQaQuestionJob(payload, ctx.deps, ctx.log)),
  }),
});

// The nightly goal sweep (src/goals/sweep.ts): a dispatcher job per schedule fire, fanning out into
// chunk jobs of at most 200 goals.
export const goalChunkQueue = defineQueue({
  name: "goal-evaluation",
  // Two chunks at once per worker, each with a few goals in flight (src/goals/sweep.ts): enough to
  // keep a worker waiting on MongoDB and MySQL rather than idle, without crowding their pools.
  concurrency: 2,
  // A try fails only when a datastore failed under some of its goals (a goal's own failure is counted
  // on the goal); the retries find only the goals still due, and the next night takes what is left.
  attempts: 3,
  // 30 s, then 60 s: a database blip or failover is over by then.
  backoff: { type: "exponential", delayMs: 30_000 },
  // A chunk takes seconds and the lock is renewed at half this; 30 s bounds how long a dead worker's
  // chunk waits before another worker picks it up.
  lockDurationMs: 30_000,
  payload: goalChunkPayload,
  handle: async (payload, ctx) => ({ ...(await evaluateGoalChunk(ctx.deps, ctx.log, payload)) }),
});

export const goalSweepQueue = defineQueue({
  name: "goal-sweep",
  // One at a time: two dispatchers would only page the same goals (their chunk ids would collide).
  concurrency: 1,
  // Paging and enqueueing are idempotent (deterministic chunk ids), so retrying is always safe.
  attempts: 3,
  // 1 min, then 2 min: long enough for a failover of the database or Redis to finish.
  backoff: { type: "exponential", delayMs: 60_000 },
  // Paging 10,000 due goals takes about a second; 60 s only bounds a dead worker's wait.
  lockDurationMs: 60_000,
  payload: goalSweepPayload,
  handle: async (payload, ctx) => ({
    ...(await dispatchGoalSweep(ctx.deps, ctx.log, payload, (chunk, jobId) =>
      ctx.enqueue(goalChunkQueue, chunk, jobId),
    )),
  }),
});

export const QUEUES: readonly QueueDeclaration[] = [
  claimRetentionQueue,
  dailyReportQueue,
  qaQuestionQueue,
  goalSweepQueue,
  goalChunkQueue,
];

export function findQueue(name: string, queues: readonly QueueDeclaration[] = QUEUES): QueueDeclaration {
  const queue = queues.find((candidate) => candidate.name === name);
  if (!queue) throw new Error(`no queue named '${name}'`);
  return queue;
}
