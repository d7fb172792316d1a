// A worker process for the SIGKILL test: consumes the goal-evaluation queue with the real chunk
// handler, but after the chunk's rows are written only CRASH_AFTER_GOALS - 1 goals move on; every
// other goal stops between its rows and its goal update (the narrowest crash window), the process
// prints `rows written` and hangs until the test kills it. The rescuer in the test runs the same
// declaration without the hang, with the short lock and stalled interval of
// test/jobs/stalling-worker.ts.
import { parseArgs } from "node:util";
import { evaluateGoalChunk } from "../../src/goals/sweep";
import { createDeps } from "../../src/infra/deps";
import { defineQueue, goalChunkQueue, type QueueDeclaration } from "../../src/jobs/queues";
import { STALL_LOCK_MS, stallingWorker } from "../jobs/stalling-worker";
import { testConfig } from "../support/stack";

export const CRASH_AFTER_GOALS = 25;

/** The real chunk queue with a lock that lapses a second after its worker dies. */
export function crashableChunkQueue(afterRowsWritten?: () => Promise<void>): QueueDeclaration {
  return defineQueue({
    ...goalChunkQueue,
    lockDurationMs: STALL_LOCK_MS,
    handle: async (payload, ctx) => ({
      ...(await evaluateGoalChunk(ctx.deps, ctx.log, payload, { afterRowsWritten })),
    }),
  });
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { prefix: { type: "string" } },
    strict: true,
  });
  let written = 0;
  const declaration = crashableChunkQueue(async () => {
    written++;
    if (written < CRASH_AFTER_GOALS) return;
    if (written === CRASH_AFTER_GOALS) process.stdout.write("rows written\n");
    await new Promise(() => {});
  });
  stallingWorker(declaration, createDeps(testConfig()), values.prefix ?? "");
  process.stdout.write("consuming\n");
}
