// What the goal tests share: a private OpenAI stand-in of their own (the same server code as the
// stack's, started in-process, so the goal compiler's offline behaviour is the one in this tree), a
// seeded user with watch data in the stack's MongoDB, goal rows written straight to MariaDB for tests
// that are not about compiling, and a tool context / app wired to all of it.
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { MongoClient } from "mongodb";
import OpenAI from "openai";
import { startOpenAIStandin } from "../../scripts/standins/openai/server";
import type { ToolContext } from "../../src/agent/tool";
import { goalEvaluations, goals } from "../../src/db/schema";
import type { CompileGoalCtx } from "../../src/goals/compile";
import type { Recipe } from "../../src/goals/recipe";
import type { GoalCompileCtx, GoalRow } from "../../src/goals/service";
import type { Deps } from "../../src/infra/deps";
import { createLlm, type Llm } from "../../src/llm/client";
import { createLogger } from "../../src/observability/logger";
import { ensureReadingsIndexes, type WatchDaily, watchDailyCollection } from "../../src/readings/documents";
import { addDays, localDay } from "../../src/readings/local-day";
import { newUserId, requireEnv, seedUserProfile } from "../support/stack";

export type Standin = Awaited<ReturnType<typeof startOpenAIStandin>>;

export async function startGoalStandin(): Promise<Standin> {
  return startOpenAIStandin({ host: "127.0.0.1", port: 0, tokenDelayMs: 0 });
}

export function standinBaseUrl(standin: Standin): string {
  return `http://127.0.0.1:${standin.port}`;
}

/** Scripts the private stand-in (see scripts/standins/openai/scripts.ts). */
export async function scriptStandin(
  standin: Standin,
  match: string,
  replies: unknown[],
  format: "chat" | "json" = "chat",
): Promise<void> {
  const response = await fetch(`${standinBaseUrl(standin)}/_standin/script`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ match, replies, format }),
  });
  if (!response.ok) throw new Error(`stand-in refused the script: ${await response.text()}`);
}

/** Bodies of the chat requests whose last user message contains `match`, oldest first. */
export async function standinRequests(standin: Standin, match: string): Promise<Record<string, unknown>[]> {
  const response = await fetch(
    `${standinBaseUrl(standin)}/_standin/requests?match=${encodeURIComponent(match)}`,
  );
  return (await response.json()) as Record<string, unknown>[];
}

export function standinLlm(standin: Standin): Llm {
  const openai = new OpenAI({
    baseURL: `${standinBaseUrl(standin)}/v1`,
    apiKey: "dev-openai-key",
    maxRetries: 0,
  });
  return createLlm(openai, { log: createLogger("error"), retry: { baseDelayMs: 20, maxBackoffMs: 100 } });
}

/** The goal compiler's JSON reply with a recipe; `pipeline` is sent as the JSON string the schema asks for. */
export function compilerReply(
  recipe: Partial<Omit<Recipe, "pipeline">> & { pipeline?: unknown },
  unsupported: string | null = null,
) {
  const { pipeline = [{ $set: { value: "$avg_systolic" } }], ...rest } = recipe;
  return {
    content: JSON.stringify({
      unsupported_reason: unsupported,
      title: "Systolic under 135",
      metric: "avg_systolic",
      comparison: "value < 135",
      kind: "count_hits_in_window",
      target: 5,
      window_days: 7,
      ...rest,
      pipeline_json: typeof pipeline === "string" ? pipeline : JSON.stringify(pipeline),
    }),
  };
}

export const TEST_ZONE = "Europe/London";

export interface GoalUser {
  userId: string;
  watchId: string;
  /** The user's local today when seeded. */
  today: string;
  /** day → the seeded document (the days with data). */
  days: Map<string, WatchDaily>;
}

/**
 * A user with a profile and `daysWithData` of watch_daily documents ending today, skipping the days
 * in `gaps` (offsets back from today). Day i back from today has avg_systolic 120 + i, steps 6000 +
 * 500·i, and its last reading in the evening on even i, in the morning on odd i.
 */
