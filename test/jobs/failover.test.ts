// Scheduler failover as separate processes: a SIGKILLed leader is replaced by the standby within the
// lock's TTL and each later tick is one job; with Redis gone the leader stands down (exit 1), and a
// worker rides out the outage, completing a job enqueued before it exactly once.
import { afterAll, expect, test } from "bun:test";
import { Queue } from "bullmq";
import { eq } from "drizzle-orm";
import { backgroundTasks } from "../../src/db/schema";
import { closeDeps, createDeps } from "../../src/infra/deps";
import { createJobProducer } from "../../src/jobs/producer";
import { startJobWorkers } from "../../src/jobs/worker";
import { createLogger } from "../../src/observability/logger";
import { startPrivateRedis } from "../support/private-redis";
import { type HiloProcess, spawnHilo, stackEnv } from "../support/processes";
import { requireEnv, testConfig } from "../support/stack";
import { recordingQueue, removeQueue, testRedis, uniquePrefix } from "./support";

const FIXTURE = ["bun", `${import.meta.dir}/scheduler-process.ts`];
const HEARTBEAT_MS = 250;
const TTL_MS = 2_000;

const deps = createDeps(testConfig());
const redis = testRedis();
const cleanups: (() => Promise<void>)[] = [];
const spawned: HiloProcess[] = [];

afterAll(async () => {
  for (const child of spawned) child.proc.kill("SIGKILL");
  for (const cleanup of cleanups) await cleanup();
  redis.disconnect();
  await closeDeps(deps);
});

function spawnScheduler(redisUrl: string, queue: string, prefix: string): HiloProcess {
  const args = ["--redis", redisUrl, "--queue", queue, "--prefix", prefix, "--lock-key", `${prefix}:leader`];
  args.push("--heartbeat-ms", String(HEARTBEAT_MS), "--ttl-ms", String(TTL_MS));
  const child = spawnHilo(args, stackEnv(), FIXTURE);
  spawned.push(child);
  return child;
}

/** The `fired <job id> <kind>` lines a scheduler process printed. */
function firesOf(child: HiloProcess): { jobId: string; catchUp: boolean }[] {
  return [...child.output().matchAll(/^fired (\S+) (catch-up|live)$/gm)].map((match) => ({
    jobId: match[1] ?? "",
    catchUp: match[2] === "catch-up",
  }));
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await Bun.sleep(20);
  }
}

/** The ids of every job the queue holds, whatever its state. */
async function jobIds(connection: typeof redis, prefix: string, name: string): Promise<string[]> {
  const queue = new Queue(name, { connection, prefix });
  try {
    const jobs = await queue.getJobs();
    return jobs.map((job) => job.id ?? "");
  } finally {
    await queue.close();
  }
}

test("a SIGKILLed leader: the standby leads within the TTL and fires each next tick once", async () => {
  const prefix = uniquePrefix();
  const queue = `ticks-${Bun.randomUUIDv7().slice(-8)}`;
  cleanups.push(() => removeQueue(redis, prefix, queue));
  const url = requireEnv("REDIS_URL");

  const leader = spawnScheduler(url, queue, prefix);
  await leader.waitFor(" catch-up");
  const standby = spawnScheduler(url, queue, prefix);
  await standby.waitFor("standing by");
  // The leader ticks live while the standby waits.
  await until(() => firesOf(leader).filter((fire) => !fire.catchUp).length >= 2, 5_000, "two live ticks");
  expect(firesOf(standby)).toEqual([]);

  leader.proc.kill("SIGKILL");
  const killedAt = Date.now();
  expect(await leader.exited).not.toBe(0);
  const leaderFires = firesOf(leader);

  await standby.waitFor(" catch-up", TTL_MS + 3_000);
  const tookOverMs = Date.now() - killedAt;
  // The lock lapses at most a TTL after the kill, and the standby tries the moment it does (1 s of
  // slack for starting a process on a loaded machine).
  expect(tookOverMs).toBeLessThanOrEqual(TTL_MS + 1_000);
  await until(
    () => firesOf(standby).filter((fire) => !fire.catchUp).length >= 2,
    5_000,
    "the new leader's ticks",
  );
  standby.proc.kill("SIGTERM");
  await standby.exited;
  const standbyFires = firesOf(standby);

  // The new leader's catch-up comes first and once; every tick of its own is a distinct job.
  expect(standbyFires.filter((fire) => fire.catchUp)).toHaveLength(1);
  expect(standbyFires[0]?.catchUp).toBe(true);
  const standbyIds = standbyFires.map((fire) => fire.jobId);
  expect(new Set(standbyIds).size).toBe(standbyIds.length);
  // No tick ran on both: apart from a catch-up of the old leader's last period, the two never overlap.
  const leaderIds = new Set(leaderFires.map((fire) => fire.jobId));
  const overlap = standbyFires.filter((fire) => leaderIds.has(fire.jobId));
  expect(overlap.every((fire) => fire.catchUp)).toBe(true);

  // One job per fired period: every printed fire is in the queue once, and nothing else is, but for
  // at most one fire the killed leader enqueued without living to print it.
  const ids = await jobIds(redis, prefix, queue);
  expect(new Set(ids).size).toBe(ids.length);
  const printed = new Set([...leaderIds, ...standbyIds]);
  for (const id of printed) expect(ids).toContain(id);
  expect(ids.length - printed.size).toBeLessThanOrEqual(1);
  console.log(`failover: the standby led ${tookOverMs} ms after the SIGKILL (TTL ${TTL_MS} ms)`);
}, 15_000);

