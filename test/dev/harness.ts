// What the dev-route tests share: the real app on the local stack with dev routes of its own (job
// prefix, login counters), a fresh console account per test file, and signed-in requests.
import { randomUUID } from "node:crypto";
import { DEMO_USERS } from "../../scripts/seed/demo-users";
import { createApp } from "../../src/app";
import { createChat } from "../../src/chat/chat";
import { createLoginLimits } from "../../src/dev/login-limits";
import { upsertDevUser } from "../../src/dev/users";
import { closeDeps, createDeps, type Deps } from "../../src/infra/deps";
import { TRACING_OFF } from "../../src/infra/tracing";
import { createLogger } from "../../src/observability/logger";
import { createMetrics } from "../../src/observability/metrics";
import { seedUserProfile, testConfig } from "../support/stack";

export interface DevTestApp {
  deps: Deps;
  /** BullMQ prefix the app queues QA questions under: a worker of the test consumes it. */
  jobsPrefix: string;
  request(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export function buildDevApp(overrides: Record<string, string> = {}): DevTestApp {
  const deps = createDeps(testConfig(overrides), TRACING_OFF, createMetrics());
  const log = createLogger("error");
  const chat = createChat(deps, log);
  const tag = randomUUID().slice(0, 8);
  const jobsPrefix = `test:jobs:${tag}`;
  const app = createApp({
    deps,
    log,
    chat,
    dev: { jobsPrefix, loginLimits: createLoginLimits(deps.redis.redis, `test:dev-login:${tag}`) },
  });
  return {
    deps,
    jobsPrefix,
    request: (path, init) => app.handle(new Request(`http://hilo.test${path}`, init)),
    close: async () => {
      await chat.stop();
      await closeDeps(deps);
    },
  };
}

export interface ConsoleAccount {
  username: string;
  password: string;
}

/** A console account of this test's own. */
export async function newConsoleAccount(deps: Deps): Promise<ConsoleAccount> {
  const account = { username: `qa-tester-${randomUUID().slice(0, 8)}`, password: `pw-${randomUUID()}` };
  await upsertDevUser(deps.appDb.db, account.username, account.password);
  return account;
}

export function login(app: DevTestApp, account: ConsoleAccount, headers: Record<string, string> = {}) {
  return app.request("/dev/login", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(account),
  });
}

/** Signs in and returns the Authorization header for the other /dev routes. */
export async function signIn(app: DevTestApp, account: ConsoleAccount): Promise<Record<string, string>> {
  const response = await login(app, account);
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  const { token } = (await response.json()) as { token: string };
  return { authorization: `Bearer ${token}` };
}

/** The demo accounts `./scripts/dev` seeds (demo-alice, demo-bob, the QA user), seeded here as well:
 * a fresh stack running only the tests has none of them. */
export async function seedDemoProfiles(): Promise<void> {
  for (const user of DEMO_USERS) await seedUserProfile(user);
}
