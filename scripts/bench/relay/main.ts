/**
 * Relay benchmark: our turn-log relay (one multiplexed XREAD per api instance → SSE) against Vercel's
 * `resumable-stream` (pub/sub from the producer to each resuming consumer) on the same Redis, with
 * the same load: N concurrent turns, `--tokens` tokens each at one per `--token-interval-ms`.
 *
 *   bun scripts/bench/relay/main.ts [--n 100,500,1000,2000] [--tokens 40] [--token-interval-ms 25]
 *       [--spread-ms MS] [--systems hilo,peer] [--warmup 50] [--repeat 3]
 *       [--attach-lead-ms MS]
 *   --spread-ms: turn i starts (i / N) × MS after the first. The default (one token interval) starts,
 *       streams and ends every turn together, the worst burst; e.g. `--tokens 120 --spread-ms 1000`
 *       staggers starts and ends over a second and keeps all N streaming for the two seconds between.
 *   --attach-lead-ms: each client opens its stream MS before its turn's first token, instead of every
 *       client attaching before the round. With a spread longer than a turn this is a steady load of
 *       continuous arrivals: e.g. `--n 4000 --tokens 200 --spread-ms 10000 --attach-lead-ms 200` keeps
 *       2,000 streams open from 5 s to 10 s, 400 turns starting and 400 ending every second.
 *   diagnostics:
 *       --probe            time the hub's XREAD cycle inside the api (api-probe.ts, preloaded)
 *       --profile-api DIR  the api writes a CPU profile (markdown) to DIR when it stops
 *       --api-root DIR     run the api (and its turn-log writer) from another checkout, e.g. one with
 *                          PROPOSED_FIX.diff applied
 *       --pin              servers on CPU 1, producers and clients on CPU 0 (taskset)
 *   HILO_* variables set for the bench are passed to the api; BENCH_DEBUG=1 prints phase timings.
 *
 * Processes (so that no relay shares an event loop with its load):
 *   - ours: a real `hilo api` (src/main.ts, stack env, its own port and API key). Clients read
 *     GET /v1/sessions/:id/turns/:turn_id/events; the bench inserts a session and a running claim
 *     per turn in MySQL, and the producer process appends with the app's createTurnLogWriter.
 *   - peer: peer-server.ts, a Bun server whose GET /streams/:id answers resumeExistingStream as SSE;
 *     the producer process creates each stream with createNewResumableStream.
 *   - producer-process.ts: the N producers of either system (the instance that took the POST).
 *   - this process: the N SSE clients (raw sockets), the clock, the checks and the report.
 * Every client attaches before the first token; then turn i starts at (i / N) of one token interval.
 *
 * Measures (per round; each (system, N) runs --repeat times and the table shows the median-p99 round):
 *   - latency: arrival − write time of every frame. Ours: the ms part of the stream id (Redis's clock
 *     at XADD). Peer: the send time the producer put in the frame id (its chunk, before PUBLISH).
 *   - first token: relay = the same for each turn's first token frame; held by writer = its XADD −
 *     when the producer handed the token to the writer (coalescing); producer→client = both.
 *   - lost / duplicated / reordered: each client's frame ids against XRANGE of its turn's log (ours),
 *     against the sequence numbers the producer sent (peer).
 *   - Redis connections: the server process's own (from /proc), and INFO clients peak − baseline.
 *   - RSS and CPU of the server (api | peer server), the producer process, these clients and Redis
 *     (/proc), and what the rest of the machine used meanwhile (other engineers share it).
 * Everything the run creates (MySQL rows of one bench user, Redis keys under one run tag) is deleted
 * at the end, and the processes it started are stopped, also on Ctrl-C or failure.
 */
