/**
 * One night's goal sweep on the local stack: 10,000 active goals over 2,000 users (eight time zones)
 * with 90 days of watch data each, swept by 1 and then 2 worker processes running the real queues
 * (src/jobs/queues.ts: goal-sweep dispatcher, goal-evaluation chunks) and the real evaluation code.
 * Each goal has 19 evaluated days stored already and one new day due, as on any night. Prints goals/s
 * (from the sweep's enqueue until the last chunk is done), p50/p95 per goal (inside the chunk job,
 * from the start of its profile read and recipe run to its goal update, so the wait for the chunk's
 * one row INSERT and one history SELECT is included), p50/p95 per chunk job, and MongoDB commands per
 * goal, counted by the driver's command monitoring in each worker.
 *
 * The bench sweeps a night in 2031 so that only its own goals are due; its users, goals, Mongo
 * database, queues (prefix bench:goals) and run records are removed at the end.
 *
 *   set -a; source .local/stack.env; set +a; bun run bench:goals [--users 2000] [--goals-per-user 5]
 */
import { parseArgs } from "node:util";
import { and, eq, inArray, like, sql } from "drizzle-orm";
import { Redis } from "ioredis";
import mysql from "mysql2/promise";
import { loadConfig } from "../../src/config/index";
import { backgroundTasks, goalEvaluations, goals } from "../../src/db/schema";
import { compileComparison } from "../../src/goals/comparison";
import { lastFinishedDay, periodEndsAt } from "../../src/goals/periods";
import type { GoalKind, Recipe } from "../../src/goals/recipe";
import { evaluateGoalChunk } from "../../src/goals/sweep";
import { closeDeps, createDeps } from "../../src/infra/deps";
import { createJobProducer } from "../../src/jobs/producer";
import { defineQueue, goalChunkQueue, goalSweepQueue } from "../../src/jobs/queues";
import { goalSweepSchedule } from "../../src/jobs/schedules";
import { startJobWorkers } from "../../src/jobs/worker";
import { createLogger } from "../../src/observability/logger";
import { ensureReadingsIndexes, WATCH_DAILY_COLLECTION } from "../../src/readings/documents";
import { addDays } from "../../src/readings/local-day";
import { mulberry32 } from "../seed/watch-data";

const BENCH_PREFIX = "bench:goals";
/**
 * A night in the future: a real sweep on the same stack (a dev scheduler, a test's worker) sweeps at
 * today's 02:00 and never finds the bench's goals due, nor the bench another's.
 */
const AT = new Date("2031-06-02T02:00:00Z");
const USER_PREFIX = "bench-goals-";
const DATA_DAYS = 90;
/** Days already evaluated before the bench night: the roll-up reads a realistic history. */
const HISTORY_DAYS = 19;
const ZONES = [
  "Australia/Sydney",
  "America/Los_Angeles",
  "Europe/London",
  "America/New_York",
  "Asia/Tokyo",
  "Asia/Kolkata",
  "Europe/Berlin",
  "America/Sao_Paulo",
];
const RUN_TIMEOUT_MS = 600_000;

interface GoalTemplate {
  metric: Recipe["metric"];
  field: string;
  comparison: string;
  kind: GoalKind;
  target: number;
  windowDays: number;
}

// Count and streak targets above HISTORY_DAYS: every goal is still active when the night starts. The
// sleep pattern's 20-day window ends on the bench night, so a fifth of the goals are decided by it.
const TEMPLATES: GoalTemplate[] = [
  {
    metric: "avg_systolic",
    field: "avg_systolic",
    comparison: "value < 130",
    kind: "count_hits_in_window",
    target: 20,
    windowDays: 30,
  },
  {
    metric: "steps",
    field: "steps",
    comparison: "value >= 7000",
    kind: "streak",
    target: 40,
    windowDays: 60,
  },
  {
    metric: "sleep_hours",
    field: "sleep_hours",
    comparison: "value >= 7",
    kind: "sustained_pattern",
    target: 8,
    windowDays: HISTORY_DAYS + 1,
  },
  {
    metric: "heart_rate",
    field: "heart_rate",
    comparison: "value < 75",
    kind: "count_hits_in_window",
    target: 25,
    windowDays: 30,
  },
  {
    metric: "in_target_pct",
    field: "in_target_pct",
    comparison: "value >= 80",
    kind: "count_hits_in_window",
    target: 22,
    windowDays: 30,
  },
];

