// The daily report: counts a fixed past UTC day (2001-03-04, where only this file's rows live) from
// the tables, exactly at the day's edges; the 07:00 schedule names the previous day; a worker stores
// the report once per day however often it is enqueued, and re-running it stores the same counts;
// `hilo report` prints the stored report and refuses a date that is not a day.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq, gte, inArray, lt, sql } from "drizzle-orm";
import {
  backgroundTasks,
  dailyStats,
  goalEvaluations,
  goals,
  intercomHandovers,
  memories,
  safetyAudit,
  turnClaims,
} from "../../src/db/schema";
import { closeDeps, createDeps } from "../../src/infra/deps";
import {
  computeDailyReport,
  DAILY_REPORT_KIND,
  type DailyReport,
  findStoredDailyReport,
  formatDailyReport,
  previousUtcDay,
} from "../../src/jobs/daily-report";
import { createJobProducer } from "../../src/jobs/producer";
import { dailyReportQueue } from "../../src/jobs/queues";
import { dailyReportSchedule } from "../../src/jobs/schedules";
import { startJobWorkers } from "../../src/jobs/worker";
import { createDailyStats } from "../../src/observability/daily-stats";
import { createLogger } from "../../src/observability/logger";
import { testConfig } from "../support/stack";
import { removeQueue, testRedis, uniquePrefix } from "./support";

const DAY = "2001-03-04";
const DAY_START = new Date(`${DAY}T00:00:00.000Z`);
const NEXT_DAY_START = new Date("2001-03-05T00:00:00.000Z");
const LAST_MS = new Date("2001-03-04T23:59:59.999Z");
const NOON = new Date(`${DAY}T12:00:00.000Z`);
const WINDOW = [new Date("2001-03-03T00:00:00.000Z"), new Date("2001-03-06T00:00:00.000Z")] as const;

const deps = createDeps(testConfig());
const db = deps.appDb.db;
const redis = testRedis();
const log = createLogger("error");
const user = `report-${Bun.randomUUIDv7().slice(-12)}`;

/** Only this file writes rows in early March 2001; a crashed earlier run's rows go first. */
async function removeSeed(): Promise<void> {
  await db
    .delete(turnClaims)
    .where(and(gte(turnClaims.createdAt, WINDOW[0]), lt(turnClaims.createdAt, WINDOW[1])));
  await db
    .delete(safetyAudit)
    .where(and(gte(safetyAudit.createdAt, WINDOW[0]), lt(safetyAudit.createdAt, WINDOW[1])));
  await db.delete(memories).where(and(gte(memories.createdAt, WINDOW[0]), lt(memories.createdAt, WINDOW[1])));
  // Cascades to the goals' evaluations.
  await db
    .delete(goals)
    .where(sql`${goals.userId} LIKE 'report-%' AND ${goals.description} = 'report fixture'`);
  await db.delete(dailyStats).where(inArray(dailyStats.day, ["2001-03-03", DAY, "2001-03-05"]));
  await db
    .delete(intercomHandovers)
    .where(and(gte(intercomHandovers.createdAt, WINDOW[0]), lt(intercomHandovers.createdAt, WINDOW[1])));
  await db
    .delete(backgroundTasks)
    .where(
      and(
        eq(backgroundTasks.kind, DAILY_REPORT_KIND),
        sql`JSON_UNQUOTE(JSON_EXTRACT(${backgroundTasks.params}, '$.payload.day')) = ${DAY}`,
      ),
    );
}

let claimNo = 0;
function claim(status: "running" | "done" | "failed", createdAt: Date, failureReason: string | null = null) {
  claimNo++;
  return {
    id: Bun.randomUUIDv7(),
    userId: user,
    sessionId: Bun.randomUUIDv7(),
    idempotencyKey: `report-key-${claimNo}`,
    requestHash: "0".repeat(64),
    status,
    failureReason,
    createdAt,
    finishedAt: status === "running" ? null : createdAt,
  };
}

function audit(
  layer: number,
  category: string,
  action: string,
  createdAt = NOON,
  turnId = Bun.randomUUIDv7(),
) {
  return { userId: user, turnId, layer, category, action, createdAt };
}

function memory(createdAt: Date) {
  return {
    id: Bun.randomUUIDv7(),
    userId: user,
    content: "likes tea",
    embedding: [],
    embeddingModel: "test",
    createdAt,
  };
}

function handover(status: "pending" | "accepted" | "failed", createdAt = NOON) {
  return {
    id: Bun.randomUUIDv7(),
    userId: user,
    sessionId: Bun.randomUUIDv7(),
    status,
    summary: "s",
    createdAt,
  };
}

function goal(status: "active" | "achieved" | "missed", decidedAt: Date | null = NOON) {
  return {
    id: Bun.randomUUIDv7(),
    userId: user,
    watchId: `watch-${user}`,
    description: "report fixture",
    status,
    kind: "count_hits_in_window" as const,
    recipe: { pipeline: [{ $project: { value: "$avg_systolic" } }], comparison: "value < 130" },
    target: 5,
    windowDays: 7,
    timezone: "Europe/London",
    createdAt: WINDOW[0],
    decidedAt: status === "active" ? null : decidedAt,
  };
}

