// `hilo worker`: the background job consumer process. Queue processors register here as the
// jobs that need them land (goal sweep, claim cleanup, QA runs); until then it holds its
// connections, answers the lifecycle, and drains on SIGTERM.
import type { StartService } from "../lifecycle/run";

export const startWorker: StartService = async (_deps, log) => {
  log.info("worker started", { queues: [] });
  return { stop: async () => {} };
};