function benchMongoUrl(base: string, monitor: boolean): string {
  const url = new URL(base);
  url.pathname = "/bench_goals";
  if (monitor) url.searchParams.set("monitorCommands", "true");
  return url.toString();
}

// ---- child: one worker process --------------------------------------------------------------

async function runChild(): Promise<void> {
  const base = loadConfig();
  const config = loadConfig({ ...process.env, MONGO_URL: benchMongoUrl(base.MONGO_URL, true) });
  const deps = createDeps(config);
  const commands: Record<string, number> = {};
  deps.mongo.client.on("commandStarted", (event) => {
    commands[event.commandName] = (commands[event.commandName] ?? 0) + 1;
  });
  const latencies: number[] = [];
  // The real chunk queue and handler; only the per-goal timing is collected on the side.
  const timedChunks = defineQueue({
    ...goalChunkQueue,
    handle: async (payload, ctx) => ({
      ...(await evaluateGoalChunk(ctx.deps, ctx.log, payload, {
        onResult: (_result, ms) => latencies.push(ms),
      })),
    }),
  });
  const workers = startJobWorkers({
    deps,
    log: createLogger("warn"),
    queues: [goalSweepQueue, timedChunks],
    prefix: BENCH_PREFIX,
  });
  process.on("SIGTERM", async () => {
    await workers.stop();
    process.stdout.write(`${JSON.stringify({ commands, latencies })}\n`);
    await closeDeps(deps);
    process.exit(0);
  });
  process.stdout.write("ready\n");
}

// ---- parent ---------------------------------------------------------------------------------

interface BenchUser {
  userId: string;
  watchId: string;
  zone: string;
  yesterday: string;
}

async function setUp(
  users: number,
  goalsPerUser: number,
): Promise<{ benchUsers: BenchUser[]; setUpAt: Date }> {
  const base = loadConfig();
  const deps = createDeps(loadConfig({ ...process.env, MONGO_URL: benchMongoUrl(base.MONGO_URL, false) }));
  const admin = await mysql.createConnection({ uri: requireAdminUrl() });
  try {
    await tearDownRows(deps, admin);
    const benchUsers: BenchUser[] = Array.from({ length: users }, (_, i) => {
      const zone = ZONES[i % ZONES.length] ?? "UTC";
      return {
        userId: `${USER_PREFIX}${i}`,
        watchId: `bench-watch-${i}`,
        zone,
        yesterday: lastFinishedDay(AT, zone),
      };
    });
    for (let from = 0; from < benchUsers.length; from += 500) {
      const rows = benchUsers
        .slice(from, from + 500)
        .map((u) => [u.userId, u.watchId, "Bench", u.zone, 90, 130, 60, 85]);
      await admin.query(
        `INSERT INTO hilo_users.users (user_id, watch_id, first_name, timezone,
           target_systolic_min, target_systolic_max, target_diastolic_min, target_diastolic_max) VALUES ?`,
        [rows],
      );
    }

    // 90 local days per watch, about 4 % of them missing (no document: `no_data`).
    const db = deps.mongo.db;
    await db.dropDatabase();
    await ensureReadingsIndexes(db);
    const values = new Map<string, Record<string, number>>();
    let docs: Record<string, unknown>[] = [];
    for (const [n, user] of benchUsers.entries()) {
      // Seeded per user, so every run of the bench sweeps the same data.
      const random = mulberry32(n + 1);
      for (let offset = DATA_DAYS - 1; offset >= 0; offset--) {
        const day = addDays(user.yesterday, -offset);
        if (random() < 0.04) continue;
        const fields = {
          avg_systolic: Math.round(112 + random() * 30),
          avg_diastolic: Math.round(70 + random() * 20),
          heart_rate: Math.round(60 + random() * 25),
          sleep_hours: Math.round((5.5 + random() * 3) * 10) / 10,
          steps: Math.round(3_000 + random() * 9_000),
          in_target_pct: Math.round(random() * 1_000) / 10,
        };
        values.set(`${user.watchId}|${day}`, fields);
        docs.push({ watch_id: user.watchId, day, timezone: user.zone, ...fields, reading_count: 6 });
        if (docs.length >= 5_000) {
          await db.collection(WATCH_DAILY_COLLECTION).insertMany(docs);
          docs = [];
        }
      }
    }
    if (docs.length > 0) await db.collection(WATCH_DAILY_COLLECTION).insertMany(docs);

    // The goals, and the days they have already been judged on (decided by the same comparison).
    let goalRows: (typeof goals.$inferInsert)[] = [];
    let historyRows: (typeof goalEvaluations.$inferInsert)[] = [];
    // Goals before their rows (the foreign key), in multi-row INSERTs.
    const flush = async (force: boolean) => {
      const historyDue = historyRows.length >= 5_000 || (force && historyRows.length > 0);
      if (goalRows.length > 0 && (historyDue || force || goalRows.length >= 500)) {
        await deps.appDb.db.insert(goals).values(goalRows);
        goalRows = [];
      }
      if (historyDue) {
        await deps.appDb.db.insert(goalEvaluations).values(historyRows);
        historyRows = [];
      }
    };
    for (const user of benchUsers) {
      for (let g = 0; g < goalsPerUser; g++) {
        const template = TEMPLATES[g % TEMPLATES.length] ?? TEMPLATES[0];
        if (!template) throw new Error("no goal template");
        const id = Bun.randomUUIDv7();
        const startsOn = addDays(user.yesterday, -HISTORY_DAYS);
        const predicate = compileComparison(template.comparison);
        goalRows.push({
          id,
          userId: user.userId,
          watchId: user.watchId,
          description: `bench: ${template.metric} ${template.comparison}`,
          status: "active",
          kind: template.kind,
          recipe: {
            title: `bench ${template.metric}`,
            metric: template.metric,
            pipeline: [{ $set: { value: `$${template.field}` } }],
            comparison: template.comparison,
            kind: template.kind,
            target: template.target,
            window_days: template.windowDays,
          } satisfies Recipe,
          target: template.target,
          windowDays: template.windowDays,
          timezone: user.zone,
          startsOn,
          lastEvaluatedDay: addDays(user.yesterday, -1),
          nextDueAt: periodEndsAt(user.yesterday, user.zone),
          confirmedAt: new Date(`${startsOn}T00:00:00Z`),
        });
        for (let offset = 0; offset < HISTORY_DAYS; offset++) {
          const period = addDays(startsOn, offset);
          const value = values.get(`${user.watchId}|${period}`)?.[template.field] ?? null;
          historyRows.push({
            goalId: id,
            period,
            value,
            hit: value !== null && predicate(value),
            noData: value === null,
          });
        }
        await flush(false);
      }
    }
    await flush(true);
    return { benchUsers, setUpAt: new Date() };
  } finally {
    await admin.end();
    await closeDeps(deps);
  }
}

