// SIGKILL a worker in the middle of a chunk of goals: BullMQ's stalled check hands the chunk to another
// worker once the dead one's lock lapses, and afterwards every goal has exactly one row per period and
// the same rows and status as the same goals evaluated by an uninterrupted run.
// Dates are in 2031 for the reason given in nightly-evaluation.test.ts.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { and, count, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { goalEvaluations, goals } from "../../src/db/schema";
import { periodEndsAt } from "../../src/goals/periods";
import type { GoalKind } from "../../src/goals/recipe";
import { chunkJobId } from "../../src/goals/sweep";
import { createJobProducer } from "../../src/jobs/producer";
import { stallingWorker } from "../jobs/stalling-worker";
import { removeQueue, testRedis, uniquePrefix } from "../jobs/support";
import { spawnHilo, stackEnv } from "../support/processes";
import { crashableChunkQueue } from "./nightly-crash-worker";
import { type NightlyHarness, nightlyHarness, type TestUser } from "./nightly-support";

const FIXTURE = ["bun", `${import.meta.dir}/nightly-crash-worker.ts`];
const NIGHT = new Date("2031-11-04T02:00:00Z");
const DAYS = { "2031-10-30": 125, "2031-10-31": 135, "2031-11-02": 128, "2031-11-03": 129 };
const KINDS: { kind: GoalKind; target: number; windowDays: number }[] = [
  { kind: "count_hits_in_window", target: 3, windowDays: 5 },
  { kind: "streak", target: 2, windowDays: 7 },
  { kind: "sustained_pattern", target: 3, windowDays: 4 },
];
/** Goals per set: 3 kinds x 2 users x 10, plus a broken recipe per user. */
const COPIES = 10;

const redis = testRedis();
const prefix = uniquePrefix();
let h: NightlyHarness;
beforeAll(async () => {
  h = await nightlyHarness();
});
afterAll(async () => {
  await removeQueue(redis, prefix, "goal-evaluation");
  redis.disconnect();
  await h.close();
});

async function goalSet(users: TestUser[]): Promise<string[]> {
  const ids: string[] = [];
  for (const user of users) {
    for (let copy = 0; copy < COPIES; copy++) {
      for (const terms of KINDS) {
        ids.push(
          await h.goal(user, {
            ...terms,
            startsOn: "2031-10-30",
            nextDueAt: periodEndsAt("2031-10-30", user.timezone),
          }),
        );
      }
    }
    ids.push(
      await h.goal(user, {
        kind: "streak",
        target: 2,
        windowDays: 7,
        startsOn: "2031-10-30",
        nextDueAt: periodEndsAt("2031-10-30", user.timezone),
        // `$project` without `day`: the run breaks the recipe contract, the goal's own failure.
        recipe: { pipeline: [{ $project: { value: "$avg_systolic" } }] },
      }),
    );
  }
  return ids;
}

/** Everything the evaluation decides about a goal, without its id and timestamps. */
async function outcome(goalId: string) {
  const row = await h.row(goalId);
  return {
    status: row.status,
    startsOn: row.startsOn,
    lastEvaluatedDay: row.lastEvaluatedDay,
    nextDueAt: row.nextDueAt,
    evaluationErrors: row.evaluationErrors,
    errorMessage: row.errorMessage,
    decided: row.decidedAt !== null,
    days: await h.evaluations(goalId),
  };
}

test("a chunk whose worker is SIGKILLed mid-chunk ends exactly as an uninterrupted chunk", async () => {
  const users = [await h.user("Australia/Sydney"), await h.user("America/Los_Angeles")];
  for (const user of users) await h.days(user, DAYS);
  const killed = await goalSet(users);
  const uninterrupted = await goalSet(users);

  const victim = spawnHilo(["--prefix", prefix], stackEnv({ MONGO_URL: h.mongoUrl }), FIXTURE);
  await victim.waitFor("consuming");
  const producer = createJobProducer(redis, prefix);
  const declaration = crashableChunkQueue();
  const queue = producer.queue(declaration);
  const killedJob = chunkJobId(NIGHT, killed);
  await producer.enqueue(declaration, { at: NIGHT.toISOString(), goalIds: killed }, killedJob);
  await victim.waitFor("rows written", 30_000);
  victim.proc.kill("SIGKILL");
  await victim.exited;

  // Killed mid-chunk: some goals done, some with their rows but not moved on, some untouched.
  const done = await h.deps.appDb.db
    .select({ n: count() })
    .from(goals)
    .where(and(inArray(goals.id, killed), isNotNull(goals.lastEvaluatedDay)));
  const withRows = await h.deps.appDb.db
    .selectDistinct({ id: goalEvaluations.goalId })
    .from(goalEvaluations)
    .innerJoin(goals, eq(goals.id, goalEvaluations.goalId))
    .where(and(inArray(goalEvaluations.goalId, killed), isNull(goals.lastEvaluatedDay)));
  expect(done[0]?.n ?? 0).toBeGreaterThan(0);
  expect(done[0]?.n ?? 0).toBeLessThan(killed.length);
  expect(withRows.length).toBeGreaterThan(0);

  const rescuer = stallingWorker(declaration, h.deps, prefix);
  try {
    const uninterruptedJob = chunkJobId(NIGHT, uninterrupted);
    await producer.enqueue(
      declaration,
      { at: NIGHT.toISOString(), goalIds: uninterrupted },
      uninterruptedJob,
    );
    const deadline = Date.now() + 30_000;
    for (const jobId of [killedJob, uninterruptedJob]) {
      while ((await queue.getJobState(jobId)) !== "completed") {
        if (Date.now() > deadline) {
          const job = await queue.getJob(jobId);
          throw new Error(
            `${jobId} did not complete: ${await queue.getJobState(jobId)} ${job?.failedReason ?? ""}`,
          );
        }
        await Bun.sleep(50);
      }
    }
  } finally {
    await rescuer.close();
    await producer.close();
  }

  // Exactly one row per goal per period: 5 for Sydney's count goals (through Nov 3), 4 for LA's ...
  const duplicates = await h.deps.appDb.db
    .select({ goalId: goalEvaluations.goalId, period: goalEvaluations.period, n: count() })
    .from(goalEvaluations)
    .where(inArray(goalEvaluations.goalId, [...killed, ...uninterrupted]))
    .groupBy(goalEvaluations.goalId, goalEvaluations.period)
    .having(sql`count(*) > 1`);
  expect(duplicates).toEqual([]);

  // ... and the same outcome, goal by goal, as the uninterrupted copy.
  for (const [index, goalId] of killed.entries()) {
    const twin = uninterrupted[index] ?? "";
    expect(await outcome(goalId)).toEqual(await outcome(twin));
  }
  const statuses = await Promise.all(killed.map(async (id) => (await h.row(id)).status));
  expect(new Set(statuses)).toEqual(new Set(["achieved", "active", "missed"]));
  // The broken recipes failed once each, not once per run of the chunk.
  const broken = [killed[KINDS.length * COPIES] ?? "", killed.at(-1) ?? ""];
  for (const id of broken) expect(await h.row(id)).toMatchObject({ status: "active", evaluationErrors: 1 });
}, 90_000);
