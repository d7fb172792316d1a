/**
 * Latency and round trips of every health tool against the local stack's MongoDB.
 *
 * Seeds a dedicated database (`bench_tools`, dropped first) with one user's 365 days of watch data
 * (about 4 readings a day) and 50 other users of noise, then runs each tool through the registry,
 * exactly as the chat loop will, and prints p50/p95 latency and MongoDB commands per call (counted
 * with the driver's command monitoring).
 *
 *   set -a; source .local/stack.env; set +a; bun scripts/bench/tools.ts [--iterations 200]
 */
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { createToolRegistry } from "../../src/agent/registry";
import type { ToolContext } from "../../src/agent/tool";
import { READINGS_TOOLS } from "../../src/agent/tools/readings/index";
import { loadConfig } from "../../src/config/index";
import { closeDeps, createDeps } from "../../src/infra/deps";
import { createLlm } from "../../src/llm/client";
import { createLogger } from "../../src/observability/logger";
import type { TargetBand } from "../../src/readings/bp-category";
import {
  bpReadingsCollection,
  ensureReadingsIndexes,
  watchDailyCollection,
} from "../../src/readings/documents";
import { localDay } from "../../src/readings/local-day";
import { generateWatchData, type ProfileName } from "../seed/watch-data";

const BENCH_DATABASE = "bench_tools";
const DAYS = 365;
const NOISE_USERS = 50;
const TARGET_P95_MS = 25;
const WARMUP_CALLS = 10;
const INSERT_BATCH = 2_000;
const BAND: TargetBand = { systolicMin: 90, systolicMax: 130, diastolicMin: 60, diastolicMax: 85 };
const MAIN_USER = {
  watchId: "bench-main",
  timezone: "America/New_York",
  profile: "improving" as ProfileName,
};
const NOISE_ZONES = ["Europe/London", "Asia/Kathmandu", "Pacific/Chatham", "America/St_Johns", "Asia/Tokyo"];

/** What each tool is run with: its defaults, and the heaviest windows it offers. */
const CASES: { tool: string; args: Record<string, unknown> }[] = [
  { tool: "summarize_last_n_days", args: {} },
  { tool: "summarize_last_n_days", args: { days: 365 } },
  { tool: "get_latest_bp_reading", args: {} },
  { tool: "get_bp_reading_history", args: {} },
  { tool: "get_bp_reading_history", args: { days: 90, daypart: "morning", systolic_min: 130, limit: 200 } },
  { tool: "get_bp_metrics_summary", args: {} },
  { tool: "get_bp_metrics_summary", args: { days: 365 } },
  { tool: "get_morning_vs_evening_delta", args: {} },
  { tool: "get_morning_vs_evening_delta", args: { days: 365 } },
  { tool: "get_rolling_bp_average", args: {} },
  { tool: "get_rolling_bp_average", args: { days: 365, rolling_days: 30 } },
  { tool: "get_user_sleep_metrics", args: {} },
  { tool: "get_user_sleep_metrics", args: { days: 365 } },
  { tool: "get_user_step_metrics", args: {} },
  { tool: "get_user_heart_rate_metrics", args: {} },
  { tool: "get_user_heart_rate_metrics", args: { days: 365 } },
];