import { randomBytes } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import { createAppDb } from "../../../src/infra/app-db";
import { loadStackEnv, ROOT, requireEnv, stackEnv } from "./env";
import {
  checkAgainstLogs,
  deleteHiloRows,
  deleteKeyList,
  deleteKeys,
  hiloTurns,
  insertHiloRows,
} from "./hilo-load";
import { peerKeyPrefix, peerTurnIds } from "./peer-load";
import {
  type ChildProcess,
  countConnectionsTo,
  freePort,
  readRssMb,
  spawnChild,
  stopAllChildren,
} from "./procs";
import { type FromProducer, isFromProducer, type LoadShape, type System } from "./protocol";
import {
  type DeliveryCheck,
  type Probe,
  type ProbeWindow,
  type ProducerHandle,
  type RoundResult,
  runRound,
} from "./round";
import { type Distribution, distribution, fmt, fmtInt, type Row, ratio, table } from "./stats";

const TARGET = { streams: 2_000, p99Ms: 50, firstTokenMs: 5 };
const START_TIMEOUT_MS = 60_000;
const PROBE_SETTLE_MS = 100;
const ROUND_GAP_MS = 300;

const { values } = parseArgs({
  options: {
    n: { type: "string", default: "100,500,1000,2000" },
    tokens: { type: "string", default: "40" },
    "token-interval-ms": { type: "string", default: "25" },
    "spread-ms": { type: "string" },
    "attach-lead-ms": { type: "string" },
    systems: { type: "string", default: "hilo,peer" },
    warmup: { type: "string", default: "50" },
    repeat: { type: "string", default: "3" },
    "profile-api": { type: "string" },
    probe: { type: "boolean", default: false },
    "api-root": { type: "string" },
    pin: { type: "boolean", default: false },
  },
});
const counts = values.n.split(",").map((value) => Number(value.trim()));
const intervalMs = Number(values["token-interval-ms"]);
const shape: LoadShape = {
  tokens: Number(values.tokens),
  intervalMs,
  spreadMs: values["spread-ms"] === undefined ? intervalMs : Number(values["spread-ms"]),
  attachLeadMs: values["attach-lead-ms"] === undefined ? null : Number(values["attach-lead-ms"]),
};
const systems = values.systems.split(",").map((value) => value.trim()) as System[];
const warmup = Number(values.warmup);
const repeat = Number(values.repeat);
if (counts.some((n) => !Number.isInteger(n) || n < 1)) throw new Error("--n must be positive integers");
if (!Number.isInteger(shape.tokens) || shape.tokens < 1)
  throw new Error("--tokens must be a positive integer");
if (!(shape.intervalMs > 0)) throw new Error("--token-interval-ms must be positive");
if (!(shape.spreadMs >= 0)) throw new Error("--spread-ms must be a non-negative number");
if (shape.attachLeadMs !== null && !(shape.attachLeadMs >= 0))
  throw new Error("--attach-lead-ms must be a non-negative number");
if (systems.some((system) => system !== "hilo" && system !== "peer")) throw new Error("--systems: hilo,peer");
if (!Number.isInteger(warmup) || warmup < 0) throw new Error("--warmup must be a non-negative integer");
if (!Number.isInteger(repeat) || repeat < 1) throw new Error("--repeat must be a positive integer");

loadStackEnv();
const redisUrl = requireEnv("REDIS_URL");
const redisPort = Number(new URL(redisUrl).port || 6379);
const runTag = `brl${randomBytes(3).toString("hex")}`;
const userId = `bench-relay-${runTag}`;
const apiKey = `bench-relay-${randomBytes(12).toString("hex")}`;
const peerPrefix = peerKeyPrefix(runTag);
const probeFile = join(tmpdir(), `${runTag}-probe.json`);
const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
redis.on("error", () => {});
const appDb = createAppDb(requireEnv("APP_DB_URL"), 5_000);
let round = 0;
/** Turn-log keys of hilo rounds not yet cleaned up. */
const hiloKeys = new Set<string>();

