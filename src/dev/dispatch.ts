// Hands a new QA run's questions to the workers: one job per question on the qa-question queue, with
// deterministic ids, so a repeated dispatch of the same run adds nothing. BullMQ is loaded on the first
// run, so an api that never starts one never loads it.
import type { Redis } from "ioredis";
import type { JobProducer } from "../jobs/producer";
import { qaQuestionJobId, qaQuestionQueue } from "../jobs/queues";
import type { QaDispatch } from "../qa/run";

/** Adds in flight at once: 10,000 questions are queued in a couple of seconds. */
const ENQUEUE_CONCURRENCY = 100;

export function queueDispatch(redis: Redis, prefix?: string): QaDispatch {
  let producer: Promise<JobProducer> | null = null;
  return async (runId, positions) => {
    producer ??= import("../jobs/producer").then(({ createJobProducer }) => createJobProducer(redis, prefix));
    const jobs = await producer;
    for (let start = 0; start < positions.length; start += ENQUEUE_CONCURRENCY) {
      await Promise.all(
        positions
          .slice(start, start + ENQUEUE_CONCURRENCY)
          .map((position) =>
            jobs.enqueue(qaQuestionQueue, { task_id: runId, position }, qaQuestionJobId(runId, position)),
          ),
      );
    }
  };
}