/** The stack's MongoDB URL with the bench database and command monitoring switched on. */
function benchMongoUrl(base: string): string {
  const url = new URL(base);
  url.pathname = `/${BENCH_DATABASE}`;
  url.searchParams.set("monitorCommands", "true");
  return url.toString();
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const { values } = parseArgs({ options: { iterations: { type: "string", default: "200" } } });
const iterations = Number(values.iterations);
if (!Number.isInteger(iterations) || iterations < 1)
  throw new Error("--iterations must be a positive integer");

const base = loadConfig(process.env);
const config = loadConfig({ ...process.env, MONGO_URL: benchMongoUrl(base.MONGO_URL) });
const deps = createDeps(config);
let commands = 0;
deps.mongo.client.on("commandStarted", () => {
  commands += 1;
});

try {
  const db = deps.mongo.db;
  const now = new Date();
  const seedStarted = performance.now();
  await db.dropDatabase();
  await ensureReadingsIndexes(db);
  const users = [
    MAIN_USER,
    ...Array.from({ length: NOISE_USERS }, (_, i) => ({
      watchId: `bench-noise-${String(i).padStart(2, "0")}`,
      timezone: NOISE_ZONES[i % NOISE_ZONES.length] ?? "UTC",
      profile: (i % 2 === 0 ? "steady" : "improving") as ProfileName,
    })),
  ];
  let readingCount = 0;
  let mainReadings = 0;
  for (const user of users) {
    const data = generateWatchData({
      watchId: user.watchId,
      timeZone: user.timezone,
      days: DAYS,
      endDay: localDay(now, user.timezone),
      profile: user.profile,
      targetBand: BAND,
      notAfter: now,
    });
    for (let i = 0; i < data.readings.length; i += INSERT_BATCH) {
      await bpReadingsCollection(db).insertMany(data.readings.slice(i, i + INSERT_BATCH), { ordered: false });
    }
    await watchDailyCollection(db).insertMany(data.daily, { ordered: false });
    readingCount += data.readings.length;
    if (user === MAIN_USER) mainReadings = data.readings.length;
  }
  console.log(
    `seeded ${users.length} users, ${readingCount} readings (${mainReadings} for ${MAIN_USER.watchId}) ` +
      `in ${Math.round(performance.now() - seedStarted)} ms; ${iterations} calls per case\n`,
  );

  const registry = createToolRegistry(READINGS_TOOLS);
  const ctx: ToolContext = {
    userId: "bench-user",
    watchId: MAIN_USER.watchId,
    timezone: MAIN_USER.timezone,
    sessionId: "bench",
    turnId: `bench-${randomUUID()}`,
    deps,
    llm: createLlm(deps.openai.client, { log: createLogger("warn") }),
    log: createLogger("warn"),
    signal: new AbortController().signal,
    now: () => now,
  };

  const header = ["tool", "args", "p50 ms", "p95 ms", "max ms", "round trips", `p95 ≤ ${TARGET_P95_MS}`];
  const rows: string[][] = [];
  const overTarget: string[] = [];
  for (const { tool, args } of CASES) {
    const raw = JSON.stringify(args);
    for (let i = 0; i < WARMUP_CALLS; i++) await registry.run(tool, raw, ctx);
    const latencies: number[] = [];
    const trips = new Set<number>();
    for (let i = 0; i < iterations; i++) {
      const before = commands;
      const started = performance.now();
      const result = await registry.run(tool, raw, ctx);
      latencies.push(performance.now() - started);
      trips.add(commands - before);
      if (!result.ok) throw new Error(`${tool} failed: ${result.error.code}: ${result.error.message}`);
    }
    latencies.sort((a, b) => a - b);
    const p95 = percentile(latencies, 95);
    if (p95 > TARGET_P95_MS) overTarget.push(`${tool} ${raw}`);
    rows.push([
      tool,
      raw,
      percentile(latencies, 50).toFixed(1),
      p95.toFixed(1),
      (latencies.at(-1) ?? Number.NaN).toFixed(1),
      [...trips].sort().join("/"),
      p95 <= TARGET_P95_MS ? "yes" : "NO",
    ]);
  }
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ");
  console.log(line(header));
  console.log(line(widths.map((width) => "-".repeat(width))));
  for (const row of rows) console.log(line(row));
  console.log(
    overTarget.length === 0
      ? `\nevery case is within p95 ≤ ${TARGET_P95_MS} ms`
      : `\nover p95 ${TARGET_P95_MS} ms: ${overTarget.join("; ")}`,
  );
} finally {
  // The bench data is disposable; a failed drop must not hide the error that got us here.
  await deps.mongo.db.dropDatabase().catch(() => {});
  await closeDeps(deps);
}
