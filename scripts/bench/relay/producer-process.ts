// The producer process: N turn producers writing tokens at a fixed rate, for ours (the app's turn-log
// writer → XADD) or the peer (resumable-stream → PUBLISH). A process of its own, like the api
// instance that took the POST, so neither relay shares an event loop with its load. Driven over IPC
// by main.ts.
//
//   (started by main.ts) bun scripts/bench/relay/producer-process.ts <redis-url> <peer-key-prefix> <api-root>

import { join } from "node:path";
import { wallNow } from "./env";
import { type CreateWriter, hiloDriver, type TurnDriver, type TurnLogStreams } from "./hilo-load";
import { createPeerContext, type PeerContext, peerDriver } from "./peer-load";
import { type FromProducer, isToProducer, type LoadShape, type ToProducer } from "./protocol";

const TICK_MS = 1;
const MAX_ERRORS = 20;

const [redisUrl, peerPrefix, apiRoot] = process.argv.slice(2);
if (!redisUrl || !peerPrefix || !apiRoot) {
  throw new Error("usage: producer-process.ts <redis-url> <peer-key-prefix> <api-root>");
}
// The writer and its appender of the checkout the api runs from (main.ts --api-root), so a patched
// writer is measured; one appender writes every turn log, as in one api instance.
const { createTurnLogWriter } = (await import(join(apiRoot, "src/chat/turn-log.ts"))) as {
  createTurnLogWriter: CreateWriter;
};
const { createRedis } = (await import(join(apiRoot, "src/infra/redis.ts"))) as {
  createRedis: (url: string, timeoutMs: number) => { streams: TurnLogStreams & { close(): void } };
};
const streams = createRedis(redisUrl, 5_000).streams;
let peer: PeerContext | null = null;

interface Prepared {
  drivers: TurnDriver[];
  shape: LoadShape;
  errors: string[];
}
let prepared: Prepared | null = null;

const reply = (message: FromProducer) => process.send?.(message);

async function prepare(message: Extract<ToProducer, { kind: "prepare" }>): Promise<void> {
  const started = performance.now();
  const errors: string[] = [];
  const onError = (error: unknown) => {
    if (errors.length < MAX_ERRORS) errors.push(String(error));
  };
  let drivers: TurnDriver[];
  if (message.system === "hilo") {
    drivers = message.turnIds.map((turnId) => hiloDriver(createTurnLogWriter, streams, turnId, onError));
  } else {
    peer ??= createPeerContext(redisUrl ?? "", peerPrefix ?? "", true);
    const context = peer;
    drivers = await Promise.all(message.turnIds.map((turnId) => peerDriver(context, turnId)));
  }
  prepared = { drivers, shape: message.shape, errors };
  reply({ kind: "prepared", ms: performance.now() - started });
}

/** Turn i's token k falls at startAtMs + (i / n) * spread + k * interval: starts spread evenly. */
async function go(startAtMs: number): Promise<void> {
  if (!prepared) throw new Error("go before prepare");
  const { drivers, shape, errors } = prepared;
  prepared = null;
  const n = drivers.length;
  const next = drivers.map((_, i) => startAtMs + (i / n) * shape.spreadMs);
  const sent = new Array<number>(n).fill(0);
  const firstTokenAtMs = new Array<number>(n).fill(Number.NaN);
  const texts = drivers.map(() => [] as string[]);
  const finishing: Promise<void>[] = [];
  let active = n;

  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = wallNow();
      for (let i = 0; i < n; i++) {
        const driver = drivers[i];
        if (!driver || sent[i] === shape.tokens) continue;
        while ((sent[i] ?? 0) < shape.tokens && (next[i] ?? 0) <= now) {
          const k = sent[i] ?? 0;
          const text = `tok${k} `;
          if (k === 0) firstTokenAtMs[i] = wallNow();
          driver.token(text);
          texts[i]?.push(text);
          sent[i] = k + 1;
          next[i] = (next[i] ?? 0) + shape.intervalMs;
        }
        if (sent[i] === shape.tokens) {
          finishing.push(
            driver.finish(texts[i]?.join("") ?? "").catch((error: unknown) => {
              if (errors.length < MAX_ERRORS) errors.push(String(error));
            }),
          );
          active--;
        }
      }
      if (active === 0) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(tick, TICK_MS);
  });
  await Promise.all(finishing);
  // The peer finishes its bookkeeping (DONE sentinel, DONE message to listeners) after the stream ends.
  while (peer && peer.pending.size > 0) await Promise.allSettled([...peer.pending]);
  reply({ kind: "finished", report: { firstTokenAtMs, errors, spanMs: wallNow() - startAtMs } });
}

process.on("message", (message: unknown) => {
  if (!isToProducer(message)) return;
  const work = message.kind === "prepare" ? prepare(message) : go(message.startAtMs);
  work.catch((error: unknown) => reply({ kind: "failed", message: String(error) }));
});

process.on("SIGTERM", () => {
  peer?.close();
  streams.close();
  process.exit(0);
});

// Connects the appender (the first append would otherwise pay for it inside the measured round).
await streams.expire(`${peerPrefix}:producer-ready`, 1);
console.log("producer ready");
