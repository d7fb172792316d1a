// `hilo goals evaluate` as a real process: the nightly code by hand, one goal at a time (a run over
// every active goal would reach other tests' goals in the shared database, so it is exercised here
// only through --goal; the paging is the sweep's).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { goalEvaluations } from "../../src/db/schema";
import { periodEndsAt } from "../../src/goals/periods";
import { spawnHilo, stackEnv } from "../support/processes";
import { letters, type NightlyHarness, nightlyHarness } from "./nightly-support";

const LA = "America/Los_Angeles";
let h: NightlyHarness;
beforeAll(async () => {
  h = await nightlyHarness();
});
afterAll(async () => {
  await h.close();
});

async function hilo(...args: string[]): Promise<{ code: number; out: string }> {
  const child = spawnHilo(["goals", ...args], stackEnv({ MONGO_URL: h.mongoUrl, HILO_LOG_LEVEL: "error" }));
  const code = await child.exited;
  return { code, out: child.output() };
}

test("evaluates one goal through --date; re-running the day changes nothing; a later day adds its row", async () => {
  const la = await h.user(LA);
  await h.days(la, { "2026-10-29": 125, "2026-10-30": 135, "2026-11-01": 128, "2026-11-02": 129 });
  const goal = await h.goal(la, {
    kind: "count_hits_in_window",
    target: 3,
    windowDays: 5,
    startsOn: "2026-10-29",
    nextDueAt: periodEndsAt("2026-10-29", LA),
  });

  const first = await hilo("evaluate", "--date", "2026-11-01", "--goal", goal);
  expect(first.code).toBe(0);
  expect(JSON.parse(first.out)).toEqual({
    goalId: goal,
    outcome: "evaluated",
    from: "2026-10-29",
    to: "2026-11-01",
    status: "active",
  });
  expect(letters(await h.evaluations(goal))).toBe("HMNH");
  const rows = await h.deps.appDb.db.select().from(goalEvaluations).where(eq(goalEvaluations.goalId, goal));
  const goalRow = await h.row(goal);

  const again = await hilo("evaluate", "--date", "2026-11-01", "--goal", goal);
  expect(again.code).toBe(0);
  expect(JSON.parse(again.out)).toMatchObject({ goalId: goal, outcome: "not_due" });
  expect(
    await h.deps.appDb.db.select().from(goalEvaluations).where(eq(goalEvaluations.goalId, goal)),
  ).toEqual(rows);
  expect(await h.row(goal)).toEqual(goalRow);

  const next = await hilo("evaluate", "--date", "2026-11-02", "--goal", goal);
  expect(JSON.parse(next.out)).toMatchObject({
    outcome: "evaluated",
    from: "2026-11-02",
    status: "achieved",
  });
  expect(letters(await h.evaluations(goal))).toBe("HMNHH");
}, 30_000);

test("bad usage exits 64 naming the problem; an unknown goal exits 1", async () => {
  const cases: [string[], string][] = [
    [["evaluate"], "--date is required"],
    [["evaluate", "--date", "2026-02-30"], "is not a day"],
    [["evaluate", "--date", "2026-11-01", "--goal", "DROP TABLE goals"], "is not a goal id"],
    [["evaluate", "--date", "2026-11-01", "--bogus"], "bogus"],
    [["recompile"], "unknown subcommand"],
  ];
  for (const [args, message] of cases) {
    const run = await hilo(...args);
    expect(run.code).toBe(64);
    expect(run.out).toContain(message);
  }
  const unknown = await hilo("evaluate", "--date", "2026-11-01", "--goal", Bun.randomUUIDv7());
  expect(unknown.code).toBe(1);
  expect(unknown.out).toContain("no goal");
}, 30_000);