test("Redis down: the leader stands down and exits 1; a worker reconnects and completes the job once", async () => {
  const privateRedis = await startPrivateRedis();
  cleanups.push(() => privateRedis.dispose());
  const prefix = uniquePrefix();
  const suffix = Bun.randomUUIDv7().slice(-8);
  const ticks = `ticks-${suffix}`;
  const work = `outage-${suffix}`;
  cleanups.push(async () => {
    await deps.appDb.db.delete(backgroundTasks).where(eq(backgroundTasks.kind, work));
  });

  const scheduler = spawnScheduler(privateRedis.url, ticks, prefix);
  await scheduler.waitFor(" catch-up");

  const seen: number[] = [];
  const declaration = recordingQueue(work, seen);
  const workers = startJobWorkers({
    deps,
    log: createLogger("error"),
    queues: [declaration],
    redisUrl: privateRedis.url,
    prefix,
  });
  const producer = createJobProducer(privateRedis.admin, prefix);
  const queue = producer.queue(declaration);
  // The outage is the point: the queue's connection errors meanwhile are expected.
  queue.on("error", () => {});
  try {
    // Before the outage: one job runs now (the worker is up), one is due only while Redis is away.
    await producer.enqueue(declaration, { n: 1 }, "before-outage-now");
    await until(async () => (await queue.getJobState("before-outage-now")) === "completed", 5_000, "job 1");
    await queue.add(work, { n: 2 }, { jobId: "before-outage-due", delay: 1_000, attempts: 3 });

    await privateRedis.stop(true);
    const stoppedAt = Date.now();
    expect(await scheduler.exited).toBe(1);
    expect(scheduler.output()).toContain("stood down");
    const stoodDownMs = Date.now() - stoppedAt;
    // Redis stays away past the delayed job's due time.
    await Bun.sleep(Math.max(0, 2_000 - stoodDownMs));
    expect(seen).toEqual([1]);
    await privateRedis.start();

    await until(async () => (await queue.getJobState("before-outage-due")) === "completed", 10_000, "job 2");
    await producer.enqueue(declaration, { n: 3 }, "after-outage");
    await until(async () => (await queue.getJobState("after-outage")) === "completed", 5_000, "job 3");
    // A moment for any second run to show up.
    await Bun.sleep(500);
    expect(seen.sort()).toEqual([1, 2, 3]);
    const job = await queue.getJob("before-outage-due");
    expect(job?.attemptsMade).toBe(1);
    // Each job's run is recorded once, and done.
    const runs = await deps.appDb.db
      .select({ status: backgroundTasks.status })
      .from(backgroundTasks)
      .where(eq(backgroundTasks.kind, work));
    expect(runs.map((run) => run.status)).toEqual(["done", "done", "done"]);
    console.log(`redis down: the leader stood down ${stoodDownMs} ms after Redis stopped`);
  } finally {
    await workers.stop();
    await producer.close();
  }
}, 15_000);

test("Redis down: the real `hilo scheduler` stands down and exits 1 within its heartbeat", async () => {
  const privateRedis = await startPrivateRedis();
  cleanups.push(() => privateRedis.dispose());
  // Its own Redis: the production lock key and queues cannot meet a dev scheduler's or another test's.
  const scheduler = spawnHilo(["scheduler"], stackEnv({ REDIS_URL: privateRedis.url }));
  spawned.push(scheduler);
  await scheduler.waitFor("became scheduler leader");
  await scheduler.waitFor('"ready"');
  const stoppedAt = Date.now();
  await privateRedis.stop(false);
  expect(await scheduler.exited).toBe(1);
  const exitedMs = Date.now() - stoppedAt;
  expect(scheduler.output()).toContain("scheduler heartbeat failed; standing down");
  expect(scheduler.output()).toContain('"reason":"service ended"');
  // The next 10 s heartbeat fails once the client's two retries are spent.
  expect(exitedMs).toBeLessThan(20_000);
  console.log(`real scheduler: exited 1 ${exitedMs} ms after Redis stopped`);
}, 30_000);
