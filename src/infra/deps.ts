// The datastore clients a process needs, built once at start-up and handed to the code that uses
// them; closed in reverse order. Nothing connects on import: tests build the same graph.
import type { Config } from "../config";
import { createDailyStats, type DailyStats } from "../observability/daily-stats";
import { createLogger, type Logger } from "../observability/logger";
import { METRICS_OFF, type Metrics } from "../observability/metrics";
import { type AppDbClient, createAppDb } from "./app-db";
import { type Dependency, type DependencyName, withTimeout } from "./dependency";
import { createFaqDb, type FaqDbClient } from "./faq-db";
import { createMongo, type MongoDeps } from "./mongo";
import { createOpenAiClient, type OpenAiClient } from "./openai";
import { createRedis, type RedisClient } from "./redis";
import { TRACING_OFF, type Tracing } from "./tracing";
import { createUsersDb, type UsersDbClient } from "./users-db";

export interface Deps {
  readonly config: Config;
  readonly appDb: AppDbClient;
  readonly usersDb: UsersDbClient;
  readonly mongo: MongoDeps;
  readonly faqDb: FaqDbClient;
  readonly redis: RedisClient;
  readonly openai: OpenAiClient;
  /** Langfuse tracing of model calls, or TRACING_OFF; not a dependency: it never blocks start-up. */
  readonly tracing: Tracing;
  /** This process's Prometheus registry (GET /metrics), or METRICS_OFF; never blocks start-up either. */
  readonly metrics: Metrics;
  /** Durable daily counters for the daily report (model calls, FAQ searches); flushed on close. */
  readonly stats: DailyStats;
  /** In start-up order; closed in reverse. */
  readonly all: readonly Dependency[];
}

export function createDeps(
  config: Config,
  tracing: Tracing = TRACING_OFF,
  metrics: Metrics = METRICS_OFF,
  log: Logger = createLogger(config.HILO_LOG_LEVEL),
): Deps {
  const timeoutMs = config.HILO_STARTUP_CHECK_TIMEOUT_MS;
  const appDb = createAppDb(config.APP_DB_URL, timeoutMs);
  const usersDb = createUsersDb(config.HILO_USERS_DB_URL, timeoutMs);
  const mongo = createMongo(config.MONGO_URL, timeoutMs);
  const faqDb = createFaqDb(config.FAQ_DB_URL, timeoutMs);
  const redis = createRedis(config.REDIS_URL, timeoutMs);
  const openai = createOpenAiClient(config.OPENAI_BASE_URL, config.OPENAI_API_KEY, timeoutMs);
  return {
    config,
    appDb,
    usersDb,
    mongo,
    faqDb,
    redis,
    openai,
    tracing,
    metrics,
    stats: createDailyStats(appDb.db, log.child({ component: "daily-stats" })),
    all: [appDb, usersDb, mongo, faqDb, redis, openai],
  };
}

export async function closeDeps(deps: Deps): Promise<void> {
  // First, while the database is still open: the counts gathered since the last flush.
  await withTimeout("daily stats", 5_000, deps.stats.close()).catch(() => {});
  for (const dependency of [...deps.all].reverse()) {
    // Teardown must reach every client even if one of them fails to close.
    await withTimeout(dependency.name, 5_000, dependency.close()).catch(() => {});
  }
  // Last, so the spans of everything that ran until now are sent.
  // Bounded, and the bound's timer is cleared, so a script that closes its deps can exit at once.
  let bound: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    deps.tracing.shutdown(),
    new Promise<void>((resolve) => {
      bound = setTimeout(resolve, 5_000);
    }),
  ])
    .catch(() => {})
    .finally(() => clearTimeout(bound));
}

/** One boolean per dependency, checked concurrently with a short timeout: the /health payload. */
export async function probeDeps(
  deps: Deps,
  skip: DependencyName[] = [],
): Promise<Record<DependencyName, boolean>> {
  const timeoutMs = deps.config.HILO_HEALTH_CHECK_TIMEOUT_MS;
  const results = await Promise.all(
    deps.all.map(async (dependency) => {
      if (skip.includes(dependency.name)) return [dependency.name, true] as const;
      try {
        await withTimeout(dependency.name, timeoutMs, dependency.check());
        return [dependency.name, true] as const;
      } catch {
        return [dependency.name, false] as const;
      }
    }),
  );
  return Object.fromEntries(results) as Record<DependencyName, boolean>;
}
