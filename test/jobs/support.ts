// What the job tests share: a BullMQ key prefix and lock key of each test's own on the stack's Redis,
// so tests never see each other's queues, and a count of every job a queue holds.
import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { z } from "zod";
import { defineQueue, type QueueDeclaration } from "../../src/jobs/queues";
import { type ScheduleDeclaration, utcSecond } from "../../src/jobs/schedules";
import { requireEnv } from "../support/stack";

export function uniquePrefix(): string {
  return `test:jobs:${randomUUID().slice(0, 8)}`;
}

export function testRedis(): Redis {
  return new Redis(requireEnv("REDIS_URL"), { maxRetriesPerRequest: null });
}

/** Every job the queue holds, whatever its state. */
export async function jobCount(redis: Redis, prefix: string, name: string): Promise<number> {
  const queue = new Queue(name, { connection: redis, prefix });
  try {
    const counts = await queue.getJobCounts();
    return Object.values(counts).reduce((sum, count) => sum + count, 0);
  } finally {
    await queue.close();
  }
}

export async function removeQueue(redis: Redis, prefix: string, name: string): Promise<void> {
  const queue = new Queue(name, { connection: redis, prefix });
  await queue.obliterate({ force: true });
  await queue.close();
}

/** A queue whose handler records what it was given. */
export function recordingQueue(name: string, seen: number[]): QueueDeclaration<{ n: number }> {
  return defineQueue({
    name,
    concurrency: 2,
    attempts: 3,
    backoff: { type: "fixed", delayMs: 10 },
    lockDurationMs: 5_000,
    payload: z.strictObject({ n: z.number().int() }),
    handle: async (payload) => {
      seen.push(payload.n);
      return { n: payload.n };
    },
  });
}

/** Fires every second, so a test sees several ticks in a few seconds. */
export function everySecond(queue: string): ScheduleDeclaration {
  return {
    name: `every-second-${queue}`,
    cron: "* * * * * *",
    queue,
    jobId: (period) => `tick@${utcSecond(period)}`,
    payload: (period) => ({ n: period.getTime() }),
  };
}
