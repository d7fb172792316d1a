// The worker: a malformed payload fails that job with its reason (no retry) while the worker keeps
// consuming; every run is recorded; stopping lets the job in flight finish and takes no new one; and
// the scheduler's claim retention job runs end to end through it.
import { afterAll, describe, expect, test } from "bun:test";
import { Queue } from "bullmq";
import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import { parseWorkerQueues, WorkerUsageError } from "../../src/cli/worker";
import { backgroundTasks } from "../../src/db/schema";
import { closeDeps, createDeps } from "../../src/infra/deps";
import { claimRetentionQueue, defineQueue, QUEUES, type QueueDeclaration } from "../../src/jobs/queues";
import { latestPeriod, startScheduler } from "../../src/jobs/scheduler";
import { claimRetentionSchedule, utcDay } from "../../src/jobs/schedules";
import { startJobWorkers } from "../../src/jobs/worker";
import { createLogger } from "../../src/observability/logger";
import { testConfig } from "../support/stack";
import { recordingQueue, removeQueue, testRedis, uniquePrefix } from "./support";

const deps = createDeps(testConfig());
const redis = testRedis();
const log = createLogger("error");
const db = deps.appDb.db;
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  redis.disconnect();
  await closeDeps(deps);
});

/** A queue name of the test's own (it is also the background_tasks kind, at most 40 characters). */
function queueName(what: string): string {
  return `${what}-${Bun.randomUUIDv7().slice(-8)}`;
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await Bun.sleep(20);
  }
}

async function runsOf(kind: string) {
  return db
    .select({ status: backgroundTasks.status, error: backgroundTasks.error, result: backgroundTasks.result })
    .from(backgroundTasks)
    .where(eq(backgroundTasks.kind, kind))
    .orderBy(desc(backgroundTasks.createdAt));
}

function cleanupKind(kind: string, prefix: string) {
  cleanups.push(async () => {
    await db.delete(backgroundTasks).where(eq(backgroundTasks.kind, kind));
    await removeQueue(redis, prefix, kind);
  });
}

/** Workers consuming one queue under the test's prefix, and that queue for adding and inspecting. */
function consume(declaration: QueueDeclaration, prefix: string) {
  const workers = startJobWorkers({
    deps,
    log,
    queues: [declaration],
    redisUrl: testConfig().REDIS_URL,
    prefix,
  });
  return { workers, queue: new Queue(declaration.name, { connection: redis, prefix }) };
}

async function jobsOf(declaration: QueueDeclaration, prefix: string) {
  const queue = new Queue(declaration.name, { connection: redis, prefix });
  try {
    return await queue.getJobs();
  } finally {
    await queue.close();
  }
}

