// One measured round: N SSE clients attach to a relay, the producer process writes N turns at the
// fixed token rate, and every frame is timed from its write (the ms part of its id) to its arrival.
// Resources are sampled while it runs.
import { readFileSync } from "node:fs";
import type { Redis } from "ioredis";
import { wallNow } from "./env";
import { type CpuSample, cpuPercent, createConnectionCounter, readCpu, readRssMb, selfCpu } from "./procs";
import type { FromProducer, LoadShape, ProducerReport, System, ToProducer } from "./protocol";
import { streamIdMs } from "./protocol";
import { openSse, type SseConnection } from "./sse-client";
import { type Distribution, distribution } from "./stats";

const CONNECT_IN_FLIGHT = 128;
const ATTACH_TIMEOUT_MS = 60_000;
const SETTLE_MS = 300;
const START_DELAY_MS = 100;
const SAMPLE_EVERY_MS = 100;
/** Every third sample: reading /proc/net/tcp costs a few ms of CPU (in a worker thread). */
const CONN_SAMPLE_EVERY = 3;
const LAG_PROBE_MS = 10;

export interface Target {
  port: number;
  path: string;
  headers: Record<string, string>;
}

export interface ProducerHandle {
  send(message: ToProducer): void;
  next<K extends FromProducer["kind"]>(
    kind: K,
    timeoutMs: number,
  ): Promise<Extract<FromProducer, { kind: K }>>;
  readonly pid: number;
}

export interface DeliveryCheck {
  lost: number;
  duplicated: number;
  reordered: number;
  /** Log entries (ours) or published chunks (peer) the producers wrote. */
  entries: number;
}

export interface RoundSpec {
  system: System;
  n: number;
  shape: LoadShape;
  turnIds: string[];
  targets: Target[];
  serverPid: number;
  producer: ProducerHandle;
  redis: Redis;
  redisPid: number | null;
  redisPort: number;
  verify(received: string[][]): Promise<DeliveryCheck>;
  /** The api's probe (main.ts --probe): reset just before the turns start, read right after. */
  probe?: Probe;
}

export interface Probe {
  reset(): Promise<void>;
  collect(): Promise<ProbeWindow>;
}

/** What api-probe.ts measured in the relay hub during one round. */
export interface ProbeWindow {
  calls: number;
  keys: number;
  entries: number;
  streamsWithData: number;
  encodeMs: number[];
  waitMs: number[];
  gapMs: number[];
  lagMs: number[];
  timeline: number[][];
  longLags: number[][];
  ageMs: number[];
}

export interface RoundResult {
  system: System;
  n: number;
  /** Every frame: arrival − write time (ms). */
  latency: Distribution;
  /** Latency of the frames written in the plateau (see `plateau`): the round at its full concurrency. */
  allStreaming: Distribution;
  /** The first token of each turn that started in the plateau: arrival − hand-over. */
  firstTokenAtFull: Distribution;
  /** Streams open in the plateau (median of the samples). */
  openAtFull: number;
  /** The first token frame of each turn: arrival − write time. */
  firstToken: Distribution;
  /** The first token of each turn: write time − when the producer handed it over (coalescing hold). */
  firstTokenHold: Distribution;
  /** The first token of each turn: arrival − when the producer handed it over. */
  firstTokenEndToEnd: Distribution;
  /** Request sent → response headers. */
  attach: Distribution;
  frames: number;
  check: DeliveryCheck;
  /** Turns whose client did not see `end`, got a non-200, or failed. */
  failedClients: number;
  clientErrors: string[];
  producerErrors: string[];
  streamWallS: number;
  redisClientsBaseline: number;
  redisClientsPeak: number;
  serverRedisConnsBefore: number;
  serverRedisConnsPeak: number;
  serverRssPeakMb: number;
  serverCpuPct: number;
  serverCpuS: number;
  producerCpuPct: number;
  benchCpuPct: number;
  redisCpuPct: number;
  machineBusyPct: number;
  benchLagP99Ms: number;
  /** Redis command calls and server time during the round (INFO commandstats delta), by command. */
  redisCommands: Map<string, { calls: number; usec: number }>;
  probe: ProbeWindow | null;
}

interface ClientState {
  attachedAt: number;
  requestedAt: number;
  status: number;
  ids: string[];
  firstTokenId: string | null;
  firstTokenArrival: number;
  ended: boolean;
  closed: boolean;
  error: string | null;
  connection: SseConnection | null;
}