export async function seedGoalUser(
  mongo: MongoClient,
  options: { daysWithData?: number; gaps?: number[]; now?: Date } = {},
): Promise<GoalUser> {
  const userId = newUserId("goal");
  const watchId = `w-${randomUUID().slice(0, 12)}`;
  await seedUserProfile({ userId, watchId, firstName: "Goal", timezone: TEST_ZONE });
  const today = localDay(options.now ?? new Date(), TEST_ZONE);
  const days = new Map<string, WatchDaily>();
  for (let back = 0; back < (options.daysWithData ?? 14); back++) {
    if (options.gaps?.includes(back)) continue;
    const day = addDays(today, -back);
    days.set(day, {
      watch_id: watchId,
      day,
      timezone: TEST_ZONE,
      avg_systolic: 120 + back,
      avg_diastolic: 80,
      last_reading: {
        at: new Date(`${day}T${back % 2 === 0 ? "19" : "08"}:00:00Z`),
        systolic: 125 + back,
        diastolic: 82,
        daypart: back % 2 === 0 ? "evening" : "morning",
      },
      heart_rate: 70,
      sleep_hours: 7,
      steps: 6000 + 500 * back,
      in_target_pct: 80,
      bp_category: "Normal",
      reading_count: 4,
    });
  }
  const db = mongo.db();
  await ensureReadingsIndexes(db);
  if (days.size > 0) await watchDailyCollection(db).insertMany([...days.values()].map((d) => ({ ...d })));
  return { userId, watchId, today, days };
}

export function testMongo(): MongoClient {
  return new MongoClient(requireEnv("MONGO_URL"));
}

export async function removeGoalUser(mongo: MongoClient, user: GoalUser): Promise<void> {
  await watchDailyCollection(mongo.db()).deleteMany({ watch_id: user.watchId });
}

export function compilerCtx(deps: Deps, llm: Llm): CompileGoalCtx {
  return {
    llm,
    model: deps.config.HILO_GOAL_COMPILER_MODEL,
    deps,
    signal: new AbortController().signal,
    log: createLogger("error"),
  };
}

export function goalCompileCtx(
  deps: Deps,
  llm: Llm,
  user: Pick<GoalUser, "userId" | "watchId">,
): GoalCompileCtx {
  return {
    userId: user.userId,
    db: deps.appDb.db,
    now: () => new Date(),
    watchId: user.watchId,
    timezone: TEST_ZONE,
    sessionId: null,
    compiler: compilerCtx(deps, llm),
  };
}

export function goalToolContext(
  deps: Deps,
  llm: Llm,
  user: { userId: string; watchId: string | null },
): ToolContext {
  return {
    userId: user.userId,
    watchId: user.watchId,
    timezone: TEST_ZONE,
    sessionId: crypto.randomUUID(),
    turnId: crypto.randomUUID(),
    deps,
    llm,
    log: createLogger("error"),
    signal: new AbortController().signal,
    now: () => new Date(),
  };
}

export const STEPS_RECIPE: Recipe = {
  title: "8,000 steps",
  metric: "steps",
  pipeline: [{ $set: { value: "$steps" } }],
  comparison: "value >= 8000",
  kind: "count_hits_in_window",
  target: 5,
  window_days: 7,
};

/** A goal row written directly (no compile), for lifecycle and route tests. */
export async function insertGoal(
  deps: Deps,
  userId: string,
  fields: Partial<typeof goals.$inferInsert> = {},
  recipe: Recipe = STEPS_RECIPE,
): Promise<GoalRow> {
  const id = Bun.randomUUIDv7();
  await deps.appDb.db.insert(goals).values({
    id,
    userId,
    watchId: "w-test",
    description: "walk 8000 steps 5 of 7 days",
    status: "awaiting_confirmation",
    kind: recipe.kind,
    recipe,
    target: recipe.target,
    windowDays: recipe.window_days,
    timezone: TEST_ZONE,
    ...fields,
  });
  const [row] = await deps.appDb.db.select().from(goals).where(eq(goals.id, id));
  if (row === undefined) throw new Error("inserted goal not found");
  return row;
}

export async function insertEvaluations(
  deps: Deps,
  goalId: string,
  rows: { period: string; value: number | null; hit: boolean }[],
): Promise<void> {
  await deps.appDb.db.insert(goalEvaluations).values(
    rows.map((row) => ({
      goalId,
      period: row.period,
      value: row.value,
      hit: row.hit,
      noData: row.value === null,
    })),
  );
}
