// What `hilo scheduler` does: win the leader lock, then fire every declared schedule with croner (in
// UTC) by enqueueing its deterministic job. A new leader first fires each schedule's most recent
// period once (catch-up after downtime); the job id makes that and any double fire one job. A
// leader that cannot renew the lock stops its crons and then ends, so a supervisor restarts it.
import { Cron } from "croner";
import type { Redis } from "ioredis";
import type { Logger } from "../observability/logger";
import { createLeaderLock, LEADER_HEARTBEAT_MS, LEADER_TTL_MS } from "./leader-lock";
import { type Clock, SYSTEM_CLOCK } from "./processor";
import { createJobProducer, JOBS_PREFIX } from "./producer";
import { findQueue, type QueueDeclaration } from "./queues";
import type { ScheduleDeclaration } from "./schedules";

export const SCHEDULER_LOCK_KEY = "hilo:scheduler:leader";
/** After the holder's lock expires: enough for Redis to have dropped the key, small beside the TTL. */
const EXPIRY_RETRY_SLACK_MS = 25;

/** The latest time the cron matches at or before `at`, or null when it never did. */
export function latestPeriod(cron: string, at: Date): Date | null {
  // croner's previous run is strictly before its reference; a fire exactly on the period is that period.
  const [period] = new Cron(cron, { timezone: "UTC", paused: true }).previousRuns(
    1,
    new Date(at.getTime() + 1),
  );
  return period ?? null;
}

export interface ScheduleFire {
  schedule: string;
  jobId: string;
  catchUp: boolean;
}

export interface SchedulerOptions {
  /** The lock and the queues live here. */
  redis: Redis;
  log: Logger;
  schedules: readonly ScheduleDeclaration[];
  queues: readonly QueueDeclaration[];
  clock?: Clock;
  prefix?: string;
  lockKey?: string;
  heartbeatMs?: number;
  lockTtlMs?: number;
  /** Called after each enqueue (tests count fires with it). */
  onFire?: (fire: ScheduleFire) => void;
}

export interface RunningScheduler {
  /** Resolves when this scheduler lost its leadership and stopped its crons. */
  done: Promise<void>;
  isLeader(): boolean;
  /** Fires one schedule for the period `at` falls in (what a cron tick does). */
  fire(schedule: ScheduleDeclaration, at: Date, catchUp?: boolean): Promise<void>;
  stop(): Promise<void>;
}

export async function startScheduler(options: SchedulerOptions): Promise<RunningScheduler> {
  const { log } = options;
  const clock = options.clock ?? SYSTEM_CLOCK;
  const lock = createLeaderLock(
    options.redis,
    options.lockKey ?? SCHEDULER_LOCK_KEY,
    options.lockTtlMs ?? LEADER_TTL_MS,
  );
  const producer = createJobProducer(options.redis, options.prefix ?? JOBS_PREFIX);
  let crons: Cron[] = [];
  let leader = false;
  let stopped = false;
  let endService: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    endService = resolve;
  });

  const fire = async (schedule: ScheduleDeclaration, at: Date, catchUp = false) => {
    const period = latestPeriod(schedule.cron, at);
    if (!period) return;
    const jobId = schedule.jobId(period);
    await producer.enqueue(findQueue(schedule.queue, options.queues), schedule.payload(period), jobId);
    log.info("schedule fired", { schedule: schedule.name, job_id: jobId, catch_up: catchUp });
    options.onFire?.({ schedule: schedule.name, jobId, catchUp });
  };
  // Fires under way: stop() lets them finish before it closes the queues they enqueue into.
  const firing = new Set<Promise<void>>();
  const fireOrLog = async (schedule: ScheduleDeclaration, catchUp: boolean) => {
    // A fire that fails (Redis away) is logged; the leader then stands down, and the catch-up of the
    // next leader fires that period.
    const attempt = fire(schedule, clock.now(), catchUp).catch((error) =>
      log.error("schedule fire failed", { schedule: schedule.name, error }),
    );
    firing.add(attempt);
    await attempt.finally(() => firing.delete(attempt));
  };

  const lead = async () => {
    for (const schedule of options.schedules) await fireOrLog(schedule, true);
    // A lock lost during the catch-up must not leave crons running.
    if (!leader) return;
    crons = options.schedules.map(
      (schedule) =>
        new Cron(schedule.cron, { timezone: "UTC", protect: true }, async () => {
          await fireOrLog(schedule, false);
        }),
    );
  };
  const standDown = (reason: string, fields: Record<string, unknown> = {}) => {
    log.error(reason, fields);
    leader = false;
    stopped = true;
    // The crons stop before `done` resolves, so no tick fires after the process starts to exit.
    for (const cron of crons) cron.stop();
    crons = [];
    endService();
  };

  const heartbeatMs = options.heartbeatMs ?? LEADER_HEARTBEAT_MS;
  // A standby also tries the moment the holder's lock expires when that comes before its next
  // heartbeat, so a dead leader is replaced within the lock's TTL, not TTL plus a heartbeat.
  let expiryRetry: Timer | undefined;
  const retryAtExpiry = async () => {
    const remaining = await lock.remainingMs();
    if (remaining === null || remaining >= heartbeatMs || stopped) return;
    clearTimeout(expiryRetry);
    expiryRetry = setTimeout(() => void tick(), remaining + EXPIRY_RETRY_SLACK_MS);
  };

  const tick = async () => {
    if (stopped) return;
    try {
      if (!leader) {
        leader = await lock.tryAcquire();
        if (leader) {
          clearTimeout(expiryRetry);
          log.info("became scheduler leader");
          await lead();
        } else {
          await retryAtExpiry();
        }
        return;
      }
      if (!(await lock.renew())) standDown("lost the scheduler lock; standing down");
    } catch (error) {
      // Redis unreachable: a leader cannot prove it still holds the lock, so it stands down.
      if (leader) standDown("scheduler heartbeat failed; standing down", { error });
      else log.error("scheduler heartbeat failed", { error });
    }
  };
  await tick();
  if (!leader) log.info("another scheduler leads; standing by");
  const timer = setInterval(() => void tick(), heartbeatMs);

  return {
    done,
    isLeader: () => leader,
    fire,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      clearTimeout(expiryRetry);
      for (const cron of crons) cron.stop();
      crons = [];
      if (leader) await lock.release();
      leader = false;
      await Promise.allSettled(firing);
      await producer.close();
    },
  };
}
