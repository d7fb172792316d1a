// Prometheus metrics of one process, every name prefixed `hilo_`. One registry per process, built at
// start-up by the lifecycle and handed to the code that records (`deps.metrics`); nothing here is a
// module-level registry, so tests build their own and read only what they recorded. METRICS_OFF
// records nothing, for scripts and tests that do not look. Every label value comes from our own code
// (a closed set: outcomes, model-call purposes, safety layers, categories and actions, declared queue
// names and job states), never from a request, so the number of series stays bounded.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Logger } from "./logger";

/** How a turn's producer ended: the claim transition it made (or found made by someone else). */
export type TurnFinish = "done" | "failed" | "timeout" | "superseded";

export interface SafetyDecision {
  layer: number;
  category: string;
  action: string;
}

/** How a job's attempt ended in the base processor (an invalid payload is a failed one). */
export type JobOutcome = "done" | "failed";

/** The BullMQ states `hilo_queue_jobs` reports, one series each per queue. */
export const QUEUE_STATES = ["waiting", "active", "delayed", "failed"] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

/** Reads one queue's job counts (BullMQ `Queue.getJobCounts` in production). */
export type QueueCountsReader = (queue: string) => Promise<Partial<Record<QueueState, number>>>;

export interface Metrics {
  turnStarted(): void;
  turnFinished(outcome: TurnFinish): void;
  /** One model call, retries and queueing for a slot included; `purpose` is its trace name. */
  modelCall(purpose: string, seconds: number): void;
  sseStreamOpened(): void;
  sseStreamClosed(): void;
  /** One XREAD cycle of the relay (it blocks up to its BLOCK time when no turn writes). */
  relayRead(seconds: number): void;
  safetyDecision(decision: SafetyDecision): void;
  /** One job attempt, from the processor's start to its finish or failure. */
  jobFinished(queue: string, outcome: JobOutcome, seconds: number): void;
  /**
   * Reports these queues' job counts in `hilo_queue_jobs`, read at every scrape. A later call replaces
   * the earlier one; the returned function stops reading (its series keep their last values).
   */
  watchQueues(queues: readonly string[], read: QueueCountsReader): () => void;
  /** The Prometheus text exposition; empty when metrics are off. */
  render(): Promise<string>;
  readonly contentType: string;
}

export const METRICS_OFF: Metrics = {
  turnStarted: () => {},
  turnFinished: () => {},
  modelCall: () => {},
  sseStreamOpened: () => {},
  sseStreamClosed: () => {},
  relayRead: () => {},
  safetyDecision: () => {},
  jobFinished: () => {},
  watchQueues: () => () => {},
  render: async () => "",
  contentType: "text/plain; version=0.0.4; charset=utf-8",
};

// A model call takes from a fraction of a second (guard, suggestions) to the turn budget (an agent
// round with a long answer), so the buckets span 50 ms to 60 s.
const MODEL_CALL_BUCKETS_S = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60];
// A read answers within milliseconds while a turn writes and blocks for the relay's 5 s BLOCK when
// none does; the top buckets separate an idle read from a stalled connection (BLOCK + 5 s grace).
const RELAY_READ_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5.5, 10];

// Jobs range from a cheap upsert (milliseconds) to a nightly sweep over every user (minutes), so the
// buckets span 10 ms to 10 min.
const JOB_DURATION_BUCKETS_S = [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 180, 600];
// A scrape must answer within Prometheus's scrape timeout (10 s by default) even when Redis hangs, so
// the counts get well under it; a queue whose read fails or times out keeps its last values.
const QUEUE_COUNTS_TIMEOUT_MS = 2_000;

function withinTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`took over ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export interface MetricsOptions {
  /** Process CPU, memory, event-loop lag and the like, from prom-client; on by default. */
  processMetrics?: boolean;
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: "hilo_" });
  const registers = [registry];

  const turnsStarted = new Counter({
    name: "hilo_turns_started_total",
    help: "Chat turns whose producer started in this process (Layer 1 canned replies included).",
    registers,
  });
  const turnsFinished = new Counter({
    name: "hilo_turns_finished_total",
    help:
      "Chat turns this process's producer ended, by outcome: done (answer stored), failed, timeout " +
      "(turn budget spent), superseded (a newer attempt or the reconciler owns the turn).",
    labelNames: ["outcome"],
    registers,
  });
  const modelCalls = new Histogram({
    name: "hilo_model_call_duration_seconds",
    help:
      "Model calls by purpose (agent_round, answer_review, message_guard, …), from asking for a slot " +
      "to the last chunk, retries included.",
    labelNames: ["purpose"],
    buckets: MODEL_CALL_BUCKETS_S,
    registers,
  });
  const sseStreams = new Gauge({
    name: "hilo_sse_streams_open",
    help: "Event streams currently relaying a turn's log to a client.",
    registers,
  });
  const relayReads = new Histogram({
    name: "hilo_relay_read_seconds",
    help: "One XREAD of the relay over every followed turn log (blocks up to 5 s when none is written).",
    buckets: RELAY_READ_BUCKETS_S,
    registers,
  });
  const safetyDecisions = new Counter({
    name: "hilo_safety_decisions_total",
    help: "Safety decisions recorded in the audit log, by layer, category and action.",
    labelNames: ["layer", "category", "action"],
    registers,
  });
  const jobDurations = new Histogram({
    name: "hilo_job_duration_seconds",
    help: "Background job attempts this process ran, by queue and outcome (done, failed), start to finish.",
    labelNames: ["queue", "outcome"],
    buckets: JOB_DURATION_BUCKETS_S,
    registers,
  });
  let watched: { queues: readonly string[]; read: QueueCountsReader } | null = null;
  new Gauge({
    name: "hilo_queue_jobs",
    help:
      "Jobs a queue holds, by state (waiting, active, delayed, failed), read from Redis at each scrape; " +
      "a queue Redis does not answer for keeps its last values.",
    labelNames: ["queue", "state"],
    registers,
    async collect() {
      const current = watched;
      if (!current) return;
      await Promise.all(
        current.queues.map(async (queue) => {
          try {
            const counts = await withinTimeout(current.read(queue), QUEUE_COUNTS_TIMEOUT_MS);
            for (const state of QUEUE_STATES) this.labels(queue, state).set(counts[state] ?? 0);
          } catch {
            // Left as they were: a scrape never fails because Redis is away.
          }
        }),
      );
    },
  });
  // Every series with a fixed label set exists from the start, so a rate() sees its first increase.
  for (const outcome of ["done", "failed", "timeout", "superseded"] satisfies TurnFinish[]) {
    turnsFinished.labels(outcome).inc(0);
  }

  return {
    turnStarted: () => turnsStarted.inc(),
    turnFinished: (outcome) => turnsFinished.labels(outcome).inc(),
    modelCall: (purpose, seconds) => modelCalls.labels(purpose).observe(seconds),
    sseStreamOpened: () => sseStreams.inc(),
    sseStreamClosed: () => sseStreams.dec(),
    relayRead: (seconds) => relayReads.observe(seconds),
    safetyDecision: ({ layer, category, action }) =>
      safetyDecisions.labels(String(layer), category, action).inc(),
    jobFinished: (queue, outcome, seconds) => jobDurations.labels(queue, outcome).observe(seconds),
    watchQueues: (queues, read) => {
      const entry = { queues, read };
      watched = entry;
      return () => {
        if (watched === entry) watched = null;
      };
    },
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}

/**
 * The HILO_METRICS_PORT listener of a process, or null when it is unset. The api serves /metrics on
 * PORT then; the worker and the scheduler, which have no HTTP server, serve none.
 */
export function serveMetricsPort(
  metrics: Metrics,
  listen: { hostname: string; port: number | undefined },
  log: Logger,
) {
  if (listen.port === undefined) return null;
  const server = serveMetrics(metrics, { hostname: listen.hostname, port: listen.port });
  log.info("metrics listening", { url: `http://${listen.hostname}:${server.port}/metrics` });
  return server;
}

/** GET /metrics on a listener of its own (HILO_METRICS_PORT); every other path answers 404. */
export function serveMetrics(metrics: Metrics, listen: { hostname: string; port: number }) {
  return Bun.serve({
    hostname: listen.hostname,
    port: listen.port,
    development: false,
    fetch: async (request) => {
      const { pathname } = new URL(request.url);
      if (request.method !== "GET" || pathname !== "/metrics") return new Response(null, { status: 404 });
      return new Response(await metrics.render(), { headers: { "content-type": metrics.contentType } });
    },
  });
}
