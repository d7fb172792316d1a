// The one processor every queue runs through: it validates the payload with the queue's schema (an
// invalid one fails the job at once, with the reason, and is never retried), records the run in
// background_tasks, times it (hilo_job_duration_seconds), logs start and finish with the job id, and lets a handler's error fail the
// attempt so BullMQ retries it with the queue's backoff.
import { type Job, UnrecoverableError } from "bullmq";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { backgroundTasks } from "../db/schema";
import type { Deps } from "../infra/deps";
import type { Logger } from "../observability/logger";
import type { JobProducer } from "./producer";
import type { QueueDeclaration } from "./queues";

export interface Clock {
  now(): Date;
}

export const SYSTEM_CLOCK: Clock = { now: () => new Date() };

export type JobProcessor = (job: Job) => Promise<Record<string, unknown>>;

/** A processor built without a producer runs jobs that never fan out; one that tries is told so. */
const NO_PRODUCER: Pick<JobProducer, "enqueue"> = {
  enqueue: async (queue) => {
    throw new Error(`cannot enqueue onto ${queue.name}: this processor was given no producer`);
  },
};

export function createProcessor(
  declaration: QueueDeclaration,
  deps: Deps,
  log: Logger,
  clock: Clock = SYSTEM_CLOCK,
  producer: Pick<JobProducer, "enqueue"> = NO_PRODUCER,
): JobProcessor {
  const db = deps.appDb.db;
  const enqueue = (queue: QueueDeclaration, payload: unknown, id: string) =>
    producer.enqueue(queue, payload, id);
  return async (job) => {
    const jobId = job.id ?? "(no id)";
    const jobLog = log.child({ queue: declaration.name, job_id: jobId, attempt: job.attemptsMade + 1 });
    const runId = Bun.randomUUIDv7();
    const startedAt = clock.now();
    const startedMs = performance.now();
    // Written before the handler starts, so a worker that dies mid-job leaves a `running` row behind.
    await db.insert(backgroundTasks).values({
      id: runId,
      kind: declaration.name,
      status: "running",
      params: { job_id: jobId, attempt: job.attemptsMade + 1, payload: job.data },
      startedAt,
    });
    const finish = async (status: "done" | "failed", fields: { result?: unknown; error?: string }) => {
      deps.metrics.jobFinished(declaration.name, status, (performance.now() - startedMs) / 1000);
      await db
        .update(backgroundTasks)
        .set({ status, ...fields, finishedAt: clock.now() })
        .where(eq(backgroundTasks.id, runId));
    };

    const parsed = declaration.payload.safeParse(job.data);
    if (!parsed.success) {
      const reason = `invalid payload: ${z.prettifyError(parsed.error).replace(/\s*\n\s*/g, " ")}`;
      jobLog.error("job rejected", { reason });
      await finish("failed", { error: reason });
      throw new UnrecoverableError(reason);
    }

    jobLog.info("job started");
    try {
      const result = await declaration.handle(parsed.data, {
        deps,
        log: jobLog,
        jobId,
        now: startedAt,
        enqueue,
      });
      await finish("done", { result });
      jobLog.info("job finished", { ms: clock.now().getTime() - startedAt.getTime(), result });
      return result;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      jobLog.error("job failed", { error });
      await finish("failed", { error: message });
      throw error;
    }
  };
}
