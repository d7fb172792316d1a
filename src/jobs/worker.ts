// The consumers of `hilo worker`: one in-process BullMQ worker per declared queue, with the queue's
// concurrency and lock duration. Stopping pauses every queue's fetching at once and waits for the
// jobs in flight; the lifecycle bounds that wait by HILO_SHUTDOWN_GRACE_MS, and a job cut off by the
// exit is picked up again by BullMQ's stalled-job check on another worker.
import { Worker } from "bullmq";
import { Redis } from "ioredis";
import type { Deps } from "../infra/deps";
import type { Logger } from "../observability/logger";
import { type Clock, createProcessor } from "./processor";
import { createJobProducer, JOBS_PREFIX, watchQueueCounts } from "./producer";
import type { QueueDeclaration } from "./queues";

export interface JobWorkers {
  /** Stops fetching, waits for active jobs, closes the workers' connections. */
  stop(): Promise<void>;
}

export interface JobWorkerOptions {
  deps: Deps;
  log: Logger;
  queues: readonly QueueDeclaration[];
  redisUrl?: string;
  prefix?: string;
  clock?: Clock;
}

export function startJobWorkers(options: JobWorkerOptions): JobWorkers {
  const { deps, log } = options;
  // BullMQ's blocking fetch must wait out a Redis restart rather than fail after a few retries: the
  // worker reconnects and resumes, and the jobs wait in Redis meanwhile.
  const connection = new Redis(options.redisUrl ?? deps.config.REDIS_URL, { maxRetriesPerRequest: null });
  connection.on("error", (error) => log.warn("worker redis connection error", { error: error.message }));
  // Enqueues (a job fanning out) and the queue counts go through the process's fail-fast client: an
  // enqueue while Redis is away fails its job, which BullMQ retries.
  const counts = createJobProducer(deps.redis.redis, options.prefix ?? JOBS_PREFIX);
  const workers = options.queues.map((declaration) => {
    const processor = createProcessor(declaration, deps, log, options.clock, counts);
    const worker = new Worker(declaration.name, processor, {
      connection,
      prefix: options.prefix ?? JOBS_PREFIX,
      concurrency: declaration.concurrency,
      lockDuration: declaration.lockDurationMs,
    });
    // The processor logs each job's failure; this only keeps a connection error from being unhandled.
    worker.on("error", (error) =>
      log.warn("worker error", { queue: declaration.name, error: error.message }),
    );
    return worker;
  });
  // hilo_queue_jobs for the queues this process consumes, read at each scrape through the process's
  // fail-fast client, so a scrape while Redis is away answers at once with the last counts.
  const unwatch = watchQueueCounts(deps.metrics, counts, options.queues);
  log.info("consuming queues", {
    queues: options.queues.map((queue) => ({ name: queue.name, concurrency: queue.concurrency })),
  });
  return {
    stop: async () => {
      // Every queue stops fetching first, so no queue starts a job while another drains.
      await Promise.all(workers.map((worker) => worker.pause(true)));
      await Promise.all(workers.map((worker) => worker.close()));
      unwatch();
      await counts.close();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
