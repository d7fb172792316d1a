// `hilo qa run <file.csv>` as a real process: the run answered in-process, a summary table, the run
// stored like one from the console; a bad file refused whole with file:line problems.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { backgroundTasks } from "../../src/db/schema";
import { closeDeps, createDeps } from "../../src/infra/deps";
import { readQaRun } from "../../src/qa/report";
import { spawnHilo, stackEnv } from "../support/processes";
import { testConfig } from "../support/stack";
import { script, uniqueMatch } from "../support/standin";

const dir = mkdtempSync(join(tmpdir(), "hilo-qa-cli-"));
const deps = createDeps(testConfig());
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeDeps(deps);
});

function csvFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

test("runs every question through the live turn and prints the summary table; exit 0", async () => {
  const [tooled, plain] = [uniqueMatch("cli-tools"), uniqueMatch("cli-plain")];
  await script(tooled, [
    { tool_calls: [{ name: "get_latest_bp_reading", arguments: {} }] },
    { content: "Your last reading was 121/79." },
  ]);
  await script(plain, [{ content: "Sync happens every hour." }]);
  const file = csvFile(
    "ok.csv",
    `id,question,expected_tools\nlast,Last reading? ${tooled},get_latest_bp_reading\nsync,How often does it sync? ${plain},calculate\n`,
  );
  const hilo = spawnHilo(["qa", "run", file, "--concurrency", "2"], stackEnv());
  expect(await hilo.exited).toBe(0);
  const output = hilo.output();
  const runId = /run ([0-9a-f-]{36}): 2 question\(s\), 2 at a time/.exec(output)?.[1] ?? "";
  expect(runId).not.toBe("");
  expect(output).toMatch(/^#\s+id\s+status\s+verdict\s+tools\s+expected\s+safety\s+ms\s+error$/m);
  expect(output).toMatch(/^1\s+last\s+done\s+approved\s+get_latest_bp_reading\s+ok\s+-\s+\d+$/m);
  expect(output).toMatch(/^2\s+sync\s+done\s+approved\s+-\s+MISSING\s+-\s+\d+$/m);
  expect(output).toContain(`run ${runId}: done; 2 answered, 0 failed, 0 pending of 2`);
  expect(output).toContain("expected tools called: 1 of 2");

  const report = await readQaRun(deps.appDb.db, runId);
  expect(report).toMatchObject({ status: "done", requested_by: "cli", filename: file });
  expect(report?.results.map((result) => result.answer)).toEqual([
    "Your last reading was 121/79.",
    "Sync happens every hour.",
  ]);
}, 60_000);

test("a bad file: every problem as file:line, exit 1, nothing stored", async () => {
  const file = csvFile("bad.csv", 'id,question\nq1,\nq2,"open\n');
  const before = await deps.appDb.db.$count(backgroundTasks, eq(backgroundTasks.requestedBy, "cli"));
  const hilo = spawnHilo(["qa", "run", file], stackEnv());
  expect(await hilo.exited).toBe(1);
  expect(hilo.output()).toContain(`${file}:2: empty question`);
  expect(hilo.output()).toContain(`${file}:3: unclosed quote: the quoted field opened on line 3 never ends`);
  expect(hilo.output()).toContain(`2 problem(s) in ${file}; nothing was run`);
  expect(await deps.appDb.db.$count(backgroundTasks, eq(backgroundTasks.requestedBy, "cli"))).toBe(before);
}, 30_000);

test.each([
  [["qa"], "a subcommand is required"],
  [["qa", "walk", "x.csv"], "unknown subcommand 'walk'"],
  [["qa", "run"], "a CSV file is required"],
  [["qa", "run", "a.csv", "b.csv"], "unexpected argument 'b.csv'"],
  [["qa", "run", "a.csv", "--concurrency", "0"], "--concurrency must be a whole number from 1 to 64"],
])("usage error %p exits 64", async (args, message) => {
  const hilo = spawnHilo(args, stackEnv());
  expect(await hilo.exited).toBe(64);
  expect(hilo.output()).toContain(`hilo qa: ${message}`);
});

test("a file that cannot be read exits 1 naming it", async () => {
  const hilo = spawnHilo(["qa", "run", join(dir, "missing.csv")], stackEnv());
  expect(await hilo.exited).toBe(1);
  expect(hilo.output()).toContain(`cannot read ${join(dir, "missing.csv")}`);
});
