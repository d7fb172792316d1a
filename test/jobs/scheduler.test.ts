// The scheduler: one leader fires, each period is one job however often it is fired, a new leader
// catches up the most recent period, and a leader that loses its lock stops firing.
import { afterAll, describe, expect, test } from "bun:test";
import { claimRetentionQueue, QUEUES } from "../../src/jobs/queues";
import { latestPeriod, type ScheduleFire, startScheduler } from "../../src/jobs/scheduler";
import { claimRetentionSchedule, SCHEDULES, utcSecond } from "../../src/jobs/schedules";
import { createLogger } from "../../src/observability/logger";
import { everySecond, jobCount, recordingQueue, removeQueue, testRedis, uniquePrefix } from "./support";

const redis = testRedis();
const log = createLogger("error");
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  redis.disconnect();
});

function fixedClock(iso: string) {
  return { now: () => new Date(iso) };
}

describe("periods", () => {
  test.each([
    ["30 3 * * *", "2026-12-06T05:00:00.000Z", "2026-12-06T03:30:00.000Z"],
    ["30 3 * * *", "2026-12-06T03:30:00.000Z", "2026-12-06T03:30:00.000Z"],
    ["30 3 * * *", "2026-12-06T03:29:59.999Z", "2026-12-05T03:30:00.000Z"],
    ["* * * * * *", "2026-12-06T10:00:01.400Z", "2026-12-06T10:00:01.000Z"],
  ])("%s at %s is the period of %s", (cron, at, period) => {
    expect(latestPeriod(cron, new Date(at))?.toISOString()).toBe(period);
  });

  test("the claim retention job id is the UTC day of its period", () => {
    expect(claimRetentionSchedule.jobId(new Date("2026-12-06T03:30:00Z"))).toBe("claim-retention@2026-12-06");
    expect(utcSecond(new Date("2026-12-06T03:30:07.123Z"))).toBe("20261206T033007Z");
  });

  test("every declared schedule names a declared queue", () => {
    const declared = new Set(QUEUES.map((queue) => queue.name));
    expect(SCHEDULES.length).toBeGreaterThan(0);
    for (const schedule of SCHEDULES) expect(declared.has(schedule.queue)).toBe(true);
  });
});

describe("deterministic job ids", () => {
  test("the same tick fired twice, and a catch-up overlapping a live fire, are one job", async () => {
    const prefix = uniquePrefix();
    const lockKey = `${prefix}:leader`;
    cleanups.push(() => removeQueue(redis, prefix, claimRetentionQueue.name));
    const fires: ScheduleFire[] = [];
    // Started at 05:00 on the 6th: the catch-up fires the 03:30 period of that day.
    const scheduler = await startScheduler({
      redis,
      log,
      schedules: [claimRetentionSchedule],
      queues: [claimRetentionQueue],
      clock: fixedClock("2026-12-06T05:00:00Z"),
      prefix,
      lockKey,
      onFire: (fire) => fires.push(fire),
    });
    try {
      expect(fires).toEqual([
        { schedule: "claim-retention", jobId: "claim-retention@2026-12-06", catchUp: true },
      ]);
      // The live tick of the same period, twice (a double fire), lands on the catch-up's job.
      await scheduler.fire(claimRetentionSchedule, new Date("2026-12-06T03:30:00.000Z"));
      await scheduler.fire(claimRetentionSchedule, new Date("2026-12-06T03:30:00.250Z"));
      expect(await jobCount(redis, prefix, claimRetentionQueue.name)).toBe(1);
      // The next period is a job of its own.
      await scheduler.fire(claimRetentionSchedule, new Date("2026-12-07T03:30:00.000Z"));
      expect(await jobCount(redis, prefix, claimRetentionQueue.name)).toBe(2);
    } finally {
      await scheduler.stop();
    }
  });
});

