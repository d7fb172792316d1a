// `hilo scheduler`: exactly one active leader fires cron. Standbys retry every heartbeat; a
// leader that cannot renew its lock stops at once (exit ≠ 0) rather than risk a split brain.
import { createLeaderLock, LEADER_HEARTBEAT_MS } from "../jobs/leader-lock";
import type { StartService } from "../lifecycle/run";

export const SCHEDULER_LOCK_KEY = "hilo:scheduler:leader";

export const startScheduler: StartService = async (deps, log) => {
  const lock = createLeaderLock(deps.redis.redis, SCHEDULER_LOCK_KEY);
  let leader = false;
  let stopped = false;
  let endService: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    endService = resolve;
  });

  const tick = async () => {
    if (stopped) return;
    try {
      if (!leader) {
        leader = await lock.tryAcquire();
        if (leader) log.info("became scheduler leader");
        return;
      }
      if (!(await lock.renew())) {
        log.error("lost the scheduler lock; standing down");
        leader = false;
        stopped = true;
        endService();
      }
    } catch (error) {
      // Redis unreachable: a leader cannot prove it still holds the lock, so it stands down.
      log.error("scheduler heartbeat failed", { error });
      if (leader) {
        leader = false;
        stopped = true;
        endService();
      }
    }
  };
  await tick();
  if (!leader) log.info("another scheduler leads; standing by");
  const timer = setInterval(() => void tick(), LEADER_HEARTBEAT_MS);

  return {
    done,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      if (leader) await lock.release();
    },
  };
};