describe("worker", () => {
  test("a malformed payload fails that job with its reason, unretried, and the worker keeps consuming", async () => {
    const prefix = uniquePrefix();
    const seen: number[] = [];
    const declaration = recordingQueue(queueName("echo"), seen);
    cleanupKind(declaration.name, prefix);
    const { workers, queue } = consume(declaration, prefix);
    try {
      // Straight onto the queue: the producer would refuse this payload before it reached Redis.
      const bad = await queue.add("echo", { n: "seven" }, { jobId: "bad", attempts: 3 });
      await queue.add("echo", { n: 7 }, { jobId: "good", attempts: 3 });
      await until(async () => seen.includes(7) && (await bad.isFailed()));

      const failed = await queue.getJob("bad");
      expect(failed?.failedReason).toStartWith("invalid payload:");
      expect(failed?.failedReason).toContain("n");
      expect(failed?.attemptsMade).toBe(1);
      expect(seen).toEqual([7]);

      await until(async () => (await runsOf(declaration.name)).length === 2);
      const runs = await runsOf(declaration.name);
      expect(runs.map((run) => run.status).sort()).toEqual(["done", "failed"]);
      expect(runs.find((run) => run.status === "failed")?.error).toBe(failed?.failedReason ?? "");
      expect(runs.find((run) => run.status === "done")?.result).toEqual({ n: 7 });
    } finally {
      await queue.close();
      await workers.stop();
    }
  });

  test("stopping lets the job in flight finish and takes no new job", async () => {
    const prefix = uniquePrefix();
    const started: number[] = [];
    const finished: number[] = [];
    const declaration = defineQueue({
      name: queueName("slow"),
      concurrency: 1,
      attempts: 1,
      backoff: { type: "fixed", delayMs: 10 },
      lockDurationMs: 5_000,
      payload: z.strictObject({ n: z.number() }),
      handle: async ({ n }) => {
        started.push(n);
        await Bun.sleep(400);
        finished.push(n);
        return {};
      },
    });
    cleanupKind(declaration.name, prefix);
    const { workers, queue } = consume(declaration, prefix);
    try {
      await queue.add("slow", { n: 1 }, { jobId: "first" });
      await queue.add("slow", { n: 2 }, { jobId: "second" });
      await until(() => started.length === 1);
      await workers.stop();
      expect(finished).toEqual([1]);
      expect(started).toEqual([1]);
      expect(await (await queue.getJob("first"))?.isCompleted()).toBe(true);
      expect(await queue.getJobState("second")).toBe("waiting");
    } finally {
      await queue.close();
    }
  });

  test("the scheduler's catch-up enqueues claim retention and a worker runs it once", async () => {
    const prefix = uniquePrefix();
    cleanups.push(() => removeQueue(redis, prefix, claimRetentionQueue.name));
    const now = new Date();
    const scheduler = await startScheduler({
      redis,
      log,
      schedules: [claimRetentionSchedule],
      queues: [claimRetentionQueue],
      prefix,
      lockKey: `${prefix}:leader`,
    });
    // A second fire of the same period (a restarted leader) is the same job.
    await scheduler.fire(claimRetentionSchedule, now);
    await scheduler.stop();
    // Counted before a worker starts: a job moving between BullMQ's lists can be missed by a read.
    const jobs = await jobsOf(claimRetentionQueue, prefix);
    const { workers, queue } = consume(claimRetentionQueue, prefix);
    try {
      expect(jobs).toHaveLength(1);
      const [job] = jobs;
      const period = utcDay(latestPeriod(claimRetentionSchedule.cron, now) ?? now);
      expect(job?.id).toBe(`claim-retention@${period}`);
      expect(job?.data).toEqual({ period });
      await until(async () => (await queue.getJobState(job?.id ?? "")) === "completed", 10_000);
      const [run] = await db
        .select()
        .from(backgroundTasks)
        .where(eq(backgroundTasks.kind, claimRetentionQueue.name))
        .orderBy(desc(backgroundTasks.createdAt))
        .limit(1);
      if (run)
        cleanups.push(() =>
          db
            .delete(backgroundTasks)
            .where(eq(backgroundTasks.id, run.id))
            .then(() => {}),
        );
      expect(run?.status).toBe("done");
      expect(run?.params).toMatchObject({ job_id: job?.id, payload: { period } });
      expect(run?.result).toMatchObject({ deleted: expect.any(Number), batches: expect.any(Number) });
    } finally {
      await queue.close();
      await workers.stop();
    }
  });
});

describe("hilo worker --queues", () => {
  test.each([
    // None named: every declared queue, whichever capabilities declare them.
    [[], QUEUES.map((queue) => queue.name)],
    [["--queues", "claim-retention"], ["claim-retention"]],
    [["--queues=claim-retention,"], ["claim-retention"]],
  ])("%j consumes %j", (argv, names) => {
    expect(parseWorkerQueues(argv).map((queue) => queue.name)).toEqual(names);
  });

  test.each([
    [["--queues", "nope"], "unknown queue 'nope'"],
    [["--queues", ","], "--queues names no queue"],
    [["--queue", "claim-retention"], "Unknown option"],
  ])("%j is a usage error: %s", (argv, message) => {
    expect(() => parseWorkerQueues(argv)).toThrow(WorkerUsageError);
    expect(() => parseWorkerQueues(argv)).toThrow(message);
  });
});
