// SIGKILL a worker in the middle of a QA run: the questions it had finished are never asked again, the
// one it was answering is answered once by another worker, and the run completes with each result
// stored once.
import { afterAll, expect, test } from "bun:test";
import { and, asc, eq, sql } from "drizzle-orm";
import { backgroundTasks, qaResults } from "../../src/db/schema";
import { queueDispatch } from "../../src/dev/dispatch";
import { closeDeps, createDeps } from "../../src/infra/deps";
import { createJobProducer } from "../../src/jobs/producer";
import { qaQuestionJobId, qaQuestionQueue } from "../../src/jobs/queues";
import { createQaRun } from "../../src/qa/run";
import { stallingWorker } from "../jobs/stalling-worker";
import { removeQueue, testRedis, uniquePrefix } from "../jobs/support";
import { spawnHilo, stackEnv } from "../support/processes";
import { testConfig } from "../support/stack";
import { requestsMatching, script, uniqueMatch } from "../support/standin";
import { shortLockQaQueue } from "./qa-worker";

const FIXTURE = ["bun", `${import.meta.dir}/qa-worker.ts`];
const deps = createDeps(testConfig());
const db = deps.appDb.db;
const redis = testRedis();
const prefix = uniquePrefix();

afterAll(async () => {
  await removeQueue(redis, prefix, qaQuestionQueue.name);
  redis.disconnect();
  await closeDeps(deps);
});

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(50);
  }
}

const agentCalls = async (match: string) =>
  (await requestsMatching(match)).filter((body) => body.response_format === undefined).length;

test("a worker SIGKILLed mid-run: only the unfinished question is asked again, each result stored once", async () => {
  const [first, stuck, third] = [uniqueMatch("qa-first"), uniqueMatch("qa-stuck"), uniqueMatch("qa-third")];
  await script(first, [{ content: "First answer." }]);
  await script(third, [{ content: "Third answer." }]);
  // The victim's agent call never answers; the rescuer's (the second request) does.
  await script(stuck, [{ hang: true }, { content: "Second answer, from the rescuer." }]);

  const victim = spawnHilo(["--prefix", prefix], stackEnv(), FIXTURE);
  await victim.waitFor("consuming");
  const run = await createQaRun({
    ctx: { deps, toolNames: new Set(), requestedBy: "crash-test", dispatch: queueDispatch(redis, prefix) },
    input: {
      csv: `id,question\nq1,First ${first}\nq2,Second ${stuck}\nq3,Third ${third}\n`,
      filename: null,
    },
  });
  const statuses = async () =>
    (
      await db
        .select({ status: qaResults.status })
        .from(qaResults)
        .where(eq(qaResults.taskId, run.runId))
        .orderBy(asc(qaResults.position))
    ).map((row) => row.status);

  /** The processor's run rows of one question's job, their statuses sorted. */
  const jobRunsOf = async (position: number) =>
    (
      await db
        .select({ status: backgroundTasks.status })
        .from(backgroundTasks)
        .where(
          and(
            eq(backgroundTasks.kind, qaQuestionQueue.name),
            sql`JSON_VALUE(${backgroundTasks.params}, '$.job_id') = ${qaQuestionJobId(run.runId, position)}`,
          ),
        )
    )
      .map((row) => row.status)
      .sort();

  // Killed once questions 1 and 3 are answered and their jobs finished, with question 2 at the model.
  await until("questions 1 and 3 answered, question 2 at the model", async () => {
    const [one, two, three] = await statuses();
    if (one !== "done" || two !== "pending" || three !== "done" || (await agentCalls(stuck)) !== 1)
      return false;
    return (await jobRunsOf(1)).join() === "done" && (await jobRunsOf(3)).join() === "done";
  }).catch(async (error: Error) => {
    const calls = await Promise.all([first, stuck, third].map(agentCalls));
    throw new Error(
      `${error.message}: ${await statuses()}, agent calls ${calls}; worker said:\n${victim.output()}`,
    );
  });
  victim.proc.kill("SIGKILL");
  await victim.exited;
  expect(await statuses()).toEqual(["done", "pending", "done"]);

  const rescuer = stallingWorker(shortLockQaQueue, deps, prefix);
  try {
    await until("the run done", async () => {
      const [task] = await db.select().from(backgroundTasks).where(eq(backgroundTasks.id, run.runId));
      return task?.status === "done";
    }).catch(async (error: Error) => {
      const producer = createJobProducer(redis, prefix);
      const job = await producer.queue(qaQuestionQueue).getJob(qaQuestionJobId(run.runId, 2));
      const state = await job?.getState();
      await producer.close();
      throw new Error(`${error.message}; question 2's job is ${state}: ${job?.failedReason ?? ""}`);
    });
  } finally {
    await rescuer.close();
  }

  const rows = await db
    .select()
    .from(qaResults)
    .where(eq(qaResults.taskId, run.runId))
    .orderBy(asc(qaResults.position));
  expect(rows.map((row) => [row.position, row.status, row.answer])).toEqual([
    [1, "done", "First answer."],
    [2, "done", "Second answer, from the rescuer."],
    [3, "done", "Third answer."],
  ]);
  // Finished questions were never asked again; the interrupted one twice (the dead attempt, the rescue).
  expect(await agentCalls(first)).toBe(1);
  expect(await agentCalls(third)).toBe(1);
  expect(await agentCalls(stuck)).toBe(2);

  const [task] = await db.select().from(backgroundTasks).where(eq(backgroundTasks.id, run.runId));
  expect(task?.result).toEqual({ total: 3, done: 3, failed: 0 });
  // Job runs as the processor recorded them: the killed attempt stays `running`, the rescue is `done`.
  expect(await jobRunsOf(1)).toEqual(["done"]);
  expect(await jobRunsOf(2)).toEqual(["done", "running"]);
  expect(await jobRunsOf(3)).toEqual(["done"]);
}, 60_000);
