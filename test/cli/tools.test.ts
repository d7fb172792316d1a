// `hilo tools`: listing the agent's tools and running one for a seeded user against the local stack,
// printing exactly the envelope the model would receive.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { randomUUID } from "node:crypto";
import { MongoClient } from "mongodb";
import { chatTools } from "../../src/chat/tools";
import { createMemoryPoolCache } from "../../src/memory/cache";
import { ensureReadingsIndexes } from "../../src/readings/documents";
import { MAIN, ROOT, stackEnv } from "../support/processes";
import { newUserId, requireEnv, seedUserProfile } from "../support/stack";

interface Finished {
  code: number;
  stdout: string;
  stderr: string;
}

async function hilo(args: string[], overrides: Record<string, string> = {}): Promise<Finished> {
  const proc = Bun.spawn(["bun", MAIN, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...stackEnv(overrides) },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { code, stdout, stderr };
}

const userId = newUserId("cli-tools");
const watchId = `watch-cli-${randomUUID().slice(0, 12)}`;
// Two minutes ago, to the whole second: today in UTC (the user's zone) unless run at 00:00-00:02 UTC.
const at = new Date(Math.floor((Date.now() - 120_000) / 1000) * 1000);
let mongo: MongoClient;

beforeAll(async () => {
  await seedUserProfile({ userId, watchId, firstName: "Cli", timezone: "UTC" });
  mongo = new MongoClient(requireEnv("MONGO_URL"));
  const db = mongo.db();
  await ensureReadingsIndexes(db);
  await db
    .collection("bp_readings")
    .insertOne({ watch_id: watchId, at, systolic: 131, diastolic: 84, pulse: 67 });
});

afterAll(async () => {
  await mongo.db().collection("bp_readings").deleteMany({ watch_id: watchId });
  await mongo.close();
});

describe("hilo tools", () => {
  test("list names every tool the agent has, one line each with the first line of its description", async () => {
    const result = await hilo(["tools", "list"]);
    expect(result.code).toBe(0);
    for (const name of [
      "get_current_datetime",
      "calculate",
      "summarize_last_n_days",
      "get_latest_bp_reading",
    ]) {
      expect(result.stdout).toContain(name);
    }
    expect(result.stdout).toContain("Get the user's most recent blood-pressure reading.");
    expect(result.stdout.trim().split("\n")).toHaveLength(chatTools(createMemoryPoolCache()).length);
  });

  test("run prints the model's envelope for the seeded user's watch, in the profile's zone", async () => {
    const result = await hilo(["tools", "run", "get_latest_bp_reading", "--user", userId]);
    expect(result.code).toBe(0);
    const iso = at.toISOString();
    const today = iso.slice(0, 10);
    expect(JSON.parse(result.stdout)).toEqual({
      ok: true,
      data: {
        status: "ok",
        reading: {
          at: iso,
          local_time: `${today} ${iso.slice(11, 16)}`,
          day: today,
          daypart: expect.any(String),
          systolic: 131,
          diastolic: 84,
          pulse: 67,
          category: "High-Normal",
        },
        as_of: today,
        days_since_as_of: 0,
        stale: false,
      },
    });
  });

  test("--tz overrides the profile's zone and --args reaches the tool", async () => {
    const result = await hilo([
      "tools",
      "run",
      "summarize_last_n_days",
      "--user",
      userId,
      "--tz",
      "Asia/Kathmandu",
      "--args",
      '{"days":3}',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: true,
      data: { window: { days: 3, timezone: "Asia/Kathmandu" } },
    });
  });

  test("a user_id argument is refused exactly as the model would see it", async () => {
    const result = await hilo([
      "tools",
      "run",
      "summarize_last_n_days",
      "--user",
      userId,
      "--args",
      '{"user_id":"x"}',
    ]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: { code: "invalid_arguments" } });
  });

  test("an unknown tool gets the unknown_tool envelope", async () => {
    const result = await hilo(["tools", "run", "get_weather", "--user", userId]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      ok: false,
      error: { code: "unknown_tool", message: "no tool named get_weather" },
    });
  });

  test("a user without a profile has no watch: not_found", async () => {
    const result = await hilo(["tools", "run", "get_latest_bp_reading", "--user", newUserId("nobody")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("no profile for user");
    expect(JSON.parse(result.stdout)).toEqual({
      ok: false,
      error: { code: "not_found", message: "no watch is linked to this user" },
    });
  });

  test.each([
    [["tools", "run", "get_latest_bp_reading"], "--user"],
    [["tools", "run", "--user", "u"], "tool name"],
    [["tools", "run", "get_latest_bp_reading", "--user", "u", "--tz", "+05:00"], "IANA"],
    [["tools", "run", "get_latest_bp_reading", "--user", "u", "--color"], "--color"],
    [["tools", "frobnicate"], "unknown subcommand"],
  ])("usage errors exit 64: %j", async (args, message) => {
    const result = await hilo(args);
    expect(result.code).toBe(64);
    expect(result.stderr).toContain(message);
  });

  test("MongoDB unreachable stops with exit 3 naming it", async () => {
    const result = await hilo(["tools", "run", "get_latest_bp_reading", "--user", userId], {
      MONGO_URL: "mongodb://127.0.0.1:9/hilo?directConnection=true",
      HILO_STARTUP_CHECK_TIMEOUT_MS: "500",
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("mongodb is unreachable");
    expect(result.stdout).toBe("");
  });
});
