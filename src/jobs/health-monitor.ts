// The health monitor the scheduler's leader runs every minute: each dependency, each queue's depth and
// failed jobs, and each schedule's freshness. Alerts are edge-triggered: one when a check turns bad,
// one when it recovers, nothing while it stays the same. The last state of every check lives in one
// Redis hash, swapped atomically per check, so a new leader (failover, restart) continues from it and
// two leaders for a split second cannot both announce the same change.
import type { Redis } from "ioredis";
import type { AppDb } from "../infra/app-db";
import type { Logger } from "../observability/logger";
import type { Notifier } from "./notifier";
import type { Clock } from "./processor";
import { SYSTEM_CLOCK } from "./processor";
import type { JobProducer } from "./producer";
import type { QueueDeclaration } from "./queues";
import { readScheduleStatus } from "./schedule-status";
import type { ScheduleDeclaration } from "./schedules";

export const MONITOR_STATE_KEY = "hilo:monitor:state";
/** The cadence: a dependency outage is reported within about a minute. */
export const MONITOR_INTERVAL_MS = 60_000;
/**
 * Jobs waiting beyond this mean the workers are down or far behind: nightly queues hold one or two (the
 * goal sweep's chunks, 50 for 10,000 goals). A queue may set its own (`depthAlert`).
 */
export const QUEUE_DEPTH_ALERT = 100;
/**
 * A failed job has used up all its attempts, so one is worth a human's look. The check recovers when
 * the failed jobs are retried or removed (BullMQ keeps them 30 days otherwise).
 */
export const FAILED_JOBS_ALERT = 1;
/** Bounds a tick's reads of Redis and MySQL so a hung datastore cannot stall the monitor. */
const CHECK_TIMEOUT_MS = 5_000;

export interface HealthCheck {
  /** Stable key of the check, e.g. `dependency:redis`, `queue:claim-retention:failed`. */
  name: string;
  ok: boolean;
  detail: string;
}

export interface Transition {
  check: HealthCheck;
  /** null: the check was never seen before (a first check that is bad alerts; a good one does not). */
  was: "ok" | "bad" | null;
}

export interface HealthSources {
  /** One boolean per dependency (probeDeps in production). */
  probe(): Promise<Record<string, boolean>>;
  producer: JobProducer;
  queues: readonly QueueDeclaration[];
  db: AppDb;
  schedules: readonly ScheduleDeclaration[];
}

function bounded<T>(what: string, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export async function collectHealthChecks(sources: HealthSources, now: Date): Promise<HealthCheck[]> {
  const checks: HealthCheck[] = [];
  const probes = await sources.probe();
  for (const [name, ok] of Object.entries(probes)) {
    checks.push({ name: `dependency:${name}`, ok, detail: ok ? "reachable" : "unreachable" });
  }
  for (const queue of sources.queues) {
    try {
      const counts = await bounded(
        `queue ${queue.name}`,
        sources.producer.queue(queue).getJobCounts("waiting", "prioritized", "delayed", "failed"),
      );
      const depth = (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0);
      const failed = counts.failed ?? 0;
      checks.push({
        name: `queue:${queue.name}:depth`,
        ok: depth < (queue.depthAlert ?? QUEUE_DEPTH_ALERT),
        detail: `${depth} waiting`,
      });
      checks.push({
        name: `queue:${queue.name}:failed`,
        ok: failed < FAILED_JOBS_ALERT,
        detail: `${failed} failed`,
      });
    } catch (error) {
      // Counted as bad, not skipped: a queue the monitor cannot read is one nobody watches.
      const detail = `unreadable: ${error instanceof Error ? error.message : String(error)}`;
      checks.push({ name: `queue:${queue.name}:depth`, ok: false, detail });
      checks.push({ name: `queue:${queue.name}:failed`, ok: false, detail });
    }
  }
  try {
    const statuses = await bounded(
      "schedule freshness",
      readScheduleStatus(sources.db, sources.schedules, now),
    );
    for (const status of statuses) {
      const last = status.lastSuccessAt?.toISOString() ?? "never";
      checks.push({
        name: `schedule:${status.schedule}`,
        ok: !status.overdue,
        detail: status.overdue ? `overdue (last success ${last})` : `fresh (last success ${last})`,
      });
    }
  } catch (error) {
    // The app database being down is reported by its dependency check; freshness keeps its last state.
    checks.push({ name: "schedules:readable", ok: false, detail: String(error) });
  }
  return checks;
}

// Sets the field and returns its previous value in one step, so of two monitors swapping the same
// check at once exactly one sees the change.
const SWAP_STATE = `local was = redis.call('HGET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return was`;

/** Records every check's state and returns those that changed (including a first check that is bad). */
export async function recordTransitions(
  redis: Redis,
  stateKey: string,
  checks: readonly HealthCheck[],
): Promise<Transition[]> {
  const transitions: Transition[] = [];
  for (const check of checks) {
    const state = check.ok ? "ok" : "bad";
    const was = (await redis.eval(SWAP_STATE, 1, stateKey, check.name, state)) as "ok" | "bad" | null;
    if (was === state || (was === null && check.ok)) continue;
    transitions.push({ check, was });
  }
  return transitions;
}

export function alertText(transition: Transition): string {
  const { check } = transition;
  return check.ok
    ? `:white_check_mark: hilo recovered: ${check.name} (${check.detail})`
    : `:rotating_light: hilo alert: ${check.name} (${check.detail})`;
}

export interface HealthMonitorOptions {
  redis: Redis;
  log: Logger;
  notifier: Notifier;
  sources: HealthSources;
  clock?: Clock;
  stateKey?: string;
}

export interface HealthMonitor {
  /** Checks once, records the state, and hands alerts to the notifier without waiting for delivery. */
  tick(): Promise<Transition[]>;
  /** Resolves when every alert handed to the notifier so far has been delivered or given up on. */
  settled(): Promise<void>;
}

export function createHealthMonitor(options: HealthMonitorOptions): HealthMonitor {
  const clock = options.clock ?? SYSTEM_CLOCK;
  const stateKey = options.stateKey ?? MONITOR_STATE_KEY;
  const sending = new Set<Promise<void>>();
  return {
    tick: async () => {
      const checks = await collectHealthChecks(options.sources, clock.now());
      const transitions = await recordTransitions(options.redis, stateKey, checks);
      for (const transition of transitions) {
        // Not awaited: a slow webhook must not delay the next tick. The notifier never rejects.
        const delivery = options.notifier.notify(alertText(transition));
        sending.add(delivery);
        void delivery.finally(() => sending.delete(delivery));
      }
      options.log.debug("health checked", { checks: checks.length, changed: transitions.length });
      return transitions;
    },
    settled: async () => {
      await Promise.allSettled([...sending]);
    },
  };
}

export interface MonitorLoop {
  stop(): Promise<void>;
}

/**
 * Ticks every interval while `isLeader()` says so; a tick still running when the next is due is not
 * overlapped (the next waits for the following interval).
 */
export function startMonitorLoop(
  monitor: HealthMonitor,
  isLeader: () => boolean,
  log: Logger,
  intervalMs = MONITOR_INTERVAL_MS,
): MonitorLoop {
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (running || !isLeader()) return;
    running = monitor
      .tick()
      .then(() => undefined)
      // Handled: a failed tick (Redis away) is logged and the next interval tries again.
      .catch((error) => log.error("health monitor tick failed", { error }))
      .finally(() => {
        running = null;
      });
  }, intervalMs);
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
      await monitor.settled();
    },
  };
}
