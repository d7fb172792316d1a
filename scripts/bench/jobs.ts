/**
 * Background job throughput on the local stack: 10,000 cheap jobs (one MySQL upsert each, into a
 * scratch table this bench creates and drops) through 1 and then 2 worker processes, each running the
 * real base processor (payload check, background_tasks row per attempt) on a bench-only queue that is
 * declared here, never in src/jobs/queues.ts. Prints jobs/s, p50/p99 from enqueue to start (the
 * processor's start time minus the enqueue time carried in the payload), and the rows written, which
 * must equal the job count with every row written once.
 *
 *   set -a; source .local/stack.env; set +a; bun run bench:jobs [--jobs 10000]
 */
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { Redis } from "ioredis";
import { z } from "zod";
import { loadConfig } from "../../src/config/index";
import { backgroundTasks } from "../../src/db/schema";
import { closeDeps, createDeps } from "../../src/infra/deps";
import { createJobProducer } from "../../src/jobs/producer";
import { defineQueue } from "../../src/jobs/queues";
import { startJobWorkers } from "../../src/jobs/worker";
import { createLogger } from "../../src/observability/logger";

const SCRATCH_TABLE = "bench_jobs";
const BENCH_PREFIX = "bench:jobs";
/** Adds in flight at once while enqueueing: enough to keep Redis busy without a 10,000-promise burst. */
const ENQUEUE_CHUNK = 200;
const RUN_TIMEOUT_MS = 300_000;

const benchQueue = defineQueue({
  name: "bench-jobs",
  // Per worker process; each job is three short statements (run row, upsert, run row update), so
  // 16 keeps the 20-connection pool busy without queueing on it.
  concurrency: 16,
  attempts: 3,
  backoff: { type: "fixed", delayMs: 100 },
  lockDurationMs: 30_000,
  payload: z.strictObject({ n: z.number().int(), enqueuedAtMs: z.number() }),
  // An upsert: a re-run bumps `runs` instead of adding a row, so the count shows double runs.
  handle: async ({ n, enqueuedAtMs }, ctx) => {
    await ctx.deps.appDb.db.execute(
      sql`INSERT INTO ${sql.raw(SCRATCH_TABLE)} (n, enqueued_at_ms, started_at_ms, runs)
          VALUES (${n}, ${enqueuedAtMs}, ${ctx.now.getTime()}, 1)
          ON DUPLICATE KEY UPDATE runs = runs + 1`,
    );
    return {};
  },
});

