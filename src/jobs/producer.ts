// Enqueueing onto the declared queues: every job carries its queue's attempts and backoff, and a
// caller-chosen id, so adding the same id twice is one job (BullMQ keeps the first and ignores the
// rest while the job is still held, which the retention below guarantees for days).
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { type Metrics, QUEUE_STATES } from "../observability/metrics";
import type { QueueDeclaration } from "./queues";

/** Every BullMQ key of ours starts with this, apart from the api's and the scheduler's own keys. */
export const JOBS_PREFIX = "hilo:jobs";

/**
 * Finished jobs stay in Redis for a week: longer than the longest schedule period (a day) plus a
 * catch-up after downtime, so a re-fire of a period that already ran meets its job and is ignored.
 */
const KEEP_COMPLETED = { age: 7 * 24 * 60 * 60, count: 10_000 };
/** Failed jobs stay a month: long enough to read why, bounded so Redis does not grow with them. */
const KEEP_FAILED = { age: 30 * 24 * 60 * 60, count: 10_000 };

export interface JobProducer {
  /** Validates the payload against the queue's schema (a bad one throws here, never reaches Redis). */
  enqueue(queue: QueueDeclaration, payload: unknown, jobId: string): Promise<void>;
  /** The BullMQ queue, for counts and inspection. */
  queue(queue: QueueDeclaration): Queue;
  close(): Promise<void>;
}

export function createJobProducer(connection: Redis, prefix = JOBS_PREFIX): JobProducer {
  const open = new Map<string, Queue>();
  const queueOf = (declaration: QueueDeclaration): Queue => {
    let queue = open.get(declaration.name);
    if (!queue) {
      queue = new Queue(declaration.name, { connection, prefix });
      // A lost connection surfaces where it matters (an enqueue rejects, the scheduler stands down);
      // without a listener each reconnect attempt prints a raw stack outside the JSON log.
      queue.on("error", () => {});
      open.set(declaration.name, queue);
    }
    return queue;
  };
  return {
    enqueue: async (declaration, payload, jobId) => {
      const data = declaration.payload.parse(payload);
      await queueOf(declaration).add(declaration.name, data, {
        jobId,
        attempts: declaration.attempts,
        backoff: { type: declaration.backoff.type, delay: declaration.backoff.delayMs },
        removeOnComplete: KEEP_COMPLETED,
        removeOnFail: KEEP_FAILED,
      });
    },
    queue: queueOf,
    close: async () => {
      await Promise.all([...open.values()].map((queue) => queue.close()));
    },
  };
}

/** Reports these queues' counts in hilo_queue_jobs at each scrape; the returned function stops it. */
export function watchQueueCounts(
  metrics: Metrics,
  producer: JobProducer,
  queues: readonly QueueDeclaration[],
): () => void {
  const byName = new Map(queues.map((queue) => [queue.name, queue]));
  return metrics.watchQueues([...byName.keys()], async (name) => {
    const declaration = byName.get(name);
    if (!declaration) throw new Error(`queue ${name} is not watched`);
    return producer.queue(declaration).getJobCounts(...QUEUE_STATES);
  });
}
