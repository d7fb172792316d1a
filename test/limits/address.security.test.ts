// The per-address limit: X-Forwarded-For is believed only as far as the configured proxies wrote it,
// so a client can neither dodge its own limit nor spend another address's; the count is shared by
// every api instance; /health is never limited; a flood is bounded before the API key is checked.
import { afterAll, describe, expect, test } from "bun:test";
import { randomUUID } from "node:crypto";
import { createApp } from "../../src/app";
import { createChat } from "../../src/chat/chat";
import { closeDeps, createDeps } from "../../src/infra/deps";
import { createLogger } from "../../src/observability/logger";
import { startPrivateRedis } from "../support/private-redis";
import { buildTestApp, TEST_API_KEY, testConfig } from "../support/stack";
import { clientHeaders, limitedApp, limitedApps, newUserId, refusal, type TestApp } from "./harness";

const apps = limitedApps();
afterAll(() => apps.close());

const sessionsFrom = (app: TestApp, forwardedFor?: string, userId = newUserId("addr")) =>
  app.request("/v1/sessions", {
    headers: clientHeaders(userId, forwardedFor === undefined ? {} : { "X-Forwarded-For": forwardedFor }),
  });

describe("without trusted proxies", () => {
  test("X-Forwarded-For is ignored: rotating it does not escape the limit", async () => {
    const app = await apps.open({ HILO_REQUESTS_PER_ADDRESS_PER_MINUTE: "3" });
    for (let i = 0; i < 3; i++) expect((await sessionsFrom(app, `198.51.100.${i}`)).status).toBe(200);
    const refused = await refusal(await sessionsFrom(app, "198.51.100.99"));
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("rate_limited");
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
  });

  test("over a real socket the peer's address counts, whatever the header says", async () => {
    const config = testConfig({ HILO_REQUESTS_PER_ADDRESS_PER_MINUTE: "2" });
    const deps = createDeps(config);
    await deps.redis.check();
    const log = createLogger("error");
    const chat = createChat(deps, log);
    const app = createApp({ deps, log, chat, limits: { keyPrefix: `test-limit:${randomUUID()}` } }).listen({
      hostname: "127.0.0.1",
      port: 0,
    });
    try {
      const url = `http://127.0.0.1:${app.server?.port}/v1/sessions`;
      const get = (forwardedFor: string) =>
        fetch(url, { headers: clientHeaders(newUserId("sock"), { "X-Forwarded-For": forwardedFor }) });
      expect((await get("203.0.113.1")).status).toBe(200);
      expect((await get("203.0.113.2")).status).toBe(200);
      expect((await get("203.0.113.3")).status).toBe(429);
    } finally {
      await app.stop(true);
      await chat.stop();
      await closeDeps(deps);
    }
  });
});

describe("behind trusted proxies", () => {
  test("one hop: the rightmost entry is the client; entries the client wrote are not", async () => {
    const app = await apps.open({ HILO_REQUESTS_PER_ADDRESS_PER_MINUTE: "2", HILO_TRUSTED_PROXY_HOPS: "1" });
    // Spoofed entries to the left change nothing: all three are 203.0.113.7.
    expect((await sessionsFrom(app, "10.0.0.1, 203.0.113.7")).status).toBe(200);
    expect((await sessionsFrom(app, "10.0.0.2, 203.0.113.7")).status).toBe(200);
    expect((await sessionsFrom(app, "203.0.113.7")).status).toBe(429);
    // Another client behind the same proxy has a limit of its own.
    expect((await sessionsFrom(app, "203.0.113.7, 203.0.113.8")).status).toBe(200);
  });

  test("two hops: the second entry from the right is the client", async () => {
    const app = await apps.open({ HILO_REQUESTS_PER_ADDRESS_PER_MINUTE: "1", HILO_TRUSTED_PROXY_HOPS: "2" });
    expect((await sessionsFrom(app, "192.0.2.50, 203.0.113.9, 10.1.1.1")).status).toBe(200);
    // Same client, another CDN edge: still the same client.
    expect((await sessionsFrom(app, "192.0.2.51, 203.0.113.9, 10.1.1.2")).status).toBe(429);
    expect((await sessionsFrom(app, "192.0.2.50, 203.0.113.10, 10.1.1.1")).status).toBe(200);
  });

  test("an IPv6 client counts by its /64, so rotating addresses inside it does not help", async () => {
    const app = await apps.open({ HILO_REQUESTS_PER_ADDRESS_PER_MINUTE: "2", HILO_TRUSTED_PROXY_HOPS: "1" });
    expect((await sessionsFrom(app, "2001:db8:1:2::1")).status).toBe(200);
    expect((await sessionsFrom(app, "2001:db8:1:2:aaaa::7")).status).toBe(200);
    expect((await sessionsFrom(app, "2001:db8:1:2:ffff:ffff:ffff:ffff")).status).toBe(429);
    expect((await sessionsFrom(app, "2001:db8:1:3::1")).status).toBe(200);
  });
});

