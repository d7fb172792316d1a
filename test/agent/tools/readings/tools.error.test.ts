// Failures the model must be told about: bad arguments, and MongoDB being unreachable (the turn goes on
// with an error envelope instead of an exception).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createToolRegistry } from "../../../../src/agent/registry";
import { READINGS_TOOLS } from "../../../../src/agent/tools/readings/index";
import { closeDeps, createDeps } from "../../../../src/infra/deps";
import { testConfig } from "../../../support/stack";
import { READINGS_TOOL_NAMES, type ToolHarness, toolContext, toolHarness, type Who } from "./harness";

const who: Who = { watchId: "watch-errors", timezone: "Europe/Paris", now: "2026-05-20T12:00:00Z" };

describe("bad arguments", () => {
  let harness: ToolHarness;
  beforeAll(async () => {
    harness = await toolHarness();
  });
  afterAll(async () => {
    await harness.close();
  });

  const cases: [string, unknown][] = [
    ["summarize_last_n_days", { days: 0 }],
    ["summarize_last_n_days", { days: 366 }],
    ["summarize_last_n_days", { days: 1.5 }],
    ["summarize_last_n_days", { days: "7" }],
    ["get_bp_reading_history", { limit: 201 }],
    ["get_bp_reading_history", { limit: 0 }],
    ["get_bp_reading_history", { daypart: "noon" }],
    ["get_bp_reading_history", { systolic_min: 140, systolic_max: 120 }],
    ["get_bp_reading_history", { diastolic_min: 95, diastolic_max: 85 }],
    ["get_rolling_bp_average", { rolling_days: 1 }],
    ["get_rolling_bp_average", { rolling_days: 31 }],
    ["get_latest_bp_reading", { days: 7 }],
    ["get_user_sleep_metrics", "[1, 2]"],
    ["get_user_step_metrics", "{not json"],
  ];

  test.each(cases)("%s %j is refused before any query", async (name, args) => {
    const result = await harness.run(name, args, who);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe("invalid_arguments");
  });

  test("an empty argument string means the defaults", async () => {
    expect(await harness.run("summarize_last_n_days", "", who)).toMatchObject({
      ok: true,
      data: { status: "no_readings", window: { days: 7 } },
    });
  });
});

describe("MongoDB unreachable", () => {
  // The real deps graph with MongoDB on a port nothing listens on; the start-up timeout is also the
  // client's server-selection timeout, so each call fails after 300 ms.
  const deps = createDeps(
    testConfig({
      MONGO_URL: "mongodb://127.0.0.1:9/hilo?directConnection=true",
      HILO_STARTUP_CHECK_TIMEOUT_MS: "300",
    }),
  );
  const registry = createToolRegistry(READINGS_TOOLS);

  afterAll(async () => {
    await closeDeps(deps);
  });

  test.each(READINGS_TOOL_NAMES)("%s returns the unavailable envelope", async (name) => {
    const result = await registry.run(name, "{}", toolContext(deps, who));
    expect(result).toEqual({
      ok: false,
      error: { code: "unavailable", message: `${name} is temporarily unavailable` },
    });
  });
});
