// The health monitor's alerts: edge-triggered (one on turning bad, one on recovery), continued across a
// monitor restart from the state in Redis, and never held up by a webhook that is down or slow. The
// webhook is a Bun.serve on loopback.
import { afterAll, describe, expect, test } from "bun:test";
import { closeDeps, createDeps } from "../../src/infra/deps";
import {
  alertText,
  collectHealthChecks,
  createHealthMonitor,
  type HealthMonitor,
  type HealthSources,
  startMonitorLoop,
} from "../../src/jobs/health-monitor";
import { createNotifier, type Notifier } from "../../src/jobs/notifier";
import { createJobProducer } from "../../src/jobs/producer";
import type { Logger } from "../../src/observability/logger";
import { testConfig } from "../support/stack";
import { recordingQueue, removeQueue, testRedis, uniquePrefix } from "./support";

const redis = testRedis();
const deps = createDeps(testConfig());
const cleanups: (() => Promise<unknown>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  await closeDeps(deps);
  redis.disconnect();
});

interface LogLine {
  level: string;
  message: string;
  fields: Record<string, unknown>;
}

function capturingLogger(lines: LogLine[] = []): Logger & { lines: LogLine[] } {
  const at =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      lines.push({ level, message, fields });
    };
  const log = {
    lines,
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    child: () => log,
  };
  return log;
}

/** A webhook receiver on loopback that records each `text` it is sent. */
function startReceiver(answer: () => Promise<Response> = async () => new Response("ok")) {
  const texts: string[] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: async (request) => {
      const body = (await request.json()) as { text: string };
      texts.push(body.text);
      return answer();
    },
  });
  cleanups.push(async () => server.stop(true));
  return { url: `http://127.0.0.1:${server.port}/hook`, texts, server };
}

/** Sources whose only check is one dependency the test turns up and down. */
function switchableSources(state: { up: boolean }): HealthSources {
  return {
    probe: async () => ({ "test-dependency": state.up }),
    producer: createJobProducer(redis, uniquePrefix()),
    queues: [],
    db: deps.appDb.db,
    schedules: [],
  };
}

function stateKeyOfTest(): string {
  const key = `${uniquePrefix()}:monitor-state`;
  cleanups.push(() => redis.del(key));
  return key;
}

function monitorOver(stateKey: string, notifier: Notifier, state: { up: boolean }, log: Logger) {
  return createHealthMonitor({ redis, log, notifier, sources: switchableSources(state), stateKey });
}

describe("edge-triggered alerts", () => {
  test("bad, bad, good sends exactly two notifications: the alert and the recovery", async () => {
    const receiver = startReceiver();
    const log = capturingLogger();
    const notifier = createNotifier(receiver.url, log);
    const state = { up: false };
    const monitor = monitorOver(stateKeyOfTest(), notifier, state, log);

    expect(await monitor.tick()).toHaveLength(1);
    expect(await monitor.tick()).toHaveLength(0);
    state.up = true;
    expect(await monitor.tick()).toHaveLength(1);
    await monitor.settled();

    expect(receiver.texts).toEqual([
      ":rotating_light: hilo alert: dependency:test-dependency (unreachable)",
      ":white_check_mark: hilo recovered: dependency:test-dependency (reachable)",
    ]);
  });

  test("a check that starts good and stays good sends nothing", async () => {
    const receiver = startReceiver();
    const log = capturingLogger();
    const monitor = monitorOver(stateKeyOfTest(), createNotifier(receiver.url, log), { up: true }, log);
    await monitor.tick();
    await monitor.tick();
    await monitor.settled();
    expect(receiver.texts).toEqual([]);
  });

  test("a new monitor over the same Redis state does not repeat an alert, and reports the recovery", async () => {
    const receiver = startReceiver();
    const log = capturingLogger();
    const stateKey = stateKeyOfTest();
    const state = { up: false };
    const first = monitorOver(stateKey, createNotifier(receiver.url, log), state, log);
    await first.tick();
    await first.settled();

    // The failover: another scheduler's monitor, built from nothing but the shared Redis state.
    const second = monitorOver(stateKey, createNotifier(receiver.url, log), state, log);
    expect(await second.tick()).toHaveLength(0);
    state.up = true;
    await second.tick();
    await second.settled();

    expect(receiver.texts).toHaveLength(2);
    expect(receiver.texts[0]).toContain("hilo alert");
    expect(receiver.texts[1]).toContain("hilo recovered");
  });

  test("two monitors ticking the same change at once announce it once", async () => {
    const receiver = startReceiver();
    const log = capturingLogger();
    const stateKey = stateKeyOfTest();
    const state = { up: false };
    const a = monitorOver(stateKey, createNotifier(receiver.url, log), state, log);
    const b = monitorOver(stateKey, createNotifier(receiver.url, log), state, log);
    await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
    await Promise.all([a.settled(), b.settled()]);
    expect(receiver.texts).toHaveLength(1);
  });
});

