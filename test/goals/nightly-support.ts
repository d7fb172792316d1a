// What the nightly-evaluation tests share: the real deps graph with a scratch MongoDB database of the
// test file's own, platform users seeded in hilo_users, goals inserted as rows with a hand-written
// recipe (the compiler is not needed to evaluate one), and readers for what the evaluation stored.
import { randomUUID } from "node:crypto";
import { asc, eq, inArray } from "drizzle-orm";
import { goalEvaluations, goals } from "../../src/db/schema";
import type { GoalRow } from "../../src/goals/evaluate";
import type { GoalKind, Recipe } from "../../src/goals/recipe";
import { closeDeps, createDeps, type Deps } from "../../src/infra/deps";
import { ensureReadingsIndexes, WATCH_DAILY_COLLECTION } from "../../src/readings/documents";
import { adminConnection, newUserId, requireEnv, seedUserProfile, testConfig } from "../support/stack";

/** The stack's MONGO_URL with another database in its path. */
export function scratchMongoUrl(): string {
  const url = new URL(requireEnv("MONGO_URL"));
  url.pathname = `/goals_test_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  return url.toString();
}

export interface TestUser {
  userId: string;
  watchId: string;
  timezone: string;
}

export interface NightlyHarness {
  deps: Deps;
  mongoUrl: string;
  user(timezone: string): Promise<TestUser>;
  /** One watch_daily document per entry; the recipe below reads `avg_systolic`. */
  days(user: TestUser, systolicByDay: Record<string, number>): Promise<void>;
  goal(user: TestUser, terms: GoalTerms): Promise<string>;
  row(goalId: string): Promise<GoalRow>;
  evaluations(goalId: string): Promise<StoredDay[]>;
  close(): Promise<void>;
}

export interface GoalTerms {
  kind: GoalKind;
  target: number;
  windowDays: number;
  startsOn: string;
  nextDueAt: Date;
  /** Default `value < 130` over the day's average systolic. */
  recipe?: Partial<Recipe>;
  status?: GoalRow["status"];
}

export interface StoredDay {
  period: string;
  value: number | null;
  hit: boolean;
  noData: boolean;
}

export function systolicRecipe(kind: GoalKind, target: number, windowDays: number): Recipe {
  return {
    title: "Evening blood pressure under 130",
    metric: "avg_systolic",
    pipeline: [{ $set: { value: "$avg_systolic" } }],
    comparison: "value < 130",
    kind,
    target,
    window_days: windowDays,
  };
}

export async function nightlyHarness(overrides: Record<string, string> = {}): Promise<NightlyHarness> {
  const mongoUrl = scratchMongoUrl();
  const deps = createDeps(testConfig({ MONGO_URL: mongoUrl, ...overrides }));
  await ensureReadingsIndexes(deps.mongo.db);
  const users: string[] = [];
  return {
    deps,
    mongoUrl,
    user: async (timezone) => {
      const userId = newUserId("goals");
      const user = { userId, watchId: `watch-${userId}`, timezone };
      await seedUserProfile({ ...user, firstName: "Test" });
      users.push(userId);
      return user;
    },
    days: async (user, systolicByDay) => {
      const docs = Object.entries(systolicByDay).map(([day, systolic]) => ({
        watch_id: user.watchId,
        day,
        timezone: user.timezone,
        avg_systolic: systolic,
        avg_diastolic: 80,
      }));
      if (docs.length > 0) await deps.mongo.db.collection(WATCH_DAILY_COLLECTION).insertMany(docs);
    },
    goal: async (user, terms) => {
      const id = Bun.randomUUIDv7();
      await deps.appDb.db.insert(goals).values({
        id,
        userId: user.userId,
        watchId: user.watchId,
        description: "keep my blood pressure under 130",
        status: terms.status ?? "active",
        kind: terms.kind,
        recipe: { ...systolicRecipe(terms.kind, terms.target, terms.windowDays), ...terms.recipe },
        target: terms.target,
        windowDays: terms.windowDays,
        timezone: user.timezone,
        startsOn: terms.startsOn,
        nextDueAt: terms.nextDueAt,
        confirmedAt: new Date(`${terms.startsOn}T00:00:00Z`),
      });
      return id;
    },
    row: async (goalId) => {
      const [row] = await deps.appDb.db.select().from(goals).where(eq(goals.id, goalId));
      if (!row) throw new Error(`goal ${goalId} is gone`);
      return row;
    },
    evaluations: (goalId) =>
      deps.appDb.db
        .select({
          period: goalEvaluations.period,
          value: goalEvaluations.value,
          hit: goalEvaluations.hit,
          noData: goalEvaluations.noData,
        })
        .from(goalEvaluations)
        .where(eq(goalEvaluations.goalId, goalId))
        .orderBy(asc(goalEvaluations.period)),
    close: async () => {
      if (users.length > 0) {
        await deps.appDb.db.delete(goals).where(inArray(goals.userId, users));
        const admin = await adminConnection();
        try {
          await admin.query("DELETE FROM hilo_users.users WHERE user_id IN (?)", [users]);
        } finally {
          await admin.end();
        }
      }
      await deps.mongo.db.dropDatabase();
      await closeDeps(deps);
    },
  };
}

/** A stored day in the shape the assertions spell out: H hit, M missed with data, N no data. */
export function letters(days: readonly StoredDay[]): string {
  return days.map((day) => (day.noData ? "N" : day.hit ? "H" : "M")).join("");
}
