// What the health-tool tests share: a scratch MongoDB database per test file behind the real deps graph,
// a tool context for a given watch, zone and pinned clock, and builders for fixture documents.
import { randomUUID } from "node:crypto";
import type { Db } from "mongodb";
import { createToolRegistry, type ToolRegistry } from "../../../../src/agent/registry";
import type { ToolContext, ToolResult } from "../../../../src/agent/tool";
import { READINGS_TOOLS } from "../../../../src/agent/tools/readings/index";
import { closeDeps, createDeps, type Deps } from "../../../../src/infra/deps";
import { createLogger } from "../../../../src/observability/logger";
import type { BpCategory } from "../../../../src/readings/bp-category";
import type { Daypart } from "../../../../src/readings/dayparts";
import {
  type BpReading,
  bpReadingsCollection,
  ensureReadingsIndexes,
  type WatchDaily,
  watchDailyCollection,
} from "../../../../src/readings/documents";
import { requireEnv, testConfig } from "../../../support/stack";
import { testLlm } from "../../../support/standin";

/** The stack's MONGO_URL with another database in its path. */
export function mongoUrlFor(database: string): string {
  const url = new URL(requireEnv("MONGO_URL"));
  url.pathname = `/${database}`;
  return url.toString();
}

export interface Who {
  watchId: string | null;
  timezone: string;
  /** ISO instant the turn's clock is pinned to. */
  now: string;
  userId?: string;
}

export function toolContext(deps: Deps, who: Who): ToolContext {
  return {
    userId: who.userId ?? `user-of-${who.watchId ?? "nobody"}`,
    watchId: who.watchId,
    timezone: who.timezone,
    sessionId: "test-session",
    turnId: `test-turn-${randomUUID()}`,
    deps,
    llm: testLlm(),
    log: createLogger("error"),
    signal: new AbortController().signal,
    now: () => new Date(who.now),
  };
}

export interface ToolHarness {
  db: Db;
  deps: Deps;
  registry: ToolRegistry;
  /** Runs a tool through the registry, exactly as the chat loop will. */
  run(name: string, args: unknown, who: Who): Promise<ToolResult>;
  insert(readings: readonly BpReading[], daily?: readonly WatchDaily[]): Promise<void>;
  close(): Promise<void>;
}

export async function toolHarness(): Promise<ToolHarness> {
  const database = `tools_test_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const deps = createDeps(testConfig({ MONGO_URL: mongoUrlFor(database) }));
  const db = deps.mongo.db;
  await ensureReadingsIndexes(db);
  const registry = createToolRegistry(READINGS_TOOLS);
  return {
    db,
    deps,
    registry,
    run: (name, args, who) =>
      registry.run(name, typeof args === "string" ? args : JSON.stringify(args), toolContext(deps, who)),
    insert: async (readings, daily = []) => {
      if (readings.length > 0) await bpReadingsCollection(db).insertMany(readings.map((r) => ({ ...r })));
      if (daily.length > 0) await watchDailyCollection(db).insertMany(daily.map((d) => ({ ...d })));
    },
    close: async () => {
      await db.dropDatabase();
      await closeDeps(deps);
    },
  };
}

export function reading(
  watchId: string,
  atIso: string,
  systolic: number,
  diastolic: number,
  pulse: number,
): BpReading {
  return { watch_id: watchId, at: new Date(atIso), systolic, diastolic, pulse };
}

export interface DayFields {
  avg: [number, number];
  last: { at: string; systolic: number; diastolic: number; daypart: Daypart };
  heart_rate: number;
  sleep_hours: number;
  steps: number;
  in_target_pct: number;
  bp_category: BpCategory;
  reading_count: number;
}

export function dailyDoc(watchId: string, day: string, timezone: string, fields: DayFields): WatchDaily {
  return {
    watch_id: watchId,
    day,
    timezone,
    avg_systolic: fields.avg[0],
    avg_diastolic: fields.avg[1],
    last_reading: { ...fields.last, at: new Date(fields.last.at) },
    heart_rate: fields.heart_rate,
    sleep_hours: fields.sleep_hours,
    steps: fields.steps,
    in_target_pct: fields.in_target_pct,
    bp_category: fields.bp_category,
    reading_count: fields.reading_count,
  };
}

/** A reading as the tools return it, written out by hand in the tests. */
export function readingView(
  at: string,
  localTime: string,
  daypart: Daypart,
  pressure: [number, number],
  pulse: number,
  category: BpCategory,
) {
  return {
    at,
    local_time: localTime,
    day: localTime.slice(0, 10),
    daypart,
    systolic: pressure[0],
    diastolic: pressure[1],
    pulse,
    category,
  };
}

export function okData(result: ToolResult): unknown {
  if (!result.ok) throw new Error(`tool failed: ${result.error.code}: ${result.error.message}`);
  return result.data;
}

export const READINGS_TOOL_NAMES = READINGS_TOOLS.map((tool) => tool.name);