describe("a webhook that fails", () => {
  const fast = { timeoutMs: 200, retries: 2, retryPauseMs: 10 };

  test("down: the tick returns at once, the alert is logged with every attempt, nothing throws", async () => {
    // A port that was just freed: connections to it are refused.
    const gone = startReceiver();
    gone.server.stop(true);
    const log = capturingLogger();
    const monitor = monitorOver(stateKeyOfTest(), createNotifier(gone.url, log, fast), { up: false }, log);

    const started = performance.now();
    expect(await monitor.tick()).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(1_000);
    await monitor.settled();

    expect(log.lines.filter((line) => line.message === "alert webhook failed")).toHaveLength(3);
    const given = log.lines.find((line) => line.message === "alert not delivered");
    expect(given?.fields.text).toBe(":rotating_light: hilo alert: dependency:test-dependency (unreachable)");
  });

  test("slow: the tick returns on time while delivery times out after its retries", async () => {
    let calls = 0;
    const slow = startReceiver(async () => {
      calls++;
      await Bun.sleep(2_000);
      return new Response("late");
    });
    const log = capturingLogger();
    const monitor = monitorOver(stateKeyOfTest(), createNotifier(slow.url, log, fast), { up: false }, log);

    const started = performance.now();
    await monitor.tick();
    expect(performance.now() - started).toBeLessThan(150);
    await monitor.settled();
    // Three attempts of 200 ms and two pauses: well under one slow answer.
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(calls).toBe(3);
    expect(log.lines.some((line) => line.message === "alert not delivered")).toBe(true);
  });

  test("an error status is retried, and a later success delivers once", async () => {
    let calls = 0;
    const flaky = startReceiver(async () => {
      calls++;
      return new Response(null, { status: calls === 1 ? 503 : 200 });
    });
    const log = capturingLogger();
    await createNotifier(flaky.url, log, fast).notify("hello");
    expect(flaky.texts).toEqual(["hello", "hello"]);
    expect(log.lines.some((line) => line.message === "alert not delivered")).toBe(false);
  });

  test("no webhook configured: the alert is only logged", async () => {
    const log = capturingLogger();
    await createNotifier(undefined, log).notify("only in the log");
    expect(log.lines).toEqual([
      { level: "warn", message: "alert", fields: { text: "only in the log", delivered: false } },
    ]);
  });
});

describe("checks", () => {
  test("a queue's depth and failed jobs are checks of their own", async () => {
    const prefix = uniquePrefix();
    const queue = recordingQueue(`monitor-${prefix.slice(-8)}`, []);
    cleanups.push(() => removeQueue(redis, prefix, queue.name));
    const producer = createJobProducer(redis, prefix);
    cleanups.push(() => producer.close());
    await producer.enqueue(queue, { n: 1 }, "one");

    const checks = await collectHealthChecks(
      { probe: async () => ({}), producer, queues: [queue], db: deps.appDb.db, schedules: [] },
      new Date(),
    );
    expect(checks).toEqual([
      { name: `queue:${queue.name}:depth`, ok: true, detail: "1 waiting" },
      { name: `queue:${queue.name}:failed`, ok: true, detail: "0 failed" },
    ]);
  });

  test("a queue's own depth threshold replaces the default: a QA backlog is no alarm, a shallow queue's is", async () => {
    const prefix = uniquePrefix();
    const shallow = { ...recordingQueue(`shallow-${prefix.slice(-8)}`, []), depthAlert: 2 };
    const deep = { ...recordingQueue(`deep-${prefix.slice(-8)}`, []), depthAlert: 20_001 };
    cleanups.push(() => removeQueue(redis, prefix, shallow.name));
    cleanups.push(() => removeQueue(redis, prefix, deep.name));
    const producer = createJobProducer(redis, prefix);
    cleanups.push(() => producer.close());
    for (let i = 0; i < 2; i++) await producer.enqueue(shallow, { n: i }, `s${i}`);
    for (let i = 0; i < 150; i++) await producer.enqueue(deep, { n: i }, `d${i}`);

    const checks = await collectHealthChecks(
      { probe: async () => ({}), producer, queues: [shallow, deep], db: deps.appDb.db, schedules: [] },
      new Date(),
    );
    expect(checks.filter((check) => check.name.endsWith(":depth"))).toEqual([
      { name: `queue:${shallow.name}:depth`, ok: false, detail: "2 waiting" },
      { name: `queue:${deep.name}:depth`, ok: true, detail: "150 waiting" },
    ]);
  });

  test("an alert's text names the check and its detail", () => {
    expect(alertText({ check: { name: "schedule:x", ok: false, detail: "overdue" }, was: "ok" })).toBe(
      ":rotating_light: hilo alert: schedule:x (overdue)",
    );
  });
});

describe("the monitor loop", () => {
  test("ticks only while its scheduler leads, and stop waits for the tick under way", async () => {
    let ticks = 0;
    const monitor: HealthMonitor = {
      tick: async () => {
        ticks++;
        return [];
      },
      settled: async () => {},
    };
    let leader = false;
    const loop = startMonitorLoop(monitor, () => leader, capturingLogger(), 20);
    await Bun.sleep(100);
    expect(ticks).toBe(0);
    leader = true;
    await Bun.sleep(100);
    await loop.stop();
    const afterStop = ticks;
    expect(afterStop).toBeGreaterThan(1);
    await Bun.sleep(60);
    expect(ticks).toBe(afterStop);
  });
});
