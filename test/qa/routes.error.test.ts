// POST /dev/qa-runs refuses a bad file whole: 400 with every bad line, and nothing stored or queued.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { backgroundTasks } from "../../src/db/schema";
import { QA_UPLOAD_MAX_BYTES } from "../../src/dev/upload";
import { qaQuestionQueue } from "../../src/jobs/queues";
import { QA_RUN_KIND } from "../../src/qa/run";
import { buildDevApp, type ConsoleAccount, newConsoleAccount, signIn } from "../dev/harness";
import { jobCount, removeQueue, testRedis } from "../jobs/support";

const app = buildDevApp();
const redis = testRedis();
let account: ConsoleAccount;
let auth: Record<string, string>;

beforeAll(async () => {
  account = await newConsoleAccount(app.deps);
  auth = await signIn(app, account);
});
afterAll(async () => {
  await removeQueue(redis, app.jobsPrefix, qaQuestionQueue.name);
  redis.disconnect();
  await app.close();
});

/** `contentType` null: the body sets its own (a FormData's multipart boundary). */
function upload(body: RequestInit["body"], contentType: string | null = "text/csv") {
  const headers = contentType === null ? auth : { ...auth, "content-type": contentType };
  return app.request("/dev/qa-runs", { method: "POST", headers, body });
}

async function expectRefusedWhole(response: Response, problems: { line: number; message: string }[]) {
  expect(response.status).toBe(400);
  const body = (await response.json()) as { error: { code: string; message: string; problems: unknown } };
  expect(body.error.code).toBe("invalid_request");
  expect(body.error.message).toContain("nothing was queued");
  expect(body.error.problems).toEqual(problems);
  const runs = await app.deps.appDb.db
    .select({ id: backgroundTasks.id })
    .from(backgroundTasks)
    .where(and(eq(backgroundTasks.kind, QA_RUN_KIND), eq(backgroundTasks.requestedBy, account.username)));
  expect(runs).toEqual([]);
  expect(await jobCount(redis, app.jobsPrefix, qaQuestionQueue.name)).toBe(0);
}

test("wrong columns", async () => {
  await expectRefusedWhole(await upload("question,id\nq1,hi\n"), [
    { line: 1, message: "the header must be id,question or id,question,expected_tools, got question,id" },
  ]);
  await expectRefusedWhole(await upload("id,question\nq1,fine\nq2,one,two\n"), [
    { line: 3, message: "expected 2 fields (id,question), got 3" },
  ]);
});

test("an empty file, and an empty body", async () => {
  const problems = [{ line: 1, message: "the file is empty (expected the header id,question)" }];
  await expectRefusedWhole(await upload(""), problems);
  await expectRefusedWhole(await upload("\n\n"), problems);
});

test("an unclosed quote, with good rows before it", async () => {
  await expectRefusedWhole(await upload('id,question\nq1,fine\nq2,"open\nq3,more\n'), [
    { line: 3, message: "unclosed quote: the quoted field opened on line 3 never ends" },
  ]);
});

test("10,001 rows", async () => {
  const rows = Array.from({ length: 10_001 }, (_, index) => `q${index},How was day ${index}?`).join("\n");
  await expectRefusedWhole(await upload(`id,question\n${rows}\n`), [
    { line: 10_002, message: "more than 10,000 questions (the file has 10,001); split it into several runs" },
  ]);
});

test("several bad lines are all reported, in line order, through a multipart upload too", async () => {
  const form = new FormData();
  form.append(
    "file",
    new File(["id,question,expected_tools\nq1,,\nq2,ok,no_such_tool\nq1,dup,\n"], "bad.csv"),
  );
  await expectRefusedWhole(await upload(form, null), [
    { line: 2, message: "empty question" },
    { line: 3, message: "unknown tool 'no_such_tool'" },
    { line: 4, message: "duplicate id 'q1' (first on line 2)" },
  ]);
});

test("a body that is not a CSV upload is 400, a file that is not UTF-8 too, nothing stored", async () => {
  const json = await upload(JSON.stringify({ id: "q1" }), "application/json");
  expect(json.status).toBe(400);
  expect(((await json.json()) as { error: { message: string } }).error.message).toContain("text/csv");
  const latin1 = await upload(new Uint8Array([0x69, 0x64, 0x2c, 0x71, 0x0a, 0x31, 0x2c, 0xe9, 0x0a]));
  expect(latin1.status).toBe(400);
  expect(((await latin1.json()) as { error: { message: string } }).error.message).toBe(
    "the file is not UTF-8 text",
  );
  const form = new FormData();
  form.append("other", "id,question\nq1,hi\n");
  const noFile = await upload(form, null);
  expect(noFile.status).toBe(400);
  expect(await jobCount(redis, app.jobsPrefix, qaQuestionQueue.name)).toBe(0);
});

test("a file over 8 MiB is 413, by Content-Length and by a body that turns out larger", async () => {
  const big = `id,question\n${"q,x\n".repeat(QA_UPLOAD_MAX_BYTES / 4 + 10)}`;
  const declared = await app.request("/dev/qa-runs", {
    method: "POST",
    headers: { ...auth, "content-type": "text/csv", "content-length": String(big.length) },
    body: big,
  });
  expect(declared.status).toBe(413);
  const streamed = await upload(
    new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    }),
  );
  expect(streamed.status).toBe(413);
  expect(await jobCount(redis, app.jobsPrefix, qaQuestionQueue.name)).toBe(0);
});
