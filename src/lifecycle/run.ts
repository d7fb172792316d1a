// The lifecycle every long-running mode shares: config → ordered dependency checks → start →
// wait for SIGTERM/SIGINT → stop within a bound → close clients in reverse → exit 0.
import { type Config, ConfigError, loadConfig } from "../config";
import { closeDeps, createDeps, type Deps } from "../infra/deps";
import { startTracing, TRACING_OFF, type Tracing } from "../infra/tracing";
import { createLogger, type Logger } from "../observability/logger";
import { createMetrics } from "../observability/metrics";
import { checkDepsInOrder, StartupError } from "./startup-checks";

export interface RunningService {
  /** Stop taking new work and finish what is in flight. Bounded by HILO_SHUTDOWN_GRACE_MS. */
  stop(): Promise<void>;
  /** Resolves if the service ends on its own (e.g. a scheduler that lost its lock). */
  done?: Promise<void>;
}

export type StartService = (deps: Deps, log: Logger) => Promise<RunningService>;

export const EXIT_CONFIG = 2;
export const EXIT_STARTUP = 3;

export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`hilo: ${error.message}\n`);
      process.exit(EXIT_CONFIG);
    }
    throw error;
  }
}

/** Tracing never blocks start-up: a set-up that fails leaves it off, with a warning. */
async function startTracingOrOff(config: Config, log: Logger): Promise<Tracing> {
  try {
    const tracing = await startTracing(config);
    if (tracing.enabled) log.info("tracing to Langfuse", { base_url: config.LANGFUSE_BASE_URL });
    return tracing;
  } catch (error) {
    log.warn("tracing could not start; running without it", { error });
    return TRACING_OFF;
  }
}

export async function runService(mode: string, start: StartService): Promise<void> {
  const startedAt = performance.now();
  const config = loadConfigOrExit();
  const log = createLogger(config.HILO_LOG_LEVEL, { mode, pid: process.pid });
  const deps = createDeps(config, await startTracingOrOff(config, log), createMetrics(), log);
  try {
    await checkDepsInOrder(deps, (line) => log.info(line));
    // Optional: not checked at start, so an Intercom outage never stops a process (/health reports it).
    if (config.INTERCOM_ACCESS_TOKEN)
      log.info("intercom handover on (optional)", { base_url: config.INTERCOM_BASE_URL });
  } catch (error) {
    if (error instanceof StartupError) {
      log.error(error.message, { dependency: error.dependency });
      process.stderr.write(`hilo: ${error.message}\n`);
      process.exit(EXIT_STARTUP);
    }
    throw error;
  }

  let service: RunningService | undefined;
  let stopping = false;
  const shutdown = async (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    log.info("shutting down", { reason });
    const grace = config.HILO_SHUTDOWN_GRACE_MS;
    const timer = setTimeout(
      () => log.warn("in-flight work did not finish within the grace period", { grace_ms: grace }),
      grace,
    );
    // A signal during start() finds no service yet: only the clients need closing.
    if (service) {
      await Promise.race([service.stop(), Bun.sleep(grace)]).catch((error) =>
        log.error("stop failed", { error }),
      );
    }
    clearTimeout(timer);
    await closeDeps(deps);
    log.info("stopped");
    process.exit(exitCode);
  };
  // Installed before the service starts, so a signal during start-up still shuts down cleanly.
  process.on("SIGTERM", () => void shutdown("SIGTERM", 0));
  process.on("SIGINT", () => void shutdown("SIGINT", 0));

  service = await start(deps, log);
  log.info("ready", { startup_ms: Math.round(performance.now() - startedAt) });
  // A service that ends by itself (e.g. lost leadership) exits non-zero so a supervisor restarts it.
  service.done?.then(() => shutdown("service ended", 1));
}