let cleanedUp = false;
async function cleanup(): Promise<void> {
  if (cleanedUp) return;
  cleanedUp = true;
  await stopAllChildren();
  await deleteHiloRows(appDb.db, userId).catch((error) => console.error("could not delete rows:", error));
  const keys =
    (await deleteKeyList(redis, [...hiloKeys]).catch(() => 0)) +
    (await deleteKeys(redis, `${peerPrefix}:*`).catch(() => 0));
  if (keys > 0) console.log(`cleanup: deleted ${keys} leftover Redis keys`);
  redis.disconnect();
  await appDb.close().catch(() => {});
  rmSync(probeFile, { force: true });
}
process.on("SIGINT", () => {
  console.error("\ninterrupted; cleaning up");
  void cleanup().finally(() => process.exit(130));
});

/** PATH, HOME, the stack's settings, any HILO_* set for the bench (api tuning), then `extra`. */
function childEnv(extra: Record<string, string>): Record<string, string | undefined> {
  const hilo = Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith("HILO_")));
  return { PATH: process.env.PATH, HOME: process.env.HOME, ...stackEnv(), ...hilo, ...extra };
}

function producerHandle(): {
  handle: (child: ChildProcess) => ProducerHandle;
  deliver: (m: unknown) => void;
} {
  const inbox: FromProducer[] = [];
  const waiters: { kind: string; resolve: (m: FromProducer) => void; reject: (e: Error) => void }[] = [];
  const deliver = (message: unknown) => {
    if (!isFromProducer(message)) return;
    if (message.kind === "failed") {
      for (const waiter of waiters.splice(0)) waiter.reject(new Error(`producer failed: ${message.message}`));
      return;
    }
    const index = waiters.findIndex((waiter) => waiter.kind === message.kind);
    if (index === -1) inbox.push(message);
    else waiters.splice(index, 1)[0]?.resolve(message);
  };
  const handle = (child: ChildProcess): ProducerHandle => ({
    pid: child.pid,
    send: (message) => child.proc.send(message),
    next: <K extends FromProducer["kind"]>(kind: K, timeoutMs: number) =>
      new Promise<Extract<FromProducer, { kind: K }>>((resolve, reject) => {
        const queued = inbox.findIndex((message) => message.kind === kind);
        if (queued !== -1) return resolve(inbox.splice(queued, 1)[0] as Extract<FromProducer, { kind: K }>);
        const timer = setTimeout(
          () => reject(new Error(`producer: no "${kind}" within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          kind,
          resolve: (message) => {
            clearTimeout(timer);
            resolve(message as Extract<FromProducer, { kind: K }>);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        });
      }),
  });
  return { handle, deliver };
}

async function redisServerPid(): Promise<number | null> {
  const match = /process_id:(\d+)/.exec(await redis.info("server"));
  const pid = match?.[1] ? Number(match[1]) : null;
  // Only a Redis on this machine (and in this PID namespace) can be measured.
  return pid !== null && existsSync(`/proc/${pid}/stat`) ? pid : null;
}

function peerCheck(received: string[][]): DeliveryCheck {
  const expected = shape.tokens + 2; // tokens, done, end
  const check: DeliveryCheck = { lost: 0, duplicated: 0, reordered: 0, entries: received.length * expected };
  for (const ids of received) {
    const seqs = ids.map((id) => Number(id.slice(id.indexOf("-") + 1)));
    const unique = new Set(seqs);
    check.duplicated += seqs.length - unique.size;
    for (let seq = 0; seq < expected; seq++) if (!unique.has(seq)) check.lost++;
    for (let i = 1; i < seqs.length; i++) if ((seqs[i] ?? 0) <= (seqs[i - 1] ?? 0)) check.reordered++;
  }
  return check;
}

async function main(): Promise<void> {
  const redisPid = await redisServerPid();
  const apiPort = await freePort();
  // --profile-api DIR: the api writes a CPU profile (markdown) to DIR when it stops.
  const profile = values["profile-api"];
  const profileFlags = profile ? ["--cpu-prof-md", `--cpu-prof-dir=${profile}`] : [];
  // --probe: time the hub's XREAD cycle inside the api (api-probe.ts, preloaded; src/ untouched).
  const probeFlags = values.probe ? ["--preload", `${import.meta.dir}/api-probe.ts`] : [];
  const apiRoot = values["api-root"] ?? ROOT;
  // --pin: the server under test gets CPU 1 to itself (apart from Redis and whatever else runs on
  // the machine); the load generators share CPU 0. Diagnostic: shows the server's own capacity.
  const onServerCpu = values.pin ? ["taskset", "-c", "1"] : [];
  const onLoadCpu = values.pin ? ["taskset", "-c", "0"] : [];
  if (values.pin) Bun.spawnSync(["taskset", "-a", "-p", "-c", "0", String(process.pid)]);
  const api = spawnChild(
    [...onServerCpu, "bun", ...profileFlags, ...probeFlags, join(apiRoot, "src/main.ts"), "api"],
    {
      cwd: apiRoot,
      env: childEnv({
        HILO_ENV: "development",
        HOST: "127.0.0.1",
        PORT: String(apiPort),
        HILO_API_KEY: apiKey,
        // Thousands of streams from one loopback address: the address limit would refuse most.
        HILO_REQUESTS_PER_ADDRESS_PER_MINUTE: "0",
        BENCH_PROBE_FILE: probeFile,
      }),
    },
  );
  const probe: Probe | undefined = values.probe
    ? {
        reset: async () => {
          process.kill(api.pid, "SIGUSR2");
          await Bun.sleep(PROBE_SETTLE_MS);
        },
        collect: async () => {
          process.kill(api.pid, "SIGUSR2");
          await Bun.sleep(PROBE_SETTLE_MS);
          const window = (await Bun.file(probeFile).json()) as ProbeWindow;
          if (process.env.BENCH_DEBUG) await Bun.write(`${probeFile}.${round}.json`, JSON.stringify(window));
          return window;
        },
      }
    : undefined;
  const producers = producerHandle();
  const producerChild = spawnChild(
    [...onLoadCpu, "bun", `${import.meta.dir}/producer-process.ts`, redisUrl, peerPrefix, apiRoot],
    {
      cwd: ROOT,
      env: childEnv({}),
      ipc: producers.deliver,
    },
  );
  const producer = producers.handle(producerChild);
  const peerPort = await freePort();
  const peerServer = spawnChild(
    [...onServerCpu, "bun", `${import.meta.dir}/peer-server.ts`, redisUrl, `${peerPrefix}`, String(peerPort)],
    { cwd: ROOT, env: childEnv({}) },
  );
  await Promise.all([
    api.waitFor('"msg":"ready"', START_TIMEOUT_MS),
    producerChild.waitFor("producer ready", START_TIMEOUT_MS),
    peerServer.waitFor("peer server ready", START_TIMEOUT_MS),
  ]);
  const idle = {
    hilo: { redis: countConnectionsTo(api.pid, redisPort), rss: readRssMb(api.pid) },
    peer: { redis: countConnectionsTo(peerServer.pid, redisPort), rss: readRssMb(peerServer.pid) },
  };
  console.log(
    `relay bench ${runTag}: ${systems.join(" vs ")}, N = ${counts.join(", ")}, ${shape.tokens} tokens every ` +
      `${shape.intervalMs} ms per turn (${fmt((shape.tokens * shape.intervalMs) / 1_000)} s), ` +
      `starts spread over ${fmt(shape.spreadMs)} ms, ` +
      (shape.attachLeadMs === null
        ? "clients attached before the first token, "
        : `each client attaching ${fmt(shape.attachLeadMs)} ms before its first token, `) +
      `${navigator.hardwareConcurrency} cores, ulimit -n ${await ulimit()}`,
  );
  if (apiRoot !== ROOT) console.log(`  api from ${apiRoot}`);
  console.log(
    `  api pid ${api.pid} (port ${apiPort}, idle: ${idle.hilo.redis} Redis conns, ${fmt(idle.hilo.rss)} MB), ` +
      `peer server pid ${peerServer.pid} (port ${peerPort}, idle: ${idle.peer.redis} Redis conns, ` +
      `${fmt(idle.peer.rss)} MB), producer pid ${producerChild.pid}, redis pid ${redisPid ?? "n/a"}`,
  );

  // A child that dies mid-run (or a stack restarted under the bench) fails the run at once.
  const died = Promise.race([api.died, producerChild.died, peerServer.died]);
  const runOne = (system: System, n: number): Promise<RoundResult> =>
    Promise.race([measure(system, n), died]);
  const measure = async (system: System, n: number): Promise<RoundResult> => {
    const prefix = `${runTag}-${++round}`;
    if (system === "hilo") {
      const turns = hiloTurns(n);
      for (const turn of turns) hiloKeys.add(turn.key);
      await insertHiloRows(appDb.db, userId, turns);
      const headers = {
        "X-API-Key": apiKey,
        "X-User-ID": userId,
        "X-Timezone": "Europe/London",
        "X-Platform": "ios",
        "X-App-Version": "4.12.0",
      };
      try {
        return await runRound({
          system,
          n,
          shape,
          turnIds: turns.map((turn) => turn.turnId),
          targets: turns.map((turn) => ({
            port: apiPort,
            path: `/v1/sessions/${turn.sessionId}/turns/${turn.turnId}/events`,
            headers,
          })),
          serverPid: api.pid,
          probe,
          producer,
          redis,
          redisPid,
          redisPort,
          verify: (received) =>
            checkAgainstLogs(
              redis,
              turns.map((turn) => turn.key),
              received,
            ),
        });
      } finally {
        await deleteKeyList(
          redis,
          turns.map((turn) => turn.key),
        );
        for (const turn of turns) hiloKeys.delete(turn.key);
        await deleteHiloRows(appDb.db, userId);
      }
    }
    const ids = peerTurnIds(prefix, n);
    try {
      return await runRound({
        system,
        n,
        shape,
        turnIds: ids,
        targets: ids.map((id) => ({ port: peerPort, path: `/streams/${id}`, headers: {} })),
        serverPid: peerServer.pid,
        producer,
        redis,
        redisPid,
        redisPort,
        verify: async (received) => peerCheck(received),
      });
    } finally {
      await deleteKeys(redis, `${peerPrefix}:*`);
    }
  };

  if (warmup > 0) {
    for (const system of systems) await runOne(system, warmup);
    console.log(`  warm-up done (N = ${warmup} per system, not reported)`);
  }

  // Each (system, N) runs `repeat` times, the systems alternating, and the table shows the round
  // with the median p99: the machine is shared, and one round can land on someone else's busy second.
  const finalLines: string[] = [];
  for (const n of counts) {
    const results = new Map<System, RoundResult[]>(systems.map((system) => [system, []]));
    for (let r = 0; r < repeat; r++) {
      for (const system of systems) {
        results.get(system)?.push(await runOne(system, n));
        await Bun.sleep(ROUND_GAP_MS);
      }
    }
    console.log(`\n${renderTable(n, results)}`);
    finalLines.push(finalLine(n, results));
  }
  console.log(`\n${finalLines.join("\n")}`);
  if (process.env.BENCH_DEBUG) console.error(`api output (tail):\n${api.output().slice(-3_000)}`);
}

async function ulimit(): Promise<string> {
  const result = Bun.spawnSync(["sh", "-c", "ulimit -n"]);
  return result.stdout.toString().trim();
}

type Show = (r: RoundResult) => string;
type Value = (r: RoundResult) => number;

const ms = (d: Distribution, withMax = false): string =>
  `${fmt(d.p50)} / ${fmt(d.p99)}${withMax ? ` / ${fmt(d.max)}` : ""}`;

/** label, how a cell shows, and (optionally) the number the ours/peer ratio is taken of. */
const ROWS: [string, Show, Value?][] = [
  ["frames delivered", (r) => fmtInt(r.frames)],
  [
    "Redis writes (entries | chunks) / s",
    (r) => fmtInt(r.check.entries / r.streamWallS),
    (r) => r.check.entries,
  ],
  ["latency p50 / p99 / max (ms)", (r) => ms(r.latency, true), (r) => r.latency.p99],
  [
    "  at full concurrency: p50 / p99 (frames)",
    (r) => (r.allStreaming.count > 0 ? `${ms(r.allStreaming)} (${fmtInt(r.allStreaming.count)})` : "-"),
    (r) => r.allStreaming.p99,
  ],
  ["  streams open at full concurrency", (r) => fmtInt(r.openAtFull)],
  ["first token: relay p50 / p99 (ms)", (r) => ms(r.firstToken), (r) => r.firstToken.p50],
  ["first token: held by writer p50 / p99", (r) => ms(r.firstTokenHold)],
  [
    "first token: producer→client p50 / p99",
    (r) => ms(r.firstTokenEndToEnd),
    (r) => r.firstTokenEndToEnd.p50,
  ],
  [
    "first token at full concurrency: producer→client",
    (r) => (r.firstTokenAtFull.count > 0 ? ms(r.firstTokenAtFull) : "-"),
    (r) => r.firstTokenAtFull.p50,
  ],
  ["attach (request→headers) p50 / p99", (r) => ms(r.attach), (r) => r.attach.p99],
  ["lost / duplicated / reordered", (r) => `${r.check.lost} / ${r.check.duplicated} / ${r.check.reordered}`],
  [
    "clients without a clean end",
    (r) => `${r.failedClients}${r.clientErrors.length ? ` (${r.clientErrors.join("; ")})` : ""}`,
  ],
  [
    "Redis conns: INFO peak − baseline (shared Redis)",
    (r) => signed(r.redisClientsPeak - r.redisClientsBaseline),
  ],
  ["server's Redis conns (before → peak)", (r) => `${r.serverRedisConnsBefore} → ${r.serverRedisConnsPeak}`],
  ["server RSS peak (MB)", (r) => fmt(r.serverRssPeakMb), (r) => r.serverRssPeakMb],
  ["server CPU (% of one core)", (r) => fmt(r.serverCpuPct, 0), (r) => r.serverCpuPct],
  ["server CPU per frame (µs)", (r) => fmt((r.serverCpuS * 1e6) / r.frames), (r) => r.serverCpuS / r.frames],
  ["producer process CPU (%)", (r) => fmt(r.producerCpuPct, 0), (r) => r.producerCpuPct],
  ["Redis CPU (%)", (r) => fmt(r.redisCpuPct, 0), (r) => r.redisCpuPct],
  ["Redis relay command: calls/s, µs/call", (r) => relayCommand(r)],
  ["bench clients CPU (%)", (r) => fmt(r.benchCpuPct, 0)],
  ["other processes + kernel (%)", (r) => fmt(otherCpu(r), 0)],
  ["machine busy (% of one core, max 200)", (r) => fmt(r.machineBusyPct, 0)],
  ["bench event-loop lag p99 (ms)", (r) => fmt(r.benchLagP99Ms)],
  ["streaming wall time (s)", (r) => fmt(r.streamWallS, 2)],
];

/** Rows from api-probe.ts (ours only): where the hub's XREAD cycle spends its time. */
const PROBE_ROWS: [string, (p: ProbeWindow, r: RoundResult) => string][] = [
  ["hub: entry age when its XREAD reply is decoded", (p) => ms(distribution(p.ageMs), true)],
  ["hub: XREAD calls/s", (p, r) => fmtInt(p.calls / r.streamWallS)],
  [
    "hub: keys / streams with data / entries per XREAD",
    (p) =>
      `${fmtInt(p.keys / p.calls)} / ${fmtInt(p.streamsWithData / p.calls)} / ${fmtInt(p.entries / p.calls)}`,
  ],
  ["hub: read-to-read interval p50 / p99 (ms)", (p) => ms(distribution(intervals(p)), true)],
  ["hub: encode+write XREAD p50 / p99 (ms)", (p) => ms(distribution(p.encodeMs))],
  ["hub: send→reply decoded p50 / p99 (ms)", (p) => ms(distribution(steady(p, 3)))],
  ["hub: reply→next XREAD (dispatch) p50 / p99", (p) => ms(distribution(p.gapMs))],
  [
    "api event-loop lag p99 / max (ms)",
    (p) => {
      const d = distribution(p.lagMs);
      return `${fmt(d.p99)} / ${fmt(d.max)}`;
    },
  ],
];

/** Read-to-read intervals after the first read of the round (which blocks until the turns start). */
function intervals(p: ProbeWindow): number[] {
  const starts = p.timeline.map((row) => row[0] ?? Number.NaN);
  return starts.slice(2).map((start, i) => start - (starts[i + 1] ?? Number.NaN));
}

/** Column `column` of the timeline (3 = wait for the reply), without the round's first read. */
function steady(p: ProbeWindow, column: number): number[] {
  return p.timeline.slice(1).map((row) => row[column] ?? Number.NaN);
}

function signed(value: number): string {
  return value >= 0 ? `+${value}` : String(value);
}

/** The round with the median p99 of a (system, N). */
function median(rounds: RoundResult[] | undefined): RoundResult | undefined {
  if (!rounds || rounds.length === 0) return undefined;
  return [...rounds].sort((a, b) => a.latency.p99 - b.latency.p99)[Math.floor((rounds.length - 1) / 2)];
}

/** Delivery errors summed over every repeat (a loss in any round must show). */
function allRounds(rounds: RoundResult[]): {
  lost: number;
  duplicated: number;
  reordered: number;
  failed: number;
} {
  return rounds.reduce(
    (sum, r) => ({
      lost: sum.lost + r.check.lost,
      duplicated: sum.duplicated + r.check.duplicated,
      reordered: sum.reordered + r.check.reordered,
      failed: sum.failed + r.failedClients,
    }),
    { lost: 0, duplicated: 0, reordered: 0, failed: 0 },
  );
}

function spread(rounds: RoundResult[]): string {
  const p99s = rounds.map((r) => r.latency.p99).sort((a, b) => a - b);
  return p99s.map((p99) => fmt(p99)).join(" / ");
}

function renderTable(n: number, results: Map<System, RoundResult[]>): string {
  const oursRounds = results.get("hilo") ?? [];
  const peerRounds = results.get("peer") ?? [];
  const ours = median(oursRounds);
  const peer = median(peerRounds);
  const rows: Row[] = ROWS.map(([label, show, value]) => [
    label,
    ours ? show(ours) : "-",
    peer ? show(peer) : "-",
    value && ours && peer ? ratio(value(ours), value(peer)) : "",
  ]);
  const errors = (rounds: RoundResult[]) => {
    if (rounds.length === 0) return "-";
    const sum = allRounds(rounds);
    return `${sum.lost} / ${sum.duplicated} / ${sum.reordered} / ${sum.failed}`;
  };
  rows.push(
    [
      `p99 of each of the ${repeat} rounds (ms)`,
      oursRounds.length ? spread(oursRounds) : "-",
      peerRounds.length ? spread(peerRounds) : "-",
      "",
    ],
    ["all rounds: lost / dup / reordered / unclean", errors(oursRounds), errors(peerRounds), ""],
  );
  const probe = ours?.probe;
  if (ours && probe) {
    for (const [label, show] of PROBE_ROWS) rows.push([label, show(probe, ours), "", ""]);
  }
  for (const r of [ours, peer]) {
    if (r?.producerErrors.length)
      rows.push([`${r.system} producer errors`, r.producerErrors.join("; "), "", ""]);
  }
  const title = `N = ${fmtInt(n)} (median-p99 round of ${repeat})`;
  return table([title, "ours (hilo relay)", "peer (resumable-stream)", "ours/peer"], rows);
}

/** The relay's own Redis command: XREAD for ours; for the peer, the producer's PUBLISH per chunk. */
function relayCommand(r: RoundResult): string {
  const name = r.system === "hilo" ? "xread" : "publish";
  const stat = r.redisCommands.get(name);
  if (!stat) return "-";
  return `${name.toUpperCase()} ${fmtInt(stat.calls / r.streamWallS)}, ${fmt(stat.usec / stat.calls)}`;
}

/** Machine CPU not used by the round's processes: other engineers' work on this machine, the kernel. */
function otherCpu(r: RoundResult): number {
  return r.machineBusyPct - r.serverCpuPct - r.producerCpuPct - r.benchCpuPct - r.redisCpuPct;
}

function finalLine(n: number, results: Map<System, RoundResult[]>): string {
  const oursRounds = results.get("hilo") ?? [];
  const ours = median(oursRounds);
  const peer = median(results.get("peer"));
  const part = (r: RoundResult | undefined, name: string) => {
    if (!r) return `${name} -`;
    const errors = allRounds(results.get(r.system) ?? []);
    return (
      `${name} p50 ${fmt(r.latency.p50)} p99 ${fmt(r.latency.p99)} ms ` +
      `(at full concurrency, ${fmtInt(r.openAtFull)} open: p99 ${r.allStreaming.count > 0 ? fmt(r.allStreaming.p99) : "-"}), ` +
      `first token +${fmt(r.firstTokenEndToEnd.p50)} ms (relay ${fmt(r.firstToken.p50)}), ` +
      `lost ${errors.lost} dup ${errors.duplicated}, ` +
      `server Redis conns ${r.serverRedisConnsBefore}→${r.serverRedisConnsPeak} ` +
      `(INFO ${signed(r.redisClientsPeak - r.redisClientsBaseline)}), ` +
      `${fmt(r.serverRssPeakMb, 0)} MB, ${fmt(r.serverCpuPct, 0)}% CPU`
    );
  };
  const ratios =
    ours && peer
      ? `ours/peer: p99 ${ratio(ours.latency.p99, peer.latency.p99)}, ` +
        `first token ${ratio(ours.firstTokenEndToEnd.p50, peer.firstTokenEndToEnd.p50)}, ` +
        `CPU ${ratio(ours.serverCpuPct, peer.serverCpuPct)}, RSS ${ratio(ours.serverRssPeakMb, peer.serverRssPeakMb)}`
      : "";
  let verdict = "";
  if (ours) {
    // "Added before the first token reaches the client" counts everything after the model handed the
    // token over: the writer's coalescing hold and the relay.
    const errors = allRounds(oursRounds);
    const ok =
      ours.latency.p99 <= TARGET.p99Ms &&
      ours.firstTokenEndToEnd.p50 <= TARGET.firstTokenMs &&
      errors.lost + errors.duplicated + errors.failed === 0;
    const scope = n >= TARGET.streams ? "" : ` (N < ${TARGET.streams})`;
    verdict = ` | target (p99 ≤ ${TARGET.p99Ms} ms, first token ≤ ${TARGET.firstTokenMs} ms, 0 lost): ${ok ? "PASS" : "FAIL"}${scope}`;
    // The same target over the plateau only: the round at its full concurrency, without the ramps.
    if (ours.allStreaming.count > 0 && ours.firstTokenAtFull.count > 0) {
      const okFull =
        ours.allStreaming.p99 <= TARGET.p99Ms &&
        ours.firstTokenAtFull.p50 <= TARGET.firstTokenMs &&
        errors.lost + errors.duplicated + errors.failed === 0;
      const scopeFull = ours.openAtFull >= TARGET.streams ? "" : ` (${fmtInt(ours.openAtFull)} open)`;
      verdict += `; at full concurrency: ${okFull ? "PASS" : "FAIL"}${scopeFull}`;
    }
  }
  return `N=${n}: ${part(ours, "ours")} | ${part(peer, "peer")} | ${ratios}${verdict}`;
}

try {
  await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await cleanup();
}
process.exit();