describe("what the limit covers", () => {
  test("/health is never limited: load balancers poll it", async () => {
    const app = await apps.open({ HILO_REQUESTS_PER_ADDRESS_PER_MINUTE: "1" });
    expect((await sessionsFrom(app)).status).toBe(200);
    expect((await sessionsFrom(app)).status).toBe(429);
    for (let i = 0; i < 3; i++) expect((await app.request("/health")).status).toBe(200);
  });

  test("requests with a wrong API key count, and are refused before the key is checked", async () => {
    const app = await apps.open({ HILO_REQUESTS_PER_ADDRESS_PER_MINUTE: "2" });
    const guess = (key: string) =>
      app.request("/v1/sessions", { headers: { ...clientHeaders(newUserId("guess")), "X-API-Key": key } });
    expect((await guess("wrong-key-0000000001")).status).toBe(401);
    expect((await guess("wrong-key-0000000002")).status).toBe(401);
    expect((await guess(TEST_API_KEY)).status).toBe(429);
  });

  test("every api instance shares the count", async () => {
    const keyPrefix = `test-limit:${randomUUID()}`;
    const overrides = { HILO_REQUESTS_PER_ADDRESS_PER_MINUTE: "2", HILO_TRUSTED_PROXY_HOPS: "1" };
    const first = buildTestApp(overrides, { keyPrefix });
    const second = buildTestApp(overrides, { keyPrefix });
    apps.adopt(first, second);
    // As `hilo api` does at start-up: until its Redis client has connected, an instance counts in memory.
    await Promise.all([first.deps.redis.check(), second.deps.redis.check()]);
    expect((await sessionsFrom(first, "203.0.113.20")).status).toBe(200);
    expect((await sessionsFrom(second, "203.0.113.20")).status).toBe(200);
    expect((await sessionsFrom(first, "203.0.113.20")).status).toBe(429);
    expect((await sessionsFrom(second, "203.0.113.20")).status).toBe(429);
  });

  test("an address is served again after its window", async () => {
    const app = await apps.open({ HILO_REQUESTS_PER_ADDRESS_PER_MINUTE: "1" }, { minuteSeconds: 2 });
    expect((await sessionsFrom(app)).status).toBe(200);
    const refused = await refusal(await sessionsFrom(app));
    expect(refused.status).toBe(429);
    await Bun.sleep(Number(refused.retryAfter) * 1_000 + 100);
    expect((await sessionsFrom(app)).status).toBe(200);
  });
});

describe("a Redis outage", () => {
  test("fails open for reads: each instance keeps counting in memory", async () => {
    const redis = await startPrivateRedis();
    const app = await limitedApp({ REDIS_URL: redis.url, HILO_REQUESTS_PER_ADDRESS_PER_MINUTE: "3" });
    try {
      expect((await sessionsFrom(app)).status).toBe(200);
      await redis.stop(false);
      expect((await sessionsFrom(app)).status).toBe(200);
      expect((await sessionsFrom(app)).status).toBe(200);
      expect((await sessionsFrom(app)).status).toBe(200);
      // Still bounded: the in-memory count of this instance has its own window of three.
      expect((await sessionsFrom(app)).status).toBe(429);
    } finally {
      await app.close();
      await redis.dispose();
    }
  });
});
