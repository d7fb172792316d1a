// `hilo scheduler`: exactly one active leader fires the declared schedules (src/jobs/schedules.ts)
// and runs the health monitor every minute. Standbys retry every heartbeat; a leader that cannot
// renew its lock stops its crons and exits ≠ 0 rather than risk a split brain (the deterministic job
// ids make even a split second of one safe, and the monitor's state swap makes its alerts safe).
import { probeDeps } from "../infra/deps";
import { createHealthMonitor, startMonitorLoop } from "../jobs/health-monitor";
import { createNotifier } from "../jobs/notifier";
import { createJobProducer, watchQueueCounts } from "../jobs/producer";
import { QUEUES } from "../jobs/queues";
import { startScheduler as startSchedules } from "../jobs/scheduler";
import { configuredSchedules } from "../jobs/schedules";
import type { StartService } from "../lifecycle/run";
import { serveMetricsPort } from "../observability/metrics";

export const startScheduler: StartService = async (deps, log) => {
  // No HTTP server here: /metrics only on HILO_METRICS_PORT, and not at all when it is unset. Bound
  // first, so a port in use fails the start before the lock is taken.
  const metricsServer = serveMetricsPort(
    deps.metrics,
    { hostname: deps.config.HOST, port: deps.config.HILO_METRICS_PORT },
    log,
  );
  const schedules = configuredSchedules(deps.config);
  // The process's ioredis client holds the lock and enqueues: its commands fail fast while Redis is
  // away, which is what a leader needs (it stands down) and a fire can afford (the catch-up refires).
  const scheduler = await startSchedules({
    redis: deps.redis.redis,
    log,
    schedules,
    queues: QUEUES,
  });
  // The monitor runs here, not as a queued job: it watches the queues and the workers, so it must not
  // depend on a worker being up and a queue being drained to run.
  const producer = createJobProducer(deps.redis.redis);
  const monitor = createHealthMonitor({
    redis: deps.redis.redis,
    log: log.child({ component: "health-monitor" }),
    notifier: createNotifier(deps.config.HILO_ALERT_WEBHOOK_URL, log.child({ component: "alerts" })),
    sources: {
      probe: () => probeDeps(deps),
      producer,
      queues: QUEUES,
      db: deps.appDb.db,
      schedules,
    },
  });
  const monitorLoop = startMonitorLoop(monitor, scheduler.isLeader, log);
  // Every queue's counts, on leader and standby alike: they do not depend on a worker being up.
  const unwatch = watchQueueCounts(deps.metrics, producer, QUEUES);
  return {
    done: scheduler.done,
    stop: async () => {
      await monitorLoop.stop();
      await scheduler.stop();
      unwatch();
      await producer.close();
      await metricsServer?.stop(true);
    },
  };
};
