// `hilo scheduler`: exactly one active leader fires the declared schedules (src/jobs/schedules.ts).
// Standbys retry every heartbeat; a leader that cannot renew its lock stops its crons and exits ≠ 0
// rather than risk a split brain (the deterministic job ids make even a split second of one safe).
import { QUEUES } from "../jobs/queues";
import { startScheduler as startSchedules } from "../jobs/scheduler";
import { SCHEDULES } from "../jobs/schedules";
import type { StartService } from "../lifecycle/run";

export const startScheduler: StartService = async (deps, log) => {
  // The process's ioredis client holds the lock and enqueues: its commands fail fast while Redis is
  // away, which is what a leader needs (it stands down) and a fire can afford (the catch-up refires).
  const scheduler = await startSchedules({
    redis: deps.redis.redis,
    log,
    schedules: SCHEDULES,
    queues: QUEUES,
  });
  return { done: scheduler.done, stop: scheduler.stop };
};