function requireAdminUrl(): string {
  const url = process.env.HILO_ADMIN_DB_URL;
  if (!url) throw new Error("HILO_ADMIN_DB_URL is not set: source .local/stack.env first");
  return url;
}

/** Puts every bench goal back to the start of the night: nothing of the bench night stored. */
async function resetNight(benchUsers: readonly BenchUser[], setUpAt: Date): Promise<void> {
  const deps = createDeps(loadConfig());
  try {
    const db = deps.appDb.db;
    await db.execute(sql`DELETE ge FROM goal_evaluations ge JOIN goals g ON g.id = ge.goal_id
      WHERE g.user_id LIKE ${`${USER_PREFIX}%`} AND ge.evaluated_at > ${setUpAt}`);
    for (const zone of ZONES) {
      const yesterday = benchUsers.find((user) => user.zone === zone)?.yesterday;
      if (!yesterday) continue;
      await db
        .update(goals)
        .set({
          status: "active",
          lastEvaluatedDay: addDays(yesterday, -1),
          nextDueAt: periodEndsAt(yesterday, zone),
          decidedAt: null,
          evaluationErrors: 0,
          errorMessage: null,
        })
        .where(and(like(goals.userId, `${USER_PREFIX}%`), eq(goals.timezone, zone)));
    }
  } finally {
    await closeDeps(deps);
  }
}

async function tearDownRows(deps: ReturnType<typeof createDeps>, admin: mysql.Connection): Promise<void> {
  await deps.appDb.db.delete(goals).where(like(goals.userId, `${USER_PREFIX}%`));
  await admin.query("DELETE FROM hilo_users.users WHERE user_id LIKE ?", [`${USER_PREFIX}%`]);
  // Only this bench's run records: a real sweep's must stay for `hilo jobs status`.
  await deps.appDb.db
    .delete(backgroundTasks)
    .where(
      and(
        inArray(backgroundTasks.kind, [goalSweepQueue.name, goalChunkQueue.name]),
        sql`JSON_UNQUOTE(JSON_EXTRACT(${backgroundTasks.params}, '$.job_id')) LIKE ${`%${sweepKeyOf(AT)}%`}`,
      ),
    );
}

