// Start-up checks: every dependency, reported in a fixed order, failing with the name of the first one
// in that order that failed (and, right after PostgreSQL, the FAQ tables against the configured
// embedding model).
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

/**
 * Checks every dependency at once (start-up waits for the slowest, not the sum), then reads the
 * verdicts in the fixed order: the first failure in that order stops start-up, named as before, and
 * everything is closed.
 */
export async function checkDepsInOrder(deps: Deps, log: (line: string) => void): Promise<void> {
  const timeoutMs = deps.config.HILO_STARTUP_CHECK_TIMEOUT_MS;
  const checked = deps.all
    .filter((dependency) => dependency.name !== "model" || deps.config.HILO_CHECK_MODEL_AT_START)
    .map((dependency) => {
      const started = performance.now();
      // Settled here, so a check still running when an earlier one has failed never goes unhandled.
      const verdict = withTimeout(dependency.name, timeoutMs, dependency.check()).then(
        () => ({ ok: true as const, ms: Math.round(performance.now() - started) }),
        (error: unknown) => ({ ok: false as const, error }),
      );
      return { dependency, verdict };
    });
  for (const { dependency, verdict } of checked) {
    const result = await verdict;
    if (!result.ok) {
      await closeDeps(deps);
      throw new StartupError(dependency.name, result.error);
    }
    log(`${dependency.name} ok (${result.ms} ms)`);
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