const DEBUG = Boolean(process.env.BENCH_DEBUG);
/**
 * The window in which the round runs at its full concurrency: with starts spread over less than a
 * turn, from the last start to the first turn's last token (all N stream, no turn starts or ends);
 * with starts spread over more (continuous arrivals), from the first turn's end to the last start
 * (N × turn / spread streams, as many starting as ending). Empty when the two coincide.
 */
export function plateau(startAtMs: number, shape: LoadShape): TimeWindow & { arrivals: boolean } {
  const lastToken = (shape.tokens - 1) * shape.intervalMs;
  return {
    from: startAtMs + Math.min(shape.spreadMs, lastToken),
    to: startAtMs + Math.max(shape.spreadMs, lastToken),
    arrivals: shape.spreadMs > lastToken,
  };
}

interface TimeWindow {
  from: number;
  to: number;
}

function within(values: number[], at: number[], window: TimeWindow): number[] {
  return values.filter((_, i) => (at[i] ?? 0) >= window.from && (at[i] ?? 0) < window.to);
}

function phase(spec: RoundSpec, what: string, since: number): number {
  if (DEBUG)
    console.error(`  [${spec.system} N=${spec.n}] ${what}: ${Math.round(performance.now() - since)} ms`);
  return performance.now();
}

export async function runRound(spec: RoundSpec): Promise<RoundResult> {
  const { n, producer, redis } = spec;
  let mark = performance.now();
  const clients: ClientState[] = Array.from({ length: n }, () => ({
    attachedAt: Number.NaN,
    requestedAt: Number.NaN,
    status: 0,
    ids: [],
    firstTokenId: null,
    firstTokenArrival: Number.NaN,
    ended: false,
    closed: false,
    error: null,
    connection: null,
  }));
  const latencies: number[] = [];
  /** The write time (ms) of each frame in `latencies`, same order. */
  const writtenAt: number[] = [];

  producer.send({ kind: "prepare", system: spec.system, turnIds: spec.turnIds, shape: spec.shape });
  await producer.next("prepared", 60_000);
  mark = phase(spec, "producers prepared", mark);

  const counter = createConnectionCounter();
  const redisClientsBaseline = await connectedClients(redis);
  const serverRedisConnsBefore = await counter.count(spec.serverPid, spec.redisPort);

  let attached = 0;
  let open = 0;
  let closedCount = 0;
  let resolveAllClosed: () => void = () => {};
  const allClosed = new Promise<void>((resolve) => {
    resolveAllClosed = resolve;
  });
  const onClosed = () => {
    closedCount++;
    if (closedCount === n) resolveAllClosed();
  };
  /** Opens client `index`'s stream; `settled` runs once, at its headers or its close if that comes first. */
  const connect = (index: number, settled: () => void) => {
    const target = spec.targets[index];
    const client = clients[index];
    if (!target || !client) return;
    let counted = false;
    const settleOne = () => {
      if (counted) return;
      counted = true;
      attached++;
      settled();
    };
    client.requestedAt = wallNow();
    client.connection = openSse(
      { host: "127.0.0.1", port: target.port, path: target.path, headers: target.headers },
      {
        onHeaders: (status, atMs) => {
          client.status = status;
          client.attachedAt = atMs;
          if (status !== 200) client.error = `HTTP ${status}`;
          else open++;
          settleOne();
        },
        onFrames: (frames, atMs) => {
          for (const frame of frames) {
            if (!frame.id) continue;
            client.ids.push(frame.id);
            const written = streamIdMs(frame.id);
            latencies.push(atMs - written);
            writtenAt.push(written);
            if (frame.event === "token" && client.firstTokenId === null) {
              client.firstTokenId = frame.id;
              client.firstTokenArrival = atMs;
            }
            if (frame.event === "end") {
              client.ended = true;
              client.connection?.close();
            }
          }
        },
        onClose: (error) => {
          client.closed = true;
          if (client.status === 200) open--;
          if (error && !client.ended) client.error ??= error.message;
          if (!client.ended) client.error ??= "closed before end";
          settleOne();
          onClosed();
        },
      },
    );
  };

  const lead = spec.shape.attachLeadMs;
  if (lead === null) {
    // Every client attaches before any token is written, CONNECT_IN_FLIGHT at a time.
    await new Promise<void>((resolve, reject) => {
      let nextIndex = 0;
      const timer = setTimeout(
        () => reject(new Error(`${spec.system} N=${n}: only ${attached} of ${n} clients attached`)),
        ATTACH_TIMEOUT_MS,
      );
      const launch = () =>
        connect(nextIndex++, () => {
          if (attached === n) {
            clearTimeout(timer);
            resolve();
          } else if (nextIndex < n) launch();
        });
      for (let i = 0; i < Math.min(CONNECT_IN_FLIGHT, n); i++) launch();
    });
  }
  mark = phase(spec, "clients attached", mark);
  await Bun.sleep(SETTLE_MS);

  // Resource sampling while the turns stream.
  let rssPeak = readRssMb(spec.serverPid);
  let redisClientsPeak = redisClientsBaseline;
  let serverConnsPeak = serverRedisConnsBefore;
  let samples = 0;
  const openSamples: number[] = [];
  const openSampledAt: number[] = [];
  const sampler = setInterval(() => {
    openSamples.push(open);
    openSampledAt.push(wallNow());
    rssPeak = Math.max(rssPeak, readRssMb(spec.serverPid));
    if (++samples % CONN_SAMPLE_EVERY === 0) {
      void counter.count(spec.serverPid, spec.redisPort).then((count) => {
        serverConnsPeak = Math.max(serverConnsPeak, count);
      });
    }
    connectedClients(redis)
      .then((count) => {
        redisClientsPeak = Math.max(redisClientsPeak, count);
      })
      .catch(() => {});
  }, SAMPLE_EVERY_MS);
  const lags: number[] = [];
  let lastProbe = performance.now();
  const lagProbe = setInterval(() => {
    const now = performance.now();
    lags.push(Math.max(0, now - lastProbe - LAG_PROBE_MS));
    lastProbe = now;
  }, LAG_PROBE_MS);

  await spec.probe?.reset();
  const commandsBefore = await commandStats(redis);
  const before = snapshot(spec);
  const startAtMs = wallNow() + START_DELAY_MS + (lead ?? 0);
  producer.send({ kind: "go", startAtMs });
  // Continuous arrivals: each client opens its stream `lead` ms before its turn's first token, as a
  // client whose POST has just been claimed would, instead of all of them waiting from the start.
  let attachTimer: ReturnType<typeof setInterval> | undefined;
  if (lead !== null) {
    let nextIndex = 0;
    attachTimer = setInterval(() => {
      const now = wallNow();
      while (nextIndex < n && startAtMs + (nextIndex / n) * spec.shape.spreadMs - lead <= now) {
        connect(nextIndex++, () => {});
      }
      if (nextIndex === n) clearInterval(attachTimer);
    }, 1);
  }
  const expectedMs = spec.shape.tokens * spec.shape.intervalMs;
  const finished = producer.next("finished", expectedMs + 120_000);
  let deadlineTimer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<"timeout">((resolve) => {
    deadlineTimer = setTimeout(() => resolve("timeout"), expectedMs + 60_000);
  });
  const outcome = await Promise.race([allClosed.then(() => "closed" as const), deadline]);
  clearTimeout(deadlineTimer);
  clearInterval(attachTimer);
  const after = snapshot(spec);
  clearInterval(sampler);
  clearInterval(lagProbe);
  counter.close();
  if (outcome === "timeout") for (const client of clients) client.connection?.close();

  const commandsAfter = await commandStats(redis);
  const probe = spec.probe ? await spec.probe.collect() : null;
  mark = phase(spec, "streamed", mark);
  const report: ProducerReport = (await finished).report;
  const check = await spec.verify(clients.map((client) => client.ids));
  phase(spec, "verified", mark);

  const firstToken: number[] = [];
  const hold: number[] = [];
  const endToEnd: number[] = [];
  /** When each first token in `endToEnd` was handed over, same order. */
  const firstHandedAt: number[] = [];
  clients.forEach((client, i) => {
    const handedOver = report.firstTokenAtMs[i] ?? Number.NaN;
    if (client.firstTokenId === null) return;
    const writtenAt = streamIdMs(client.firstTokenId);
    firstToken.push(client.firstTokenArrival - writtenAt);
    if (Number.isFinite(handedOver)) {
      // The id's ms is truncated: a write in the same ms as the hand-over reads as up to 1 ms early.
      hold.push(Math.max(0, writtenAt - Math.floor(handedOver)));
      endToEnd.push(client.firstTokenArrival - handedOver);
      firstHandedAt.push(handedOver);
    }
  });
  const failed = clients.filter((client) => !client.ended || client.status !== 200 || client.error !== null);
  const clientErrors = [...new Set(failed.map((client) => client.error ?? "no end"))].slice(0, 5);
  const full = plateau(startAtMs, spec.shape);

  return {
    system: spec.system,
    n,
    latency: distribution(latencies),
    allStreaming: distribution(within(latencies, writtenAt, full)),
    // Only continuous arrivals start turns in the plateau; a shorter spread has them all before it.
    firstTokenAtFull: distribution(full.arrivals ? within(endToEnd, firstHandedAt, full) : []),
    openAtFull: distribution(within(openSamples, openSampledAt, full)).p50,
    firstToken: distribution(firstToken),
    firstTokenHold: distribution(hold),
    firstTokenEndToEnd: distribution(endToEnd),
    attach: distribution(clients.map((client) => client.attachedAt - client.requestedAt)),
    frames: latencies.length,
    check,
    failedClients: failed.length,
    clientErrors,
    producerErrors: report.errors,
    streamWallS: (after.server.atMs - before.server.atMs) / 1_000,
    redisClientsBaseline,
    redisClientsPeak,
    serverRedisConnsBefore,
    serverRedisConnsPeak: serverConnsPeak,
    serverRssPeakMb: rssPeak,
    serverCpuPct: cpuPercent(before.server, after.server),
    serverCpuS: after.server.cpuS - before.server.cpuS,
    producerCpuPct: cpuPercent(before.producer, after.producer),
    benchCpuPct: cpuPercent(before.bench, after.bench),
    redisCpuPct: before.redis && after.redis ? cpuPercent(before.redis, after.redis) : Number.NaN,
    machineBusyPct: machineBusy(before.machine, after.machine),
    benchLagP99Ms: distribution(lags).p99,
    redisCommands: commandDelta(commandsBefore, commandsAfter),
    probe,
  };
}