/** Child mode: one worker process consuming the bench queue until SIGTERM. */
async function runChild(): Promise<void> {
  const config = loadConfig();
  const deps = createDeps(config);
  const workers = startJobWorkers({
    deps,
    log: createLogger("warn"),
    queues: [benchQueue],
    prefix: BENCH_PREFIX,
  });
  process.on("SIGTERM", async () => {
    await workers.stop();
    await closeDeps(deps);
    process.exit(0);
  });
  process.stdout.write("ready\n");
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

interface RunFigures {
  mode: Mode;
  workers: number;
  jobs: number;
  seconds: number;
  jobsPerSecond: number;
  /** Time the producer took to add every job: the workers cannot outrun it. */
  enqueueSeconds: number;
  p50Ms: number;
  p99Ms: number;
  rows: number;
  rowsRunTwice: number;
}

/**
 * stream: workers idle on an empty queue while the jobs are enqueued as fast as the producer can add
 * them (enqueue→start is the wait a job sees when jobs arrive faster than workers take them).
 * backlog: every job is enqueued first, then the workers start and drain it (the consuming rate alone).
 */
type Mode = "stream" | "backlog";

async function runOnce(mode: Mode, workerCount: number, jobs: number): Promise<RunFigures> {
  const config = loadConfig();
  const deps = createDeps(config);
  const db = deps.appDb.db;
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
  const producer = createJobProducer(redis, BENCH_PREFIX);
  const queue = producer.queue(benchQueue);
  const children: Bun.Subprocess<"ignore", "pipe", "inherit">[] = [];
  try {
    await queue.obliterate({ force: true });
    await db.execute(sql.raw(`DROP TABLE IF EXISTS ${SCRATCH_TABLE}`));
    await db.execute(
      sql.raw(`CREATE TABLE ${SCRATCH_TABLE} (
        n INT PRIMARY KEY, enqueued_at_ms BIGINT NOT NULL, started_at_ms BIGINT NOT NULL, runs INT NOT NULL)`),
    );
    const spawnWorkers = async () => {
      for (let i = 0; i < workerCount; i++) {
        const child = Bun.spawn(["bun", import.meta.path, "--child"], { stdout: "pipe", stderr: "inherit" });
        children.push(child);
        const reader = child.stdout.getReader();
        const { value } = await reader.read();
        reader.releaseLock();
        if (!new TextDecoder().decode(value).includes("ready"))
          throw new Error("a worker process did not start");
      }
    };
    const enqueueAll = async () => {
      const enqueueStart = performance.now();
      for (let from = 0; from < jobs; from += ENQUEUE_CHUNK) {
        const adds: Promise<void>[] = [];
        for (let n = from; n < Math.min(jobs, from + ENQUEUE_CHUNK); n++) {
          adds.push(producer.enqueue(benchQueue, { n, enqueuedAtMs: Date.now() }, `bench@${n}`));
        }
        await Promise.all(adds);
      }
      return (performance.now() - enqueueStart) / 1_000;
    };

    let startedAt: number;
    let enqueueSeconds: number;
    if (mode === "stream") {
      await spawnWorkers();
      // Lets every worker's blocking fetch reach Redis before the first job lands.
      await Bun.sleep(500);
      startedAt = performance.now();
      enqueueSeconds = await enqueueAll();
    } else {
      // The clock starts when the first worker process is spawned, so its start-up counts against it.
      enqueueSeconds = await enqueueAll();
      startedAt = performance.now();
      await spawnWorkers();
    }
    const deadline = Date.now() + RUN_TIMEOUT_MS;
    for (;;) {
      const counts = await queue.getJobCounts("completed", "failed");
      if ((counts.completed ?? 0) + (counts.failed ?? 0) >= jobs) break;
      if (Date.now() > deadline)
        throw new Error(`jobs not done in ${RUN_TIMEOUT_MS} ms: ${JSON.stringify(counts)}`);
      await Bun.sleep(25);
    }
    const wallSeconds = (performance.now() - startedAt) / 1_000;

    const [rows] = (await db.execute(
      sql.raw(`SELECT started_at_ms - enqueued_at_ms AS wait_ms, started_at_ms, runs FROM ${SCRATCH_TABLE}`),
    )) as unknown as [{ wait_ms: number | string; started_at_ms: number | string; runs: number }[]];
    const waits = rows.map((row) => Number(row.wait_ms)).sort((a, b) => a - b);
    const starts = rows.map((row) => Number(row.started_at_ms)).sort((a, b) => a - b);
    // A backlog's rate is taken from the first job's start to the last's, so the worker processes'
    // start-up (spawned one after another) does not count against it.
    const seconds =
      mode === "stream" ? wallSeconds : ((starts.at(-1) ?? 0) - (starts[0] ?? 0)) / 1_000 || wallSeconds;
    return {
      mode,
      workers: workerCount,
      jobs,
      seconds,
      jobsPerSecond: jobs / seconds,
      enqueueSeconds,
      p50Ms: percentile(waits, 50),
      p99Ms: percentile(waits, 99),
      rows: rows.length,
      rowsRunTwice: rows.filter((row) => row.runs > 1).length,
    };
  } finally {
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(children.map((child) => child.exited));
    await queue.obliterate({ force: true });
    await db.execute(sql.raw(`DROP TABLE IF EXISTS ${SCRATCH_TABLE}`));
    // The processor's run rows of this bench only (the queue name is its kind).
    await db.delete(backgroundTasks).where(sql`${backgroundTasks.kind} = ${benchQueue.name}`);
    await producer.close();
    redis.disconnect();
    await closeDeps(deps);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { jobs: { type: "string" }, child: { type: "boolean" } },
    strict: true,
  });
  if (values.child) return runChild();
  const jobs = Number(values.jobs ?? 10_000);
  console.log(`bench:jobs: ${jobs} jobs (one MySQL upsert each) through the real processor`);
  console.log(
    "mode     workers  seconds  jobs/s  enqueued in  enqueue→start p50  p99        rows written  run twice",
  );
  let ok = true;
  for (const [mode, workerCount] of [
    ["stream", 1],
    ["stream", 2],
    ["backlog", 1],
    ["backlog", 2],
  ] as const) {
    const f = await runOnce(mode, workerCount, jobs);
    ok &&= f.rows === jobs && f.rowsRunTwice === 0;
    console.log(
      `${f.mode.padEnd(8)} ${String(f.workers).padEnd(8)} ${f.seconds.toFixed(2).padEnd(8)} ${f.jobsPerSecond.toFixed(0).padEnd(7)} ${`${f.enqueueSeconds.toFixed(2)} s`.padEnd(12)} ${`${f.p50Ms} ms`.padEnd(18)} ${`${f.p99Ms} ms`.padEnd(10)} ${String(f.rows).padEnd(13)} ${f.rowsRunTwice}`,
    );
  }
  if (!ok) {
    console.error(`FAIL: rows written must equal ${jobs}, each once`);
    process.exit(1);
  }
}

await main();
