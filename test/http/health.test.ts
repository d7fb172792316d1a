// GET /health: ok with the stack up; degraded (and still serving) when a dependency goes away.
import { afterAll, describe, expect, test } from "bun:test";
import { startPrivateRedis } from "../support/private-redis";
import { buildTestApp, clientHeaders, newUserId, seedUserProfile } from "../support/stack";

interface Health {
  status: string;
  checks: Record<string, boolean>;
  version: string;
}

async function health(app: ReturnType<typeof buildTestApp>): Promise<Health> {
  const response = await app.request("/health");
  expect(response.status).toBe(200);
  return (await response.json()) as Health;
}

describe("GET /health", () => {
  const app = buildTestApp();
  afterAll(() => app.close());

  test("needs no API key and reports every dependency ok on the local stack", async () => {
    const report = await health(app);
    expect(report).toEqual({
      status: "ok",
      checks: { app_mysql: true, users_mysql: true, mongodb: true, postgres: true, redis: true, model: true },
      version: expect.any(String),
    });
  });
});

describe("a flood of /health", () => {
  test("costs the datastores one probe round per reuse window, however many calls arrive", async () => {
    const app = buildTestApp({ HILO_HEALTH_REUSE_MS: "1000" });
    try {
      let rounds = 0;
      const check = app.deps.appDb.check.bind(app.deps.appDb);
      app.deps.appDb.check = async () => {
        rounds++;
        await Bun.sleep(50); // a slow database: calls arriving meanwhile must join this round
        return check();
      };
      const first = await Promise.all(Array.from({ length: 200 }, () => health(app)));
      expect(rounds).toBe(1);
      for (const report of first) expect(report.status).toBe("ok");
      await Promise.all(Array.from({ length: 200 }, () => health(app)));
      expect(rounds).toBe(1);
      await Bun.sleep(1_100);
      await Promise.all(Array.from({ length: 50 }, () => health(app)));
      expect(rounds).toBe(2);
    } finally {
      await app.close();
    }
  });
});

describe("a dependency going away at run time", () => {
  test("health says degraded, other routes keep serving, and it recovers when the dependency returns", async () => {
    const redis = await startPrivateRedis();
    // Every call probes here (no reuse), so the verdict changes the moment the dependency does.
    const app = buildTestApp({
      REDIS_URL: redis.url,
      HILO_HEALTH_CHECK_TIMEOUT_MS: "300",
      HILO_HEALTH_REUSE_MS: "0",
    });
    try {
      expect((await health(app)).checks.redis).toBe(true);

      await redis.stop(false);
      const degraded = await health(app);
      expect(degraded.status).toBe("degraded");
      expect(degraded.checks.redis).toBe(false);
      expect(degraded.checks.app_mysql).toBe(true);

      const user = newUserId("deg");
      await seedUserProfile({ userId: user, watchId: `w-${user}`, firstName: "Dee", timezone: "UTC" });
      expect((await app.request("/v1/me", { headers: clientHeaders(user) })).status).toBe(200);

      await redis.start();
      let recovered = false;
      for (let i = 0; i < 40 && !recovered; i++) {
        recovered = (await health(app)).status === "ok";
        if (!recovered) await Bun.sleep(100);
      }
      expect(recovered).toBe(true);
    } finally {
      await app.close();
      await redis.dispose();
    }
  });
});
