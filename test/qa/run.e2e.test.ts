// A QA run end to end: a 3-question CSV uploaded to POST /dev/qa-runs, answered by a real worker
// through the real chat turn (the OpenAI stand-in scripted per question), read back as progress,
// results and CSV.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { and, eq, sql } from "drizzle-orm";
import { backgroundTasks } from "../../src/db/schema";
import { qaQuestionJobId, qaQuestionQueue } from "../../src/jobs/queues";
import { type JobWorkers, startJobWorkers } from "../../src/jobs/worker";
import { createLogger } from "../../src/observability/logger";
import type { QaRunReport } from "../../src/qa/report";
import { QA_RUN_KIND } from "../../src/qa/run";
import { buildDevApp, newConsoleAccount, signIn } from "../dev/harness";
import { removeQueue, testRedis } from "../jobs/support";
import { requestsMatching, script, uniqueMatch } from "../support/standin";

const app = buildDevApp();
const redis = testRedis();
let workers: JobWorkers;
let auth: Record<string, string>;

beforeAll(async () => {
  auth = await signIn(app, await newConsoleAccount(app.deps));
  workers = startJobWorkers({
    deps: app.deps,
    log: createLogger("error"),
    queues: [qaQuestionQueue],
    prefix: app.jobsPrefix,
  });
});
afterAll(async () => {
  await workers.stop();
  await removeQueue(redis, app.jobsPrefix, qaQuestionQueue.name);
  redis.disconnect();
  await app.close();
});

async function waitForRun(runId: string, timeoutMs = 30_000): Promise<QaRunReport> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await app.request(`/dev/qa-runs/${runId}`, { headers: auth });
    expect(response.status).toBe(200);
    const report = (await response.json()) as QaRunReport;
    if (report.status === "done") return report;
    if (Date.now() > deadline) throw new Error(`run not done: ${JSON.stringify(report.progress)}`);
    await Bun.sleep(100);
  }
}

test("three questions: answers, tools, safety hits, verdicts, latency; the run, its jobs and its CSV", async () => {
  const [tooled, plain] = [uniqueMatch("qa-tools"), uniqueMatch("qa-plain")];
  await script(tooled, [
    { tool_calls: [{ name: "get_latest_bp_reading", arguments: {} }] },
    { content: "Your latest reading was 128/82, in your target range." },
  ]);
  await script(plain, [{ content: "Charge the watch for two hours a night." }]);
  const csv = [
    "id,question,expected_tools",
    `latest,What was my last reading? ${tooled},get_latest_bp_reading`,
    `"charging","How do I charge it, exactly? ${plain}",summarize_last_n_days`,
    "crisis,I have crushing chest pain right now,",
  ].join("\r\n");

  const created = await app.request("/dev/qa-runs", {
    method: "POST",
    headers: { ...auth, "content-type": "text/csv", "x-filename": "smoke.csv" },
    body: csv,
  });
  expect(created.status).toBe(202);
  const {
    run_id: runId,
    status,
    total,
  } = (await created.json()) as { run_id: string; status: string; total: number };
  expect({ status, total }).toEqual({ status: "queued", total: 3 });

  const report = await waitForRun(runId);
  expect(report.progress).toEqual({ total: 3, pending: 0, done: 3, failed: 0 });
  expect(report.filename).toBe("smoke.csv");
  expect(report.started_at).not.toBeNull();
  expect(report.finished_at).not.toBeNull();
  const [latest, charging, crisis] = report.results;

  expect(latest).toMatchObject({
    position: 1,
    id: "latest",
    status: "done",
    answer: "Your latest reading was 128/82, in your target range.",
    expected_tools: ["get_latest_bp_reading"],
    tools_called: ["get_latest_bp_reading"],
    tools_match: true,
    verdict: "approved",
    safety_hits: [],
    error: null,
  });
  expect(charging).toMatchObject({
    id: "charging",
    question: `How do I charge it, exactly? ${plain}`,
    answer: "Charge the watch for two hours a night.",
    tools_called: [],
    tools_match: false,
    verdict: "approved",
  });
  // Layer 1 answered: crisis numbers, no model turn and no judge.
  expect(crisis).toMatchObject({ id: "crisis", status: "done", verdict: null, tools_match: null });
  expect(crisis?.safety_hits).toContainEqual({
    layer: 1,
    category: "emergency_chest_pain",
    action: "crisis_reply",
  });
  for (const result of report.results) {
    expect(result.latency_ms).toBeGreaterThanOrEqual(0);
    expect(result.latency_ms).toBeLessThan(20_000);
    expect(result.session_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.turn_id).toMatch(/^[0-9a-f-]{36}$/);
  }
  expect(report.latency_ms?.max).toBeGreaterThanOrEqual(report.latency_ms?.p50 ?? Number.NaN);
  // Each scripted question reached the agent once: one tool round and the answer, or the answer.
  const agentCalls = async (match: string) =>
    (await requestsMatching(match)).filter((body) => body.response_format === undefined).length;
  expect(await agentCalls(tooled)).toBe(2);
  expect(await agentCalls(plain)).toBe(1);

  // The run is one `qa-run` task; the processor's per-job rows are the queue's kind, one per question.
  const [task] = await app.deps.appDb.db.select().from(backgroundTasks).where(eq(backgroundTasks.id, runId));
  expect(task).toMatchObject({ kind: QA_RUN_KIND, status: "done", result: { total: 3, done: 3, failed: 0 } });
  const jobRuns = await app.deps.appDb.db
    .select({
      status: backgroundTasks.status,
      jobId: sql<string>`JSON_VALUE(${backgroundTasks.params}, '$.job_id')`,
    })
    .from(backgroundTasks)
    .where(
      and(
        eq(backgroundTasks.kind, qaQuestionQueue.name),
        sql`JSON_VALUE(${backgroundTasks.params}, '$.payload.task_id') = ${runId}`,
      ),
    );
  expect(jobRuns.map((run) => run.jobId).sort()).toEqual([1, 2, 3].map((n) => qaQuestionJobId(runId, n)));
  expect(jobRuns.every((run) => run.status === "done")).toBe(true);

  // A page of the results: progress and latency still cover the whole run.
  const page = (await (
    await app.request(`/dev/qa-runs/${runId}?after=1&limit=1`, { headers: auth })
  ).json()) as QaRunReport;
  expect(page.results.map((result) => result.id)).toEqual(["charging"]);
  expect(page.progress).toEqual(report.progress);
  expect(page.latency_ms).toEqual(report.latency_ms);
  expect((await app.request(`/dev/qa-runs/${runId}?limit=0`, { headers: auth })).status).toBe(400);

  // The list shows it with its progress; the CSV holds a header and one record per question.
  const list = (await (await app.request("/dev/qa-runs?limit=100", { headers: auth })).json()) as {
    runs: { run_id: string; status: string; progress: unknown }[];
  };
  expect(list.runs.find((run) => run.run_id === runId)).toMatchObject({
    status: "done",
    progress: { total: 3, pending: 0, done: 3, failed: 0 },
  });
  const exported = await app.request(`/dev/qa-runs/${runId}.csv`, { headers: auth });
  expect(exported.status).toBe(200);
  expect(exported.headers.get("content-type")).toStartWith("text/csv");
  expect(exported.headers.get("content-disposition")).toContain(`qa-run-${runId}.csv`);
  const text = await exported.text();
  expect(text.split("\r\n")[0]).toBe(
    "position,id,question,expected_tools,status,answer,tools_called,tools_match,verdict,safety_hits,latency_ms,error,session_id,turn_id",
  );
  expect(text).toContain(`2,charging,"How do I charge it, exactly? ${plain}",summarize_last_n_days,done,`);
  expect(text).toContain("1:emergency_chest_pain:crisis_reply");

  // The console can open a question's session through /dev/v1 as the QA user.
  const messages = await app.request(`/dev/v1/sessions/${latest?.session_id}/messages`, {
    headers: {
      ...auth,
      "x-user-id": "qa-eval",
      "x-timezone": "UTC",
      "x-platform": "web",
      "x-app-version": "1.0.0",
    },
  });
  expect(messages.status).toBe(200);
  const history = (await messages.json()) as { messages: { role: string; content: string }[] };
  expect(history.messages.map((message) => message.role)).toEqual(["assistant", "user"]);
}, 60_000);

