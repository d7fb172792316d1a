// Start-up checks: each dependency in a fixed order, failing fast with the name of the one that
// failed (and, right after PostgreSQL, the FAQ tables against the configured embedding model).
import { checkFaqSchema } from "../faq";
import { type DependencyName, withTimeout } from "../infra/dependency";
import { closeDeps, type Deps } from "../infra/deps";

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
