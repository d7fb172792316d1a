// The nightly sweep end to end through real BullMQ on the stack's Redis (a key prefix of this file's
// own), MariaDB and the MongoDB stand-in: the schedule's job, the dispatcher's chunk jobs of at most
// 200 goals, and the evaluations they store, for a Sydney and a Los Angeles user in the same sweep.
// Dates are in 2031 for the reason given in nightly-evaluation.test.ts.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { inArray } from "drizzle-orm";
import { goalEvaluations } from "../../src/db/schema";
import { periodEndsAt } from "../../src/goals/periods";
import { SWEEP_CHUNK_MAX_GOALS } from "../../src/goals/sweep";
import { createJobProducer, type JobProducer } from "../../src/jobs/producer";
import { goalChunkQueue, goalSweepQueue, QUEUES } from "../../src/jobs/queues";
import { configuredSchedules, goalSweepSchedule, SCHEDULES } from "../../src/jobs/schedules";
import { type JobWorkers, startJobWorkers } from "../../src/jobs/worker";
import { createLogger } from "../../src/observability/logger";
import { removeQueue, testRedis, uniquePrefix } from "../jobs/support";
import { letters, type NightlyHarness, nightlyHarness } from "./nightly-support";

const LA = "America/Los_Angeles";
const SYDNEY = "Australia/Sydney";
const NIGHT_1 = new Date("2031-11-04T02:00:00Z");
const NIGHT_2 = new Date("2031-11-05T02:00:00Z");
/** Goals per user: together more than two chunks' worth. */
const GOALS_EACH = 230;
const MIXED_DAYS = { "2031-10-30": 125, "2031-10-31": 135, "2031-11-02": 128, "2031-11-03": 129 };

const redis = testRedis();
const prefix = uniquePrefix();
let h: NightlyHarness;
let workers: JobWorkers;
let producer: JobProducer;
const sydneyGoals: string[] = [];
const laGoals: string[] = [];

beforeAll(async () => {
  h = await nightlyHarness();
  workers = startJobWorkers({
    deps: h.deps,
    log: createLogger("error"),
    queues: [goalSweepQueue, goalChunkQueue],
    prefix,
  });
  producer = createJobProducer(redis, prefix);
  const sydney = await h.user(SYDNEY);
  const la = await h.user(LA);
  await h.days(sydney, MIXED_DAYS);
  await h.days(la, MIXED_DAYS);
  const terms = { kind: "count_hits_in_window", target: 3, windowDays: 5, startsOn: "2031-10-30" } as const;
  for (let i = 0; i < GOALS_EACH; i++) {
    const [s, l] = await Promise.all([
      h.goal(sydney, { ...terms, nextDueAt: periodEndsAt("2031-10-30", SYDNEY) }),
      h.goal(la, { ...terms, nextDueAt: periodEndsAt("2031-10-30", LA) }),
    ]);
    sydneyGoals.push(s);
    laGoals.push(l);
  }
}, 60_000);

afterAll(async () => {
  await workers.stop();
  await producer.close();
  for (const queue of [goalSweepQueue, goalChunkQueue]) await removeQueue(redis, prefix, queue.name);
  redis.disconnect();
  await h.close();
});

/** Fires the schedule for the night, as the scheduler's leader does, and waits for every chunk. */
async function fireAndDrain(night: Date, jobId = goalSweepSchedule.jobId(night)) {
  await producer.enqueue(goalSweepQueue, goalSweepSchedule.payload(night), jobId);
  const sweeps = producer.queue(goalSweepQueue);
  const chunks = producer.queue(goalChunkQueue);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const state = await sweeps.getJobState(jobId);
    const pending = await chunks.getJobCounts("waiting", "active", "delayed", "prioritized");
    if (state === "completed" && Object.values(pending).every((n) => n === 0)) break;
    if (state === "failed")
      throw new Error(`the sweep failed: ${(await sweeps.getJob(jobId))?.failedReason}`);
    if (Date.now() > deadline)
      throw new Error(`the sweep did not drain: ${state} ${JSON.stringify(pending)}`);
    await Bun.sleep(50);
  }
  return (await sweeps.getJob(jobId))?.returnvalue as { dueGoals: number; chunks: number };
}

async function rowsPerGoal(ids: readonly string[]): Promise<Map<string, number>> {
  const rows = await h.deps.appDb.db
    .select({ goalId: goalEvaluations.goalId })
    .from(goalEvaluations)
    .where(inArray(goalEvaluations.goalId, [...ids]));
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.goalId, (counts.get(row.goalId) ?? 0) + 1);
  return counts;
}