function evaluation(goalId: string, hit: boolean, noData = false) {
  return { goalId, period: DAY, value: noData ? null : 120, hit, noData };
}

const revisedTurn = Bun.randomUUIDv7();

const EXPECTED: DailyReport = {
  day: DAY,
  turns: {
    started: 9,
    done: 3,
    failed: 3,
    timeout: 2,
    running: 1,
    failed_by_reason: { error: 2, producer_lost: 1, timeout: 2 },
  },
  layer1_by_category: { pii_email: 2, emergency: 1 },
  model_guard_failed_open: 1,
  layer3_flags_by_category: { unsupported_claim: 2 },
  judge: { approved: 3, revise: 2, rewrite_failed: 1, degraded: 1 },
  // Buckets are 10 % wide, bucket b ending at 1.1^b ms: 100 ms falls in b49 (≤ 107 ms), 300 ms in b60
  // (≤ 304 ms), 5 s in b90. All 21 calls: the 20th is the 300 ms guard call; chat's 19th of 20 is 100 ms.
  model_calls: {
    calls: 21,
    p95_ms: 304,
    by_purpose: { chat: { calls: 20, p95_ms: 107 }, guard: { calls: 1, p95_ms: 304 } },
  },
  memory_saves: 2,
  faq: { searches: 4, no_match: 1, no_match_rate: 0.25 },
  handovers_by_status: { accepted: 1, failed: 1 },
  goals: { achieved: 1, missed: 1, evaluations: { hit: 2, miss: 1, no_data: 1 } },
};

beforeAll(async () => {
  await removeSeed();
  await db.insert(turnClaims).values([
    claim("done", DAY_START),
    claim("done", NOON),
    claim("done", LAST_MS),
    claim("failed", NOON, "error"),
    claim("failed", NOON, "error"),
    claim("failed", NOON, "producer_lost"),
    claim("failed", NOON, "timeout"),
    claim("failed", NOON, "timeout"),
    claim("running", NOON),
    // Outside the day by a millisecond either side.
    claim("done", NEXT_DAY_START),
    claim("failed", new Date(DAY_START.getTime() - 1), "timeout"),
  ]);
  await db.insert(safetyAudit).values([
    audit(1, "pii_email", "redacted"),
    audit(1, "pii_email", "redacted"),
    audit(1, "emergency", "crisis_reply"),
    audit(1, "model_guard", "guard_failed_open"),
    audit(3, "unsupported_claim", "correction_appended"),
    audit(3, "unsupported_claim", "correction_appended"),
    audit(4, "approved", "approved"),
    audit(4, "approved", "approved"),
    audit(4, "approved", "approved"),
    audit(4, "approved", "judge_failed_open"),
    // One revised turn writes a row per violated rule and counts once.
    audit(4, "no_diagnosis", "rewritten", NOON, revisedTurn),
    audit(4, "no_dosage", "rewritten", NOON, revisedTurn),
    audit(4, "no_diagnosis", "rewrite_failed"),
    audit(2, "ignored_layer", "whatever"),
    audit(1, "pii_email", "redacted", NEXT_DAY_START),
  ]);
  await db.insert(memories).values([memory(NOON), memory(LAST_MS), memory(NEXT_DAY_START)]);
  await db
    .insert(intercomHandovers)
    .values([handover("accepted"), handover("failed"), handover("pending", NEXT_DAY_START)]);
  const [achieved, missed, achievedNextDay, active] = [
    goal("achieved"),
    goal("missed", LAST_MS),
    goal("achieved", NEXT_DAY_START),
    goal("active"),
  ];
  await db.insert(goals).values([achieved, missed, achievedNextDay, active]);
  await db
    .insert(goalEvaluations)
    .values([
      evaluation(achieved.id, true),
      evaluation(active.id, true),
      evaluation(missed.id, false),
      evaluation(achievedNextDay.id, false, true),
    ]);
  // What the api and worker processes record as they run, on a clock set to the reported day.
  const stats = createDailyStats(db, log, () => NOON);
  for (let i = 0; i < 19; i++) stats.modelCall("chat", 0.1);
  stats.modelCall("chat", 5);
  stats.modelCall("guard", 0.3);
  for (const outcome of ["match", "match", "no_match", "match"] as const) stats.faqSearch(outcome);
  await stats.flush();
  const nextDay = createDailyStats(db, log, () => NEXT_DAY_START);
  nextDay.modelCall("chat", 0.1);
  nextDay.faqSearch("no_match");
  await nextDay.close();
});

afterAll(async () => {
  await removeSeed();
  redis.disconnect();
  await closeDeps(deps);
});