function sweepKeyOf(at: Date): string {
  return goalSweepSchedule.jobId(at).split("@")[1] ?? "";
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

interface NightFigures {
  workers: number;
  goals: number;
  seconds: number;
  goalsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  chunkP50Ms: number;
  chunkP95Ms: number;
  aggregatesPerGoal: number;
  mongoCommandsPerGoal: number;
  commands: Record<string, number>;
  chunks: number;
}

async function sweepNight(workerCount: number, run: number): Promise<NightFigures> {
  const config = loadConfig();
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
  const producer = createJobProducer(redis, BENCH_PREFIX);
  const children: Bun.Subprocess<"ignore", "pipe", "inherit">[] = [];
  const outputs: Promise<string>[] = [];
  try {
    for (const queue of [goalSweepQueue, goalChunkQueue])
      await producer.queue(queue).obliterate({ force: true });
    for (let i = 0; i < workerCount; i++) {
      const child = Bun.spawn(["bun", import.meta.path, "--child"], { stdout: "pipe", stderr: "inherit" });
      children.push(child);
      let ready: () => void = () => {};
      const started = new Promise<void>((resolve) => {
        ready = resolve;
      });
      // One reader for the child's whole output: "ready" first, its figures on SIGTERM.
      outputs.push(
        (async () => {
          const decoder = new TextDecoder();
          let text = "";
          for await (const chunk of child.stdout) {
            text += decoder.decode(chunk, { stream: true });
            if (text.includes("ready")) ready();
          }
          return text;
        })(),
      );
      await Promise.race([
        started,
        child.exited.then(() => Promise.reject(new Error("a worker process did not start"))),
      ]);
    }
    await Bun.sleep(500);

    const jobId = `goal-sweep@bench-${sweepKeyOf(AT)}-${run}`;
    const started = performance.now();
    await producer.enqueue(goalSweepQueue, goalSweepSchedule.payload(AT), jobId);
    const sweeps = producer.queue(goalSweepQueue);
    const chunks = producer.queue(goalChunkQueue);
    const deadline = Date.now() + RUN_TIMEOUT_MS;
    for (;;) {
      const state = await sweeps.getJobState(jobId);
      const pending = await chunks.getJobCounts("waiting", "active", "delayed", "prioritized");
      if (state === "completed" && Object.values(pending).every((n) => n === 0)) break;
      if (state === "failed")
        throw new Error(`the sweep failed: ${(await sweeps.getJob(jobId))?.failedReason}`);
      if (Date.now() > deadline) throw new Error(`the sweep did not finish in ${RUN_TIMEOUT_MS} ms`);
      await Bun.sleep(20);
    }
    const seconds = (performance.now() - started) / 1_000;
    const dispatched = (await sweeps.getJob(jobId))?.returnvalue as { dueGoals: number; chunks: number };
    const failedChunks = await chunks.getJobCountByTypes("failed");
    if (failedChunks > 0) throw new Error(`${failedChunks} chunk jobs failed`);
    const chunkMs = (await chunks.getJobs(["completed"]))
      .map((job) => (job.finishedOn ?? 0) - (job.processedOn ?? 0))
      .sort((a, b) => a - b);

    for (const child of children) child.kill("SIGTERM");
    const reports = await Promise.all(
      outputs.map(async (output) => {
        const text = await output;
        return JSON.parse(text.trim().split("\n").at(-1) ?? "{}") as {
          commands: Record<string, number>;
          latencies: number[];
        };
      }),
    );
    children.length = 0;
    const latencies = reports.flatMap((report) => report.latencies).sort((a, b) => a - b);
    const commands: Record<string, number> = {};
    for (const report of reports) {
      for (const [name, n] of Object.entries(report.commands)) commands[name] = (commands[name] ?? 0) + n;
    }
    const evaluated = latencies.length;
    const total = Object.values(commands).reduce((a, b) => a + b, 0);
    return {
      workers: workerCount,
      goals: evaluated,
      seconds,
      goalsPerSecond: evaluated / seconds,
      p50Ms: percentile(latencies, 50),
      p95Ms: percentile(latencies, 95),
      chunkP50Ms: percentile(chunkMs, 50),
      chunkP95Ms: percentile(chunkMs, 95),
      aggregatesPerGoal: (commands.aggregate ?? 0) / evaluated,
      mongoCommandsPerGoal: total / evaluated,
      commands,
      chunks: dispatched.chunks,
    };
  } finally {
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(children.map((child) => child.exited));
    for (const queue of [goalSweepQueue, goalChunkQueue])
      await producer.queue(queue).obliterate({ force: true });
    await producer.close();
    redis.disconnect();
  }
}

async function verify(
  expectedRows: number,
  setUpAt: Date,
): Promise<{ rows: number; statuses: Record<string, number> }> {
  const deps = createDeps(loadConfig());
  try {
    const [rows] = (await deps.appDb.db.execute(sql`SELECT COUNT(*) AS n FROM goal_evaluations ge
      JOIN goals g ON g.id = ge.goal_id WHERE g.user_id LIKE ${`${USER_PREFIX}%`} AND ge.evaluated_at > ${setUpAt}`)) as unknown as [
      { n: number | string }[],
    ];
    const byStatus = await deps.appDb.db
      .select({ status: goals.status, n: sql<number>`COUNT(*)` })
      .from(goals)
      .where(like(goals.userId, `${USER_PREFIX}%`))
      .groupBy(goals.status);
    const n = Number(rows[0]?.n ?? 0);
    if (n !== expectedRows) {
      const [spread] =
        (await deps.appDb.db.execute(sql`SELECT ge.period, COUNT(*) AS n, MIN(ge.evaluated_at) AS first_at
        FROM goal_evaluations ge JOIN goals g ON g.id = ge.goal_id
        WHERE g.user_id LIKE ${`${USER_PREFIX}%`} AND ge.evaluated_at > ${setUpAt}
        GROUP BY ge.period ORDER BY ge.period`)) as unknown as [unknown[]];
      throw new Error(
        `expected ${expectedRows} new rows (one per goal), found ${n} (set up at ${setUpAt.toISOString()}): ${JSON.stringify(spread)}`,
      );
    }
    return { rows: n, statuses: Object.fromEntries(byStatus.map((row) => [row.status, Number(row.n)])) };
  } finally {
    await closeDeps(deps);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { users: { type: "string" }, "goals-per-user": { type: "string" }, child: { type: "boolean" } },
    strict: true,
  });
  if (values.child) return runChild();
  const users = Number(values.users ?? 2_000);
  const goalsPerUser = Number(values["goals-per-user"] ?? 5);
  const goalCount = users * goalsPerUser;
  console.log(
    `bench:goals: ${goalCount} active goals over ${users} users in ${ZONES.length} zones, ${DATA_DAYS} days of data each; one night (${AT.toISOString()})`,
  );
  const setUpStarted = performance.now();
  const { benchUsers, setUpAt } = await setUp(users, goalsPerUser);
  console.log(`set up in ${((performance.now() - setUpStarted) / 1_000).toFixed(1)} s`);
  console.log(
    "workers  goals   chunks  seconds  goals/s  p50/goal  p95/goal  chunk p50 / p95    aggregate/goal  mongo cmds/goal  new rows  statuses after",
  );
  try {
    for (const [run, workerCount] of [1, 2].entries()) {
      await resetNight(benchUsers, setUpAt);
      const f = await sweepNight(workerCount, run);
      const check = await verify(goalCount, setUpAt);
      console.log(
        `${String(f.workers).padEnd(8)} ${String(f.goals).padEnd(7)} ${String(f.chunks).padEnd(7)} ${f.seconds.toFixed(2).padEnd(8)} ${f.goalsPerSecond.toFixed(0).padEnd(8)} ${`${f.p50Ms.toFixed(0)} ms`.padEnd(9)} ${`${f.p95Ms.toFixed(0)} ms`.padEnd(9)} ${`${f.chunkP50Ms} / ${f.chunkP95Ms} ms`.padEnd(18)} ${f.aggregatesPerGoal.toFixed(3).padEnd(15)} ${f.mongoCommandsPerGoal.toFixed(3).padEnd(16)} ${String(check.rows).padEnd(9)} ${JSON.stringify(check.statuses)}`,
      );
      console.log(`         mongo commands: ${JSON.stringify(f.commands)}`);
    }
  } finally {
    const base = loadConfig();
    const deps = createDeps(loadConfig({ ...process.env, MONGO_URL: benchMongoUrl(base.MONGO_URL, false) }));
    const admin = await mysql.createConnection({ uri: requireAdminUrl() });
    try {
      await tearDownRows(deps, admin);
      await deps.mongo.db.dropDatabase();
    } finally {
      await admin.end();
      await closeDeps(deps);
    }
  }
}

await main().catch((error: unknown) => {
  // The driver's errors carry the whole statement; the message is what a reader needs.
  console.error(
    `bench:goals failed: ${error instanceof Error ? error.message.slice(0, 2_000) : String(error)}`,
  );
  process.exit(1);
});
