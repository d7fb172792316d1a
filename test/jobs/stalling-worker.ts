// A worker process for the SIGKILL test: consumes one queue whose handler writes its row (an
// idempotent insert), prints `wrote <n>`, and then hangs, so the test can kill it mid-job. The test
// builds the same queue (without the hang) for the worker that rescues the stalled job.
import { parseArgs } from "node:util";
import { Worker } from "bullmq";
import { sql } from "drizzle-orm";
import { Redis } from "ioredis";
import { z } from "zod";
import { createDeps, type Deps } from "../../src/infra/deps";
import { createProcessor } from "../../src/jobs/processor";
import { defineQueue, type QueueDeclaration } from "../../src/jobs/queues";
import { createLogger } from "../../src/observability/logger";
import { testConfig } from "../support/stack";

/** A dead worker's lock lapses after this; the rescuer's stalled check then hands the job on. */
export const STALL_LOCK_MS = 1_000;
/**
 * How often a worker looks for jobs whose lock lapsed (BullMQ's default is 30 s). Every worker on the
 * queue must use it: a check sets a Redis key that holds off all other checks for its own interval.
 */
export const STALLED_INTERVAL_MS = 300;

/** A worker on the real base processor, with the short stalled interval (startJobWorkers keeps 30 s). */
export function stallingWorker(
  declaration: QueueDeclaration,
  deps: Deps,
  prefix: string,
): { worker: Worker; close(): Promise<void> } {
  const connection = new Redis(deps.config.REDIS_URL, { maxRetriesPerRequest: null });
  const worker = new Worker(declaration.name, createProcessor(declaration, deps, createLogger("error")), {
    connection,
    prefix,
    concurrency: declaration.concurrency,
    lockDuration: declaration.lockDurationMs,
    stalledInterval: STALLED_INTERVAL_MS,
  });
  return {
    worker,
    close: async () => {
      await worker.close();
      connection.disconnect();
    },
  };
}

export function stallingQueue(
  name: string,
  table: string,
  afterWrite: (n: number) => Promise<void>,
): QueueDeclaration<{ n: number }> {
  return defineQueue({
    name,
    concurrency: 1,
    // One try: only the stalled check, not a retry, may run the job again.
    attempts: 1,
    backoff: { type: "fixed", delayMs: 10 },
    lockDurationMs: STALL_LOCK_MS,
    payload: z.strictObject({ n: z.number().int() }),
    handle: async ({ n }, ctx) => {
      // Idempotent: a re-run finds the row and leaves it.
      await ctx.deps.appDb.db.execute(
        sql`INSERT INTO ${sql.raw(table)} (n) VALUES (${n}) ON DUPLICATE KEY UPDATE n = n`,
      );
      await afterWrite(n);
      return { n };
    },
  });
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { queue: { type: "string" }, table: { type: "string" }, prefix: { type: "string" } },
    strict: true,
  });
  const declaration = stallingQueue(values.queue ?? "", values.table ?? "", async (n) => {
    process.stdout.write(`wrote ${n}\n`);
    // Hangs until the test kills this process.
    await new Promise(() => {});
  });
  stallingWorker(declaration, createDeps(testConfig()), values.prefix ?? "");
  process.stdout.write("consuming\n");
}