describe("daily report", () => {
  test("counts the day's turns, safety decisions, memory saves and handovers, exactly at its edges", async () => {
    expect(await computeDailyReport(deps, DAY)).toEqual(EXPECTED);
  });

  test("a day with nothing in it is all zeros, not an error", async () => {
    const report = await computeDailyReport(deps, "2001-03-01");
    expect(report.turns).toEqual({
      started: 0,
      done: 0,
      failed: 0,
      timeout: 0,
      running: 0,
      failed_by_reason: {},
    });
    expect(report.memory_saves).toBe(0);
    expect(report.judge).toEqual({ approved: 0, revise: 0, rewrite_failed: 0, degraded: 0 });
  });

  test.each([
    ["2026-12-07T07:00:00.000Z", "2026-12-06"],
    ["2027-01-01T07:00:00.000Z", "2026-12-31"],
    ["2028-03-01T07:00:00.000Z", "2028-02-29"],
  ])("the 07:00 fire of %s reports on %s", (fire, day) => {
    expect(previousUtcDay(new Date(fire))).toBe(day);
    expect(dailyReportSchedule.jobId(new Date(fire))).toBe(`daily-report@${day}`);
    expect(dailyReportSchedule.payload(new Date(fire))).toEqual({ day });
  });

  test.each([["2026-02-30"], ["2026-13-01"], ["20261206"], [""]])("'%s' is not a valid report day", (day) => {
    expect(dailyReportQueue.payload.safeParse({ day }).success).toBe(false);
  });

  test("prints every figure, model call latencies and the FAQ no-match rate included", () => {
    const text = formatDailyReport(EXPECTED);
    expect(text).toContain("turns: 9 started; done 3, failed 3, timeout 2, still running 1");
    expect(text).toContain("layer 1 hits: emergency 1, pii_email 2");
    expect(text).toContain("judge: approved 3, revise 2 (rewrite failed 1), degraded 1");
    expect(text).toContain("model calls: 21, p95 ≤ 304 ms");
    expect(text).toContain("by purpose: chat 20 (p95 ≤ 107 ms), guard 1 (p95 ≤ 304 ms)");
    expect(text).toContain("FAQ searches: 4, no match 1 (25.0 %)");
  });

  test("a worker stores the report once per day however often it is enqueued; a re-run stores the same", async () => {
    const prefix = uniquePrefix();
    const producer = createJobProducer(redis, prefix);
    const workers = startJobWorkers({
      deps,
      log,
      queues: [dailyReportQueue],
      redisUrl: testConfig().REDIS_URL,
      prefix,
    });
    try {
      await producer.enqueue(dailyReportQueue, { day: DAY }, `daily-report@${DAY}`);
      await producer.enqueue(dailyReportQueue, { day: DAY }, `daily-report@${DAY}`);
      const queue = producer.queue(dailyReportQueue);
      const deadline = Date.now() + 10_000;
      while ((await queue.getJobState(`daily-report@${DAY}`)) !== "completed") {
        if (Date.now() > deadline) throw new Error("the report job did not complete");
        await Bun.sleep(20);
      }
      const first = await findStoredDailyReport(deps, DAY);
      expect(first?.report).toEqual(EXPECTED);

      // A stalled job's re-run (simulated by a second job for the same day) stores identical counts.
      await producer.enqueue(dailyReportQueue, { day: DAY }, `daily-report@${DAY}#rerun`);
      while ((await queue.getJobState(`daily-report@${DAY}#rerun`)) !== "completed") {
        if (Date.now() > deadline) throw new Error("the re-run did not complete");
        await Bun.sleep(20);
      }
      const runs = await db
        .select({ status: backgroundTasks.status, result: backgroundTasks.result })
        .from(backgroundTasks)
        .where(
          and(
            eq(backgroundTasks.kind, DAILY_REPORT_KIND),
            inArray(sql`JSON_UNQUOTE(JSON_EXTRACT(${backgroundTasks.params}, '$.job_id'))`, [
              `daily-report@${DAY}`,
              `daily-report@${DAY}#rerun`,
            ]),
          ),
        );
      expect(runs).toHaveLength(2);
      expect(runs.map((run) => run.status)).toEqual(["done", "done"]);
      expect(runs[0]?.result).toEqual(runs[1]?.result);
    } finally {
      await workers.stop();
      await producer.close();
      await removeQueue(redis, prefix, dailyReportQueue.name);
    }
  });

  test("`hilo report --date` prints the stored report; a bad date exits 64", async () => {
    const printed = Bun.spawn(["bun", "src/main.ts", "report", "--date", DAY], {
      stdout: "pipe",
      stderr: "pipe",
    });
    const [out, code] = await Promise.all([new Response(printed.stdout).text(), printed.exited]);
    expect(code).toBe(0);
    expect(out).toContain(`Ask Hilo daily report for ${DAY} (UTC)`);
    expect(out).toContain("turns: 9 started; done 3, failed 3, timeout 2, still running 1");
    expect(out).toContain("(stored by run ");

    const json = Bun.spawn(["bun", "src/main.ts", "report", "--date", DAY, "--json"], { stdout: "pipe" });
    expect(JSON.parse(await new Response(json.stdout).text())).toEqual(EXPECTED);

    for (const argv of [["--date", "2026-02-30"], [], ["--day", DAY]]) {
      const bad = Bun.spawn(["bun", "src/main.ts", "report", ...argv], { stdout: "pipe", stderr: "pipe" });
      expect(await bad.exited).toBe(64);
    }
  }, 20_000);
});