describe("leadership", () => {
  test("of two schedulers exactly one fires, and the jobs enqueued equal its ticks", async () => {
    const prefix = uniquePrefix();
    const lockKey = `${prefix}:leader`;
    const queue = recordingQueue("ticks", []);
    const schedule = everySecond(queue.name);
    cleanups.push(() => removeQueue(redis, prefix, queue.name));
    const fires: ScheduleFire[][] = [[], []];
    const start = (index: number) =>
      startScheduler({
        redis,
        log,
        schedules: [schedule],
        queues: [queue],
        prefix,
        lockKey,
        onFire: (fire) => fires[index]?.push(fire),
      });
    const first = await start(0);
    const second = await start(1);
    try {
      await Bun.sleep(2_300);
      expect([first.isLeader(), second.isLeader()]).toEqual([true, false]);
    } finally {
      await first.stop();
      await second.stop();
    }
    const [leaderFires = [], standbyFires = []] = fires;
    expect(standbyFires).toHaveLength(0);
    // The catch-up and at least two live ticks.
    expect(leaderFires.length).toBeGreaterThanOrEqual(3);
    expect(leaderFires.filter((fire) => fire.catchUp)).toHaveLength(1);
    expect(new Set(leaderFires.map((fire) => fire.jobId)).size).toBe(leaderFires.length);
    expect(await jobCount(redis, prefix, queue.name)).toBe(leaderFires.length);
  });

  test("a leader that loses its lock stops its crons and ends; a standby then takes over", async () => {
    const prefix = uniquePrefix();
    const lockKey = `${prefix}:leader`;
    const queue = recordingQueue("ticks", []);
    cleanups.push(() => removeQueue(redis, prefix, queue.name));
    const fires: ScheduleFire[] = [];
    const standbyFires: ScheduleFire[] = [];
    const options = {
      redis,
      log,
      schedules: [everySecond(queue.name)],
      queues: [queue],
      prefix,
      lockKey,
      heartbeatMs: 100,
      lockTtlMs: 300,
    };
    const leader = await startScheduler({ ...options, onFire: (fire) => fires.push(fire) });
    const standby = await startScheduler({ ...options, onFire: (fire) => standbyFires.push(fire) });
    try {
      expect(leader.isLeader()).toBe(true);
      expect(standby.isLeader()).toBe(false);
      // Another holder takes the lock (what a leader paused past its TTL finds on waking).
      await redis.set(lockKey, "someone-else", "PX", 300);
      await leader.done;
      expect(leader.isLeader()).toBe(false);
      const firedBeforeLoss = fires.length;
      await Bun.sleep(1_500);
      expect(fires.length).toBe(firedBeforeLoss);
      // The foreign lock expired: the standby leads, catches up and ticks.
      expect(standby.isLeader()).toBe(true);
      expect(standbyFires.length).toBeGreaterThanOrEqual(1);
    } finally {
      await leader.stop();
      await standby.stop();
    }
  });

  test("a standby takes over the moment a dead leader's lock expires, not at its next heartbeat", async () => {
    const prefix = uniquePrefix();
    const lockKey = `${prefix}:leader`;
    const queue = recordingQueue("ticks", []);
    cleanups.push(() => removeQueue(redis, prefix, queue.name));
    // A leader that died 29.4 s into production's 30 s TTL: 600 ms of its lock are left.
    await redis.set(lockKey, "dead-leader", "PX", 600);
    const standby = await startScheduler({
      redis,
      log,
      schedules: [everySecond(queue.name)],
      queues: [queue],
      prefix,
      lockKey,
      // Production's heartbeat: without the retry at expiry the standby would wait 10 s.
      heartbeatMs: 10_000,
      lockTtlMs: 30_000,
    });
    try {
      expect(standby.isLeader()).toBe(false);
      const started = Date.now();
      while (!standby.isLeader() && Date.now() - started < 5_000) await Bun.sleep(20);
      expect(standby.isLeader()).toBe(true);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await standby.stop();
    }
  });
});