interface Snapshot {
  server: CpuSample;
  producer: CpuSample;
  bench: CpuSample;
  redis: CpuSample | null;
  machine: MachineSample;
}

function snapshot(spec: RoundSpec): Snapshot {
  return {
    server: readCpu(spec.serverPid),
    producer: readCpu(spec.producer.pid),
    bench: selfCpu(),
    redis: spec.redisPid === null ? null : readCpu(spec.redisPid),
    machine: readMachine(),
  };
}

interface MachineSample {
  busy: number;
  total: number;
}

/** The whole machine's CPU counters (/proc/stat): busy = everything but idle and iowait. */
function readMachine(): MachineSample {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((sum, value) => sum + value, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: total - idle, total };
}

/** Busy share of all cores, in % of one core (200 = both cores of a 2-core machine fully busy). */
function machineBusy(from: MachineSample, to: MachineSample): number {
  const total = to.total - from.total;
  const cores = navigator.hardwareConcurrency;
  return total > 0 ? (100 * cores * (to.busy - from.busy)) / total : Number.NaN;
}

export async function connectedClients(redis: Redis): Promise<number> {
  const info = await redis.info("clients");
  const match = /connected_clients:(\d+)/.exec(info);
  return match?.[1] ? Number(match[1]) : Number.NaN;
}

type CommandStats = Map<string, { calls: number; usec: number }>;

/** INFO commandstats: calls and total server µs per command (subcommands as `client|unblock`). */
async function commandStats(redis: Redis): Promise<CommandStats> {
  const stats: CommandStats = new Map();
  for (const match of (await redis.info("commandstats")).matchAll(
    /^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm,
  )) {
    if (match[1]) stats.set(match[1], { calls: Number(match[2]), usec: Number(match[3]) });
  }
  return stats;
}

function commandDelta(before: CommandStats, after: CommandStats): CommandStats {
  const delta: CommandStats = new Map();
  for (const [name, stat] of after) {
    const previous = before.get(name) ?? { calls: 0, usec: 0 };
    const calls = stat.calls - previous.calls;
    if (calls > 0) delta.set(name, { calls, usec: stat.usec - previous.usec });
  }
  return delta;
}
