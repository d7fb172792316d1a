// runRecipe against the stack's MongoDB: one DayResult per local day of the range, whose data only,
// and every way a recipe can break its contract at run time.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { MongoClient } from "mongodb";
import { RecipeRunError, runRecipe } from "../../src/goals/run-recipe";
import { SandboxError } from "../../src/goals/sandbox";
import { closeDeps, createDeps } from "../../src/infra/deps";
import { addDays } from "../../src/readings/local-day";
import { testConfig } from "../support/stack";
import { type GoalUser, removeGoalUser, seedGoalUser, testMongo } from "./harness";

const deps = createDeps(testConfig());
let mongo: MongoClient;
let user: GoalUser;
let neighbour: GoalUser;

beforeAll(async () => {
  mongo = testMongo();
  // Days 3 and 4 back have no document.
  user = await seedGoalUser(mongo, { daysWithData: 14, gaps: [3, 4] });
  neighbour = await seedGoalUser(mongo, { daysWithData: 14 });
});

afterAll(async () => {
  await removeGoalUser(mongo, user);
  await removeGoalUser(mongo, neighbour);
  await mongo.close();
  await closeDeps(deps);
});

const lastDays = (n: number) => ({ from: addDays(user.today, -(n - 1)), to: user.today });

describe("runRecipe", () => {
  test("gives one result per day of the range, oldest first, null and no hit on days without data", async () => {
    const results = await runRecipe(
      deps,
      { watchId: user.watchId },
      { pipeline: [{ $set: { value: "$avg_systolic" } }], comparison: "value < 125" },
      lastDays(7),
    );
    // Day i back from today: 120 + i; days 3 and 4 back are gaps.
    expect(results).toEqual([
      { day: addDays(user.today, -6), value: 126, hit: false },
      { day: addDays(user.today, -5), value: 125, hit: false },
      { day: addDays(user.today, -4), value: null, hit: false },
      { day: addDays(user.today, -3), value: null, hit: false },
      { day: addDays(user.today, -2), value: 122, hit: true },
      { day: addDays(user.today, -1), value: 121, hit: true },
      { day: user.today, value: 120, hit: true },
    ]);
  });

  test("reads only the scoped watch: a neighbour's documents on the same days never count", async () => {
    const results = await runRecipe(
      deps,
      { watchId: neighbour.watchId },
      { pipeline: [{ $set: { value: "$steps" } }], comparison: "value >= 0" },
      lastDays(5),
    );
    // The neighbour has no gaps, so days 3 and 4 back have values here and not for `user`.
    expect(results.map((day) => day.value)).toEqual([8000, 7500, 7000, 6500, 6000]);
  });

  test("a value of null from the recipe is a day that does not count", async () => {
    const results = await runRecipe(
      deps,
      { watchId: user.watchId },
      {
        pipeline: [
          {
            $set: {
              value: {
                $cond: [{ $eq: ["$last_reading.daypart", "evening"] }, "$last_reading.systolic", null],
              },
            },
          },
        ],
        comparison: "value < 200",
      },
      lastDays(3),
    );
    // Even days back are evening: 2 back → 127, 1 back → morning (null), today → 125.
    expect(results.map((day) => [day.value, day.hit])).toEqual([
      [127, true],
      [null, false],
      [125, true],
    ]);
  });

  test("a value that is not a number fails the run", async () => {
    const run = runRecipe(
      deps,
      { watchId: user.watchId },
      { pipeline: [{ $set: { value: "$bp_category" } }], comparison: "value > 0" },
      lastDays(3),
    );
    await expect(run).rejects.toThrow(RecipeRunError);
    await expect(run).rejects.toThrow(/must be a number/);
  });

  test("a recipe that drops the day fails the run", async () => {
    const run = runRecipe(
      deps,
      { watchId: user.watchId },
      { pipeline: [{ $project: { value: "$steps" } }], comparison: "value > 0" },
      lastDays(3),
    );
    await expect(run).rejects.toThrow(/keep each document's day/);
  });

  test("a stored pipeline is checked again before it runs", async () => {
    const run = runRecipe(
      deps,
      { watchId: user.watchId },
      { pipeline: [{ $unionWith: "bp_readings" }], comparison: "value > 0" },
      lastDays(3),
    );
    await expect(run).rejects.toThrow(SandboxError);
  });

  test("more rows than the cap fail the run instead of being cut silently", async () => {
    const run = runRecipe(
      deps,
      { watchId: user.watchId },
      { pipeline: [{ $set: { value: "$steps" } }], comparison: "value > 0" },
      lastDays(7),
      { maxDocuments: 3 },
    );
    await expect(run).rejects.toThrow(/more than 3 documents/);
  });

  test("a comparison that fails on a day names the day", async () => {
    const run = runRecipe(
      deps,
      { watchId: user.watchId },
      { pipeline: [{ $set: { value: "$steps" } }], comparison: "value / 0 > 1" },
      lastDays(1),
    );
    await expect(run).rejects.toThrow(new RegExp(`comparison failed on ${user.today}.*division by zero`));
  });

  test("ranges are validated", async () => {
    const recipe = { pipeline: [{ $set: { value: "$steps" } }], comparison: "value > 0" };
    await expect(
      runRecipe(deps, { watchId: user.watchId }, recipe, { from: "2026-1-1", to: "2026-01-02" }),
    ).rejects.toThrow(RangeError);
    await expect(
      runRecipe(deps, { watchId: user.watchId }, recipe, { from: "2026-01-02", to: "2026-01-01" }),
    ).rejects.toThrow(RangeError);
    await expect(
      runRecipe(deps, { watchId: user.watchId }, recipe, { from: "2024-01-01", to: "2026-01-01" }),
    ).rejects.toThrow(/1 to 400 days/);
  });
});
