// SIGKILL a worker mid-job: BullMQ's stalled check hands the job to another worker once the dead
// worker's lock lapses; the job completes once and the row it writes exists once.
import { afterAll, expect, test } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { backgroundTasks } from "../../src/db/schema";
import { closeDeps, createDeps } from "../../src/infra/deps";
import { createJobProducer } from "../../src/jobs/producer";
import { spawnHilo, stackEnv } from "../support/processes";
import { testConfig } from "../support/stack";
import { stallingQueue, stallingWorker } from "./stalling-worker";
import { removeQueue, testRedis, uniquePrefix } from "./support";

const FIXTURE = ["bun", `${import.meta.dir}/stalling-worker.ts`];

const deps = createDeps(testConfig());
const db = deps.appDb.db;
const redis = testRedis();
const suffix = Bun.randomUUIDv7().slice(-8);
const queueName = `stall-${suffix}`;
const table = `test_stalled_${suffix}`;
const prefix = uniquePrefix();

afterAll(async () => {
  await removeQueue(redis, prefix, queueName);
  await db.execute(sql.raw(`DROP TABLE IF EXISTS ${table}`));
  await db.delete(backgroundTasks).where(eq(backgroundTasks.kind, queueName));
  redis.disconnect();
  await closeDeps(deps);
});

test("a job whose worker is SIGKILLed mid-job completes once on another worker, its row written once", async () => {
  await db.execute(sql.raw(`CREATE TABLE ${table} (n INT PRIMARY KEY)`));
  const victim = spawnHilo(["--queue", queueName, "--table", table, "--prefix", prefix], stackEnv(), FIXTURE);
  await victim.waitFor("consuming");

  const rescued: number[] = [];
  const declaration = stallingQueue(queueName, table, async (n) => {
    rescued.push(n);
  });
  const producer = createJobProducer(redis, prefix);
  await producer.enqueue(declaration, { n: 42 }, "only-job");
  await victim.waitFor("wrote 42");
  victim.proc.kill("SIGKILL");
  await victim.exited;

  const rescuer = stallingWorker(declaration, deps, prefix);
  const queue = producer.queue(declaration);
  try {
    const deadline = Date.now() + 15_000;
    while ((await queue.getJobState("only-job")) !== "completed") {
      if (Date.now() > deadline) {
        const stuck = await queue.getJob("only-job");
        throw new Error(
          `the stalled job was not completed by the rescuer: ${await queue.getJobState("only-job")} ${stuck?.failedReason ?? ""}`,
        );
      }
      await Bun.sleep(50);
    }
    const job = await queue.getJob("only-job");
    expect(job?.returnvalue).toEqual({ n: 42 });
    expect(rescued).toEqual([42]);
    const [rows] = (await db.execute(sql.raw(`SELECT n FROM ${table}`))) as unknown as [{ n: number }[]];
    expect(rows).toEqual([{ n: 42 }]);
    // The killed attempt's run row stays `running` (no process was left to finish it); the rescue is done.
    const runs = await db
      .select({ status: backgroundTasks.status })
      .from(backgroundTasks)
      .where(eq(backgroundTasks.kind, queueName));
    expect(runs.map((run) => run.status).sort()).toEqual(["done", "running"]);
  } finally {
    await rescuer.close();
    await producer.close();
  }
}, 30_000);
