// `hilo worker`: the background job consumer process. No job consumes yet: it checks its
// dependencies at start, holds its connections, and stops cleanly on SIGTERM.
import type { StartService } from "../lifecycle/run";

export const startWorker: StartService = async (_deps, log) => {
  log.info("worker started", { queues: [] });
  return { stop: async () => {} };
};