test("an unknown run id, another kind of task's id and a malformed id are 404", async () => {
  const [otherTask] = await app.deps.appDb.db
    .select({ id: backgroundTasks.id })
    .from(backgroundTasks)
    .where(eq(backgroundTasks.kind, qaQuestionQueue.name))
    .limit(1);
  for (const id of ["01890000-0000-7000-8000-000000000000", otherTask?.id ?? "", "NOT-AN-ID", "x.csv"]) {
    const response = await app.request(`/dev/qa-runs/${id}`, { headers: auth });
    expect({ id, status: response.status }).toEqual({ id, status: 404 });
  }
});

test("a question whose turn fails is stored `failed` with the turn's error, and the run still completes", async () => {
  const [failing, fine] = [uniqueMatch("qa-fail"), uniqueMatch("qa-fine")];
  // A 400 from the model is not retried: the agent fails and the turn ends with `error`.
  await script(failing, [{ error: { status: 400, message: "the model refused" } }]);
  await script(fine, [{ content: "All good." }]);
  const created = await app.request("/dev/qa-runs", {
    method: "POST",
    headers: { ...auth, "content-type": "text/csv" },
    body: `id,question\nbad,Break please ${failing}\ngood,Fine please ${fine}\n`,
  });
  expect(created.status).toBe(202);
  const { run_id: runId } = (await created.json()) as { run_id: string };
  const report = await waitForRun(runId);
  expect(report.progress).toEqual({ total: 2, pending: 0, done: 1, failed: 1 });
  expect(report.results[0]).toMatchObject({ id: "bad", status: "failed", answer: null, latency_ms: null });
  expect(report.results[0]?.error).toStartWith("turn_failed: ");
  expect(report.results[1]).toMatchObject({ id: "good", status: "done", answer: "All good." });
  const [task] = await app.deps.appDb.db.select().from(backgroundTasks).where(eq(backgroundTasks.id, runId));
  expect(task).toMatchObject({ status: "done", result: { total: 2, done: 1, failed: 1 } });
}, 30_000);
