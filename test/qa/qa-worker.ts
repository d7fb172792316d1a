// A worker process for the QA crash test: consumes the real qa-question queue (real processor, real
// handler) under a test's key prefix, with a short lock so the test's rescuer takes over quickly once
// this process is SIGKILLed.
import { parseArgs } from "node:util";
import { createDeps } from "../../src/infra/deps";
import { qaQuestionQueue } from "../../src/jobs/queues";
import { stallingWorker } from "../jobs/stalling-worker";

const QA_STALL_LOCK_MS = 5_000;

import { testConfig } from "../support/stack";

/**
 * The QA queue as declared, but with a lock that lapses 5 s after its worker dies (30 s in production).
 * Not the 1 s of the generic stall test: a loaded machine can delay a renewal past a second, and the
 * worker's own stalled check would then hand a running question to itself a second time (stored once
 * all the same, but asked twice, which this test counts).
 */
export const shortLockQaQueue = { ...qaQuestionQueue, lockDurationMs: QA_STALL_LOCK_MS };

if (import.meta.main) {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { prefix: { type: "string" } },
    strict: true,
  });
  stallingWorker(shortLockQaQueue, createDeps(testConfig()), values.prefix ?? "");
  process.stdout.write("consuming\n");
}
