// The job metrics: a job run through the worker moves hilo_job_duration_seconds by queue and outcome,
// hilo_queue_jobs reports the queue's counts at each scrape (keeping the last ones when Redis does not
// answer), and the worker and scheduler processes serve /metrics on HILO_METRICS_PORT and stop serving
// it on SIGTERM.
import { afterAll, describe, expect, test } from "bun:test";
import { Queue } from "bullmq";
import { eq } from "drizzle-orm";
import { startWorkerProcess } from "../../src/cli/worker";
import { backgroundTasks } from "../../src/db/schema";
import { closeDeps, createDeps } from "../../src/infra/deps";
import { createLogger } from "../../src/observability/logger";
import { createMetrics, type Metrics, serveMetricsPort } from "../../src/observability/metrics";
import { freePort, spawnHilo, stackEnv } from "../support/processes";
import { testConfig } from "../support/stack";
import { recordingQueue, removeQueue, testRedis, uniquePrefix } from "./support";

const redis = testRedis();
const log = createLogger("error");
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  redis.disconnect();
});

/** The value of the one sample with this name and these labels (exactly), or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? "").matchAll(/([a-zA-Z_]\w*)="([^"]*)"/g))
      found[key as string] = value as string;
    const wanted = Object.entries(labels);
    if (wanted.length === Object.keys(found).length && wanted.every(([key, value]) => found[key] === value))
      return Number(match[3]);
  }
  return undefined;
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await Bun.sleep(20);
  }
}

describe("job metrics", () => {
  test("a worker process records job durations by outcome, reports queue counts and serves /metrics on its port", async () => {
    const port = await freePort();
    const metrics = createMetrics({ processMetrics: false });
    const deps = createDeps({ ...testConfig(), HILO_METRICS_PORT: port }, undefined, metrics);
    const prefix = uniquePrefix();
    const seen: number[] = [];
    const declaration = recordingQueue(`metrics-${Bun.randomUUIDv7().slice(-8)}`, seen);
    cleanups.push(async () => {
      await deps.appDb.db.delete(backgroundTasks).where(eq(backgroundTasks.kind, declaration.name));
      await removeQueue(redis, prefix, declaration.name);
      await closeDeps(deps);
    });
    const queue = new Queue(declaration.name, { connection: redis, prefix });
    const service = await startWorkerProcess(deps, log, [declaration], {
      redisUrl: testConfig().REDIS_URL,
      prefix,
    });
    const scrape = async () => {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain("text/plain");
      return response.text();
    };
    const done = { queue: declaration.name, outcome: "done" };
    const failed = { queue: declaration.name, outcome: "failed" };
    try {
      const before = await scrape();
      expect(sample(before, "hilo_job_duration_seconds_count", done) ?? 0).toBe(0);
      for (const state of ["waiting", "active", "delayed", "failed"]) {
        expect(sample(before, "hilo_queue_jobs", { queue: declaration.name, state })).toBe(0);
      }

      await queue.add(declaration.name, { n: 1 }, { jobId: "good" });
      // Straight onto the queue: the producer would refuse this payload; it fails without a retry.
      await queue.add(declaration.name, { n: "one" }, { jobId: "bad", attempts: 3 });
      await until(async () => {
        const text = await scrape();
        return (
          sample(text, "hilo_job_duration_seconds_count", done) === 1 &&
          sample(text, "hilo_job_duration_seconds_count", failed) === 1 &&
          sample(text, "hilo_queue_jobs", { queue: declaration.name, state: "failed" }) === 1
        );
      });
      const after = await scrape();
      expect(seen).toEqual([1]);
      expect(sample(after, "hilo_job_duration_seconds_sum", done)).toBeGreaterThan(0);
      expect(sample(after, "hilo_job_duration_seconds_bucket", { ...done, le: "+Inf" })).toBe(1);
      expect(sample(after, "hilo_queue_jobs", { queue: declaration.name, state: "waiting" })).toBe(0);
      expect(sample(after, "hilo_queue_jobs", { queue: declaration.name, state: "active" })).toBe(0);
      expect(after).toContain("# TYPE hilo_job_duration_seconds histogram");
      expect(after).toContain("# TYPE hilo_queue_jobs gauge");
    } finally {
      await queue.close();
      await service.stop();
    }
    // Stopped with the worker: nothing listens on the port any more.
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });

  test("HILO_METRICS_PORT unset: no listener", () => {
    expect(serveMetricsPort(createMetrics(), { hostname: "127.0.0.1", port: undefined }, log)).toBeNull();
  });

  test("a queue Redis does not answer for keeps its last counts and the scrape still answers", async () => {
    const metrics: Metrics = createMetrics({ processMetrics: false });
    let mode: "answer" | "fail" | "hang" = "answer";
    metrics.watchQueues(["q"], async () => {
      if (mode === "fail") throw new Error("Connection is closed.");
      if (mode === "hang") return new Promise(() => {});
      return { waiting: 3, active: 1, delayed: 0, failed: 2 };
    });
    const first = await metrics.render();
    expect(sample(first, "hilo_queue_jobs", { queue: "q", state: "waiting" })).toBe(3);

    mode = "fail";
    const failing = await metrics.render();
    expect(sample(failing, "hilo_queue_jobs", { queue: "q", state: "waiting" })).toBe(3);
    expect(sample(failing, "hilo_queue_jobs", { queue: "q", state: "failed" })).toBe(2);

    mode = "hang";
    const startedAt = performance.now();
    const hanging = await metrics.render();
    expect(performance.now() - startedAt).toBeLessThan(4_000);
    expect(sample(hanging, "hilo_queue_jobs", { queue: "q", state: "active" })).toBe(1);
  });
});

describe("HILO_METRICS_PORT in the worker and the scheduler", () => {
  for (const mode of ["worker", "scheduler"]) {
    test(`hilo ${mode} serves /metrics with every queue's counts on it and closes it on SIGTERM`, async () => {
      const port = await freePort();
      // Redis database 9 like the start-up tests, so no queue of the stack's own is consumed or fired.
      const hilo = spawnHilo(
        [mode],
        stackEnv({
          HILO_LOG_LEVEL: "info",
          HOST: "127.0.0.1",
          HILO_METRICS_PORT: String(port),
          REDIS_URL: `${process.env.REDIS_URL}/9`,
        }),
      );
      try {
        await hilo.waitFor('"msg":"ready"');
        expect(hilo.output()).toContain(`http://127.0.0.1:${port}/metrics`);
        const response = await fetch(`http://127.0.0.1:${port}/metrics`);
        expect(response.status).toBe(200);
        const text = await response.text();
        expect(text).toContain("# TYPE hilo_job_duration_seconds histogram");
        for (const queue of ["claim-retention", "daily-report"]) {
          expect(sample(text, "hilo_queue_jobs", { queue, state: "failed" })).toBeNumber();
        }
        expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(404);
      } finally {
        hilo.proc.kill("SIGTERM");
      }
      expect(await hilo.exited).toBe(0);
      await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
    });
  }
});