describe("the goal sweep schedule", () => {
  test("is declared at 02:00 UTC on a declared queue, with the cron the configuration sets", () => {
    expect(SCHEDULES).toContain(goalSweepSchedule);
    expect(goalSweepSchedule.cron).toBe("0 2 * * *");
    expect(QUEUES.map((queue) => queue.name)).toEqual(
      expect.arrayContaining(["goal-sweep", "goal-evaluation"]),
    );
    const configured = configuredSchedules({ HILO_GOAL_SWEEP_CRON: "30 1 * * *" });
    expect(configured.find((s) => s.name === "goal-sweep")?.cron).toBe("30 1 * * *");
    expect(configured.filter((s) => s.name !== "goal-sweep")).toEqual(
      SCHEDULES.filter((s) => s.name !== "goal-sweep"),
    );
    // BullMQ refuses ':' in custom ids.
    expect(goalSweepSchedule.jobId(NIGHT_1)).toBe("goal-sweep@20311104T020000Z");
    expect(goalSweepSchedule.payload(NIGHT_1)).toEqual({ at: "2031-11-04T02:00:00.000Z" });
  });
});

describe("a night's sweep through BullMQ", () => {
  test("fans out into chunks of at most 200 and evaluates every due goal in its user's zone", async () => {
    const result = await fireAndDrain(NIGHT_1);
    expect(result.dueGoals).toBeGreaterThanOrEqual(2 * GOALS_EACH);
    expect(result.chunks).toBeGreaterThanOrEqual(Math.ceil((2 * GOALS_EACH) / SWEEP_CHUNK_MAX_GOALS));

    const chunkJobs = await producer.queue(goalChunkQueue).getJobs(["completed"]);
    expect(chunkJobs.length).toBe(result.chunks);
    for (const job of chunkJobs) {
      expect(job.id).toStartWith("goal-chunk@20311104T020000Z@");
      expect(job.data.goalIds.length).toBeLessThanOrEqual(SWEEP_CHUNK_MAX_GOALS);
    }
    const covered = new Set(chunkJobs.flatMap((job) => job.data.goalIds as string[]));
    for (const id of [...sydneyGoals, ...laGoals]) expect(covered.has(id)).toBe(true);

    // Sydney: Oct 30 – Nov 3 = H M N H H, achieved. Los Angeles: through Nov 2 = H M N H, active.
    const counts = await rowsPerGoal([...sydneyGoals, ...laGoals]);
    for (const id of sydneyGoals) expect(counts.get(id)).toBe(5);
    for (const id of laGoals) expect(counts.get(id)).toBe(4);
    expect(letters(await h.evaluations(sydneyGoals[0] ?? ""))).toBe("HMNHH");
    expect(letters(await h.evaluations(laGoals[0] ?? ""))).toBe("HMNH");
    for (const id of sydneyGoals.slice(0, 20)) expect((await h.row(id)).status).toBe("achieved");
    for (const id of laGoals.slice(0, 20)) expect((await h.row(id)).status).toBe("active");
  }, 90_000);

  test("a second fire of the same night is the same job; a re-dispatch finds nothing left due", async () => {
    const before = await producer.queue(goalChunkQueue).getJobCountByTypes("completed");
    await producer.enqueue(
      goalSweepQueue,
      goalSweepSchedule.payload(NIGHT_1),
      goalSweepSchedule.jobId(NIGHT_1),
    );
    // A dispatcher run under another id (a retry after a crash) at the same instant.
    const again = await fireAndDrain(NIGHT_1, "goal-sweep@rerun");
    const covered = (await producer.queue(goalChunkQueue).getJobs(["completed"])).flatMap(
      (job) => job.data.goalIds as string[],
    );
    expect(covered.filter((id) => sydneyGoals.includes(id) || laGoals.includes(id))).toHaveLength(
      2 * GOALS_EACH,
    );
    expect(await producer.queue(goalChunkQueue).getJobCountByTypes("completed")).toBe(before + again.chunks);
    const counts = await rowsPerGoal([...sydneyGoals, ...laGoals]);
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(GOALS_EACH * 5 + GOALS_EACH * 4);
  }, 90_000);

  test("the next night evaluates Los Angeles' Nov 3 and leaves Sydney's decided goals alone", async () => {
    await fireAndDrain(NIGHT_2);
    const counts = await rowsPerGoal([...sydneyGoals, ...laGoals]);
    for (const id of [...sydneyGoals, ...laGoals]) expect(counts.get(id)).toBe(5);
    expect(letters(await h.evaluations(laGoals.at(-1) ?? ""))).toBe("HMNHH");
    for (const id of laGoals.slice(0, 20)) expect((await h.row(id)).status).toBe("achieved");
  }, 90_000);
});
