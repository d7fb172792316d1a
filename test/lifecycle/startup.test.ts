// Start-up of every long-running mode: config fail-fast, ordered dependency checks, and shutdown.
import { describe, expect, test } from "bun:test";
import { freePort, PRODUCTION_REQUIRED, spawnHilo, stackEnv } from "../support/processes";

describe("start-up", () => {
  test("production with no config exits non-zero naming every missing variable", async () => {
    const hilo = spawnHilo(["api"], { HILO_ENV: "production" });
    expect(await hilo.exited).toBe(2);
    for (const name of PRODUCTION_REQUIRED) {
      expect(hilo.output()).toContain(`${name}: is required`);
    }
  });

  test("an unreachable dependency stops start-up, named, after the ones before it passed", async () => {
    const closedPort = await freePort();
    const hilo = spawnHilo(
      ["api"],
      stackEnv({
        MONGO_URL: `mongodb://127.0.0.1:${closedPort}/hilo?directConnection=true`,
        HILO_STARTUP_CHECK_TIMEOUT_MS: "1500",
        HILO_LOG_LEVEL: "info",
        PORT: String(await freePort()),
      }),
    );
    expect(await hilo.exited).toBe(3);
    const output = hilo.output();
    expect(output).toContain("app_mysql ok");
    expect(output).toContain("users_mysql ok");
    expect(output).toContain("mongodb is unreachable");
    expect(output).not.toContain("postgres ok");
    expect(output).not.toContain("listening");
  });

  test("a dependency that accepts connections but never answers times out instead of hanging", async () => {
    // A TCP listener that never speaks: the Redis client connects and then waits forever.
    const silent = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    try {
      const started = performance.now();
      const hilo = spawnHilo(
        ["api"],
        stackEnv({
          REDIS_URL: `redis://127.0.0.1:${silent.port}`,
          HILO_STARTUP_CHECK_TIMEOUT_MS: "1000",
          PORT: String(await freePort()),
        }),
      );
      expect(await hilo.exited).toBe(3);
      expect(hilo.output()).toContain("redis is unreachable");
      expect(performance.now() - started).toBeLessThan(10_000);
    } finally {
      silent.stop(true);
    }
  });
});

describe("graceful shutdown", () => {
  test("api serves, then on SIGTERM stops accepting, closes clients and exits 0", async () => {
    const port = await freePort();
    const hilo = spawnHilo(
      ["api"],
      stackEnv({ PORT: String(port), HOST: "127.0.0.1", HILO_LOG_LEVEL: "info" }),
    );
    await hilo.waitFor('"msg":"ready"');
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);

    hilo.proc.kill("SIGTERM");
    expect(await hilo.exited).toBe(0);
    const output = hilo.output();
    expect(output.indexOf("shutting down")).toBeLessThan(output.indexOf('"msg":"stopped"'));
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });

  for (const mode of ["worker", "scheduler"]) {
    test(`${mode} starts through the same lifecycle and exits 0 on SIGTERM`, async () => {
      const hilo = spawnHilo(
        [mode],
        stackEnv({ HILO_LOG_LEVEL: "info", REDIS_URL: `${process.env.REDIS_URL}/9` }),
      );
      await hilo.waitFor('"msg":"ready"');
      expect(hilo.output()).toContain("app_mysql ok");
      hilo.proc.kill("SIGTERM");
      expect(await hilo.exited).toBe(0);
      expect(hilo.output()).toContain('"msg":"stopped"');
    });
  }
});
