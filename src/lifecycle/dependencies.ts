// Builds the datastore clients a process needs, checks them in a fixed order at start (failing fast
// with the name of the one that failed), and closes them in reverse.
import type { Config } from "../config";
import { checkFaqSchema } from "../faq";
import { type AppDbClient, createAppDb } from "../infra/app-db";
import { type Dependency, type DependencyName, withTimeout } from "../infra/dependency";
import { createFaqDb, type FaqDbClient } from "../infra/faq-db";
import { createMongo, type MongoDeps } from "../infra/mongo";
import { createOpenAiClient, type OpenAiClient } from "../infra/openai";
import { createRedis, type RedisClient } from "../infra/redis";
import { createUsersDb, type UsersDbClient } from "../infra/users-db";
import { TRACING_OFF, type Tracing } from "../observability/tracing";

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
  /** In start-up order; closed in reverse. */
  readonly all: readonly Dependency[];
}

export class StartupError extends Error {
  constructor(
    readonly dependency: DependencyName,
    cause: unknown,
    problem = "is unreachable",
  ) {
    super(
      `start-up failed: ${dependency} ${problem} (${cause instanceof Error ? cause.message : String(cause)})`,
    );
    this.name = "StartupError";
  }
}

export function createDeps(config: Config, tracing: Tracing = TRACING_OFF): Deps {
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
    all: [appDb, usersDb, mongo, faqDb, redis, openai],
  };
}

/** Checks each dependency in order; the first failure stops start-up and everything is closed. */
export async function checkDepsInOrder(deps: Deps, log: (line: string) => void): Promise<void> {
  const timeoutMs = deps.config.HILO_STARTUP_CHECK_TIMEOUT_MS;
  for (const dependency of deps.all) {
    if (dependency.name === "model" && !deps.config.HILO_CHECK_MODEL_AT_START) continue;
    const started = performance.now();
    try {
      await withTimeout(dependency.name, timeoutMs, dependency.check());
    } catch (error) {
      await closeDeps(deps);
      throw new StartupError(dependency.name, error);
    }
    log(`${dependency.name} ok (${Math.round(performance.now() - started)} ms)`);
    if (dependency === deps.faqDb) await checkFaqTables(deps, log);
  }
}

/** Right after postgres answers: the FAQ vectors must be of the configured model and size (fail-closed). */
async function checkFaqTables(deps: Deps, log: (line: string) => void): Promise<void> {
  const { config } = deps;
  const spec = { model: config.HILO_EMBEDDING_MODEL, dimensions: config.HILO_EMBEDDING_DIMENSIONS };
  try {
    await withTimeout(
      "the FAQ check",
      config.HILO_STARTUP_CHECK_TIMEOUT_MS,
      checkFaqSchema(deps.faqDb.sql, spec),
    );
  } catch (error) {
    await closeDeps(deps);
    throw new StartupError("postgres", error, "FAQ check failed");
  }
  log(`postgres faq tables ok (${spec.model}, ${spec.dimensions} dimensions)`);
}

export async function closeDeps(deps: Deps): Promise<void> {
  for (const dependency of [...deps.all].reverse()) {
    // Teardown must reach every client even if one of them fails to close.
    await withTimeout(dependency.name, 5_000, dependency.close()).catch(() => {});
  }
  // Last, so the spans of everything that ran until now are sent.
  await Promise.race([deps.tracing.shutdown(), Bun.sleep(5_000)]).catch(() => {});
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
