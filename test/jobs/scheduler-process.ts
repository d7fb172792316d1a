// A scheduler process for the failover tests: the leader loop of src/jobs/scheduler.ts on a lock key,
// a key prefix and a queue of the test's own, with a short heartbeat and TTL, over an ioredis client
// set up like the production one (src/infra/redis.ts: commands fail fast while Redis is away). It
// prints `standing by`, `fired <job id> <catch-up|live>` per fire, and on losing its leadership
// `stood down` before it exits 1, as `hilo scheduler` does.
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import { startScheduler } from "../../src/jobs/scheduler";
import { createLogger } from "../../src/observability/logger";
import { everySecond, recordingQueue } from "./support";

if (import.meta.main) {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      redis: { type: "string" },
      queue: { type: "string" },
      prefix: { type: "string" },
      "lock-key": { type: "string" },
      "heartbeat-ms": { type: "string" },
      "ttl-ms": { type: "string" },
    },
    strict: true,
  });
  const redis = new Redis(values.redis ?? "", {
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  redis.on("error", () => {});
  const queue = recordingQueue(values.queue ?? "", []);
  const scheduler = await startScheduler({
    redis,
    log: createLogger("error"),
    schedules: [everySecond(queue.name)],
    queues: [queue],
    prefix: values.prefix,
    lockKey: values["lock-key"],
    heartbeatMs: Number(values["heartbeat-ms"]),
    lockTtlMs: Number(values["ttl-ms"]),
    onFire: (fire) => process.stdout.write(`fired ${fire.jobId} ${fire.catchUp ? "catch-up" : "live"}\n`),
  });
  if (!scheduler.isLeader()) process.stdout.write("standing by\n");
  await scheduler.done;
  process.stdout.write("stood down\n");
  // Redis may be away: the stop is bounded, the exit is what a supervisor acts on.
  await Promise.race([scheduler.stop(), Bun.sleep(1_000)]);
  process.exit(1);
}
