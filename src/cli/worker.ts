// `hilo worker [--queues a,b]`: consumes the declared queues (src/jobs/queues.ts), all of them unless
// --queues names some. SIGTERM stops fetching and lets the jobs in flight finish within
// HILO_SHUTDOWN_GRACE_MS (the lifecycle bounds stop()).
import { parseArgs } from "node:util";
import type { Deps } from "../infra/deps";
import { QUEUES, type QueueDeclaration } from "../jobs/queues";
import { type JobWorkerOptions, startJobWorkers } from "../jobs/worker";
import type { RunningService, StartService } from "../lifecycle/run";
import type { Logger } from "../observability/logger";
import { serveMetricsPort } from "../observability/metrics";

const EXIT_USAGE = 64;

export const WORKER_USAGE = `Usage: hilo worker [--queues a,b]

Consumes the background job queues: ${QUEUES.map((queue) => queue.name).join(", ")}.
--queues limits this process to the named ones.`;

export class WorkerUsageError extends Error {}

/** The queues a worker consumes, from its arguments; throws WorkerUsageError on bad input. */
export function parseWorkerQueues(argv: string[]): readonly QueueDeclaration[] {
  let values: { queues?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: { queues: { type: "string" } }, strict: true }));
  } catch (error) {
    throw new WorkerUsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.queues === undefined) return QUEUES;
  const names = values.queues
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.length === 0) throw new WorkerUsageError("--queues names no queue");
  return names.map((name) => {
    const queue = QUEUES.find((candidate) => candidate.name === name);
    if (!queue) throw new WorkerUsageError(`unknown queue '${name}'`);
    return queue;
  });
}

/** Parses the arguments before any connection opens: a typo exits 64 at once. */
export function workerService(argv: string[]): StartService {
  let queues: readonly QueueDeclaration[];
  try {
    queues = parseWorkerQueues(argv);
  } catch (error) {
    if (!(error instanceof WorkerUsageError)) throw error;
    process.stderr.write(`hilo worker: ${error.message}\n\n${WORKER_USAGE}\n`);
    process.exit(EXIT_USAGE);
  }
  return async (deps, log) => startWorkerProcess(deps, log, queues);
}

/**
 * The worker process's services: the queue consumers and, when HILO_METRICS_PORT is set, the /metrics
 * listener. `overrides` (a Redis URL, a key prefix) are for tests.
 */
export async function startWorkerProcess(
  deps: Deps,
  log: Logger,
  queues: readonly QueueDeclaration[],
  overrides: Pick<JobWorkerOptions, "redisUrl" | "prefix"> = {},
): Promise<RunningService> {
  // No HTTP server here: /metrics only on HILO_METRICS_PORT, and not at all when it is unset. Bound
  // first, so a port in use fails the start before any job is taken.
  const metricsServer = serveMetricsPort(
    deps.metrics,
    { hostname: deps.config.HOST, port: deps.config.HILO_METRICS_PORT },
    log,
  );
  const workers = startJobWorkers({ deps, log, queues, ...overrides });
  return {
    stop: async () => {
      await workers.stop();
      // Last, so a scrape during the drain still sees the jobs finishing.
      await metricsServer?.stop(true);
    },
  };
}
