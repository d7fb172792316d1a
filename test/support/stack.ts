// What tests need to reach the local stack and build the real app graph against it.
import { randomUUID } from "node:crypto";
import mysql from "mysql2/promise";
import { createApp } from "../../src/app";
import { type Chat, createChat } from "../../src/chat/chat";
import { type Config, loadConfig } from "../../src/config";
import { closeDeps, createDeps, type Deps } from "../../src/infra/deps";
import { TRACING_OFF } from "../../src/infra/tracing";
import type { LimitOptions } from "../../src/limits";
import { createLogger } from "../../src/observability/logger";
import { createMetrics } from "../../src/observability/metrics";

export const TEST_API_KEY = "test-hilo-api-key-0123456789";

/**
 * Abuse limits far above what any test sends, yet on, so every test runs through them. Every request
 * through `app.handle` shares one address bucket (no socket), as do live servers on 127.0.0.1 and
 * other test runs on the same Redis; 50 concurrent sends with one key are each charged until the
 * claim tells them apart. test/limits/ sets its own numbers.
 */
const TEST_LIMITS = {
  HILO_TURNS_PER_USER_PER_MINUTE: "1000",
  HILO_TURNS_PER_USER_PER_DAY: "100000",
  HILO_REQUESTS_PER_ADDRESS_PER_MINUTE: "1000000",
  HILO_MODEL_CALLS_PER_MINUTE: "1000000",
};

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ ...TEST_LIMITS, ...process.env, HILO_API_KEY: TEST_API_KEY, ...overrides });
}

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: start the local stack with ./scripts/test`);
  return value;
}

export interface TestApp {
  deps: Deps;
  chat: Chat;
  /** Sends a request through the real Elysia app (no socket). */
  request(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export function buildTestApp(overrides: Record<string, string> = {}, limits?: LimitOptions): TestApp {
  // A registry of its own per app, as a process has: each test reads only what its app recorded.
  const deps = createDeps(testConfig(overrides), TRACING_OFF, createMetrics());
  const log = createLogger("error");
  const chat = createChat(deps, log);
  const app = createApp({ deps, log, chat, limits });
  return {
    deps,
    chat,
    request: (path, init) => app.handle(new Request(`http://hilo.test${path}`, init)),
    close: async () => {
      await chat.stop();
      await closeDeps(deps);
    },
  };
}

/** A unique user id per test, so tests never see each other's rows. */
export function newUserId(prefix = "u"): string {
  return `${prefix}-${randomUUID().slice(0, 12)}`;
}

export function clientHeaders(userId: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    "X-API-Key": TEST_API_KEY,
    "X-User-ID": userId,
    "X-Timezone": "Europe/London",
    "X-Platform": "ios",
    "X-App-Version": "4.12.0",
    ...extra,
  };
}

/** Admin connection to the stack's MariaDB (seeding the external user DB, scratch databases). */
export async function adminConnection(): Promise<mysql.Connection> {
  return mysql.createConnection({ uri: requireEnv("HILO_ADMIN_DB_URL"), multipleStatements: true });
}

export interface SeedUser {
  userId: string;
  watchId: string;
  firstName: string;
  timezone: string;
}

export async function seedUserProfile(user: SeedUser): Promise<void> {
  const admin = await adminConnection();
  try {
    await admin.query(
      `INSERT INTO hilo_users.users (user_id, watch_id, first_name, timezone,
         target_systolic_min, target_systolic_max, target_diastolic_min, target_diastolic_max)
       VALUES (?, ?, ?, ?, 90, 130, 60, 85)
       ON DUPLICATE KEY UPDATE first_name = VALUES(first_name), timezone = VALUES(timezone)`,
      [user.userId, user.watchId, user.firstName, user.timezone],
    );
  } finally {
    await admin.end();
  }
}
