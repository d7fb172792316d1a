// The peer: Vercel's `resumable-stream` on the same Redis. Its producer keeps the stream in memory
// and answers each resuming consumer over pub/sub (one PUBLISH per chunk per listener); its consumers
// are `resumeExistingStream` readers inside a server process that answers SSE, as an app would.
import { Redis } from "ioredis";
import { createResumableStreamContext, type ResumableStreamContext } from "resumable-stream/ioredis";
import { wallNow } from "./env";
import type { TurnDriver } from "./hilo-load";

export function peerTurnIds(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}-p${i}`);
}

export function peerKeyPrefix(runTag: string): string {
  return `bench:${runTag}`;
}

export interface PeerContext {
  context: ResumableStreamContext;
  /** Promises the library hands to waitUntil (its end-of-stream bookkeeping). */
  pending: Set<Promise<unknown>>;
  close(): void;
}

export function createPeerContext(redisUrl: string, keyPrefix: string, autoPipelining: boolean): PeerContext {
  const publisher = new Redis(redisUrl, { enableAutoPipelining: autoPipelining });
  const subscriber = new Redis(redisUrl);
  publisher.on("error", () => {});
  subscriber.on("error", () => {});
  const pending = new Set<Promise<unknown>>();
  const context = createResumableStreamContext({
    keyPrefix,
    waitUntil: (promise) => {
      pending.add(promise);
      void promise.finally(() => pending.delete(promise));
    },
    publisher,
    subscriber,
  });
  return {
    context,
    pending,
    close: () => {
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}

/**
 * One SSE frame per chunk, with an id shaped like a Redis stream id: `<send time ms>-<seq>`. The
 * payload mirrors ours (`turn_id` + text) so both relays move frames of the same size.
 */
function frame(turnId: string, seq: number, event: string, data: Record<string, unknown>): string {
  const id = `${Math.floor(wallNow())}-${seq}`;
  return `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify({ turn_id: turnId, ...data })}\n\n`;
}

/**
 * Registers the turn's resumable stream (the app's POST handler) and returns the driver that feeds
 * it. The POST's own response is cancelled at once: the client is served by resuming elsewhere,
 * which is the path that goes through Redis and the one compared with our relay.
 */
export async function peerDriver(peer: PeerContext, turnId: string): Promise<TurnDriver> {
  let controller: ReadableStreamDefaultController<string> | null = null;
  let seq = 0;
  const source = new ReadableStream<string>({
    start(c) {
      controller = c;
    },
  });
  const response = await peer.context.createNewResumableStream(turnId, () => source);
  await response?.cancel();
  const enqueue = (event: string, data: Record<string, unknown>) =>
    controller?.enqueue(frame(turnId, seq++, event, data));
  return {
    token: (text) => enqueue("token", { text }),
    finish: async (answer) => {
      enqueue("done", { answer });
      enqueue("end", {});
      controller?.close();
    },
  };
}

export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
};

/** The peer's resume endpoint: GET /streams/:id → resumeExistingStream → SSE. */
export function startPeerServer(peer: PeerContext, port: number) {
  return Bun.serve({
    hostname: "127.0.0.1",
    port,
    idleTimeout: 120,
    fetch: async (request) => {
      const path = new URL(request.url).pathname;
      const match = /^\/streams\/([A-Za-z0-9_.:-]+)$/.exec(path);
      if (!match?.[1]) return new Response("not found", { status: 404 });
      const stream = await peer.context.resumeExistingStream(match[1]);
      if (stream === undefined) return new Response("no such stream", { status: 404 });
      if (stream === null) return new Response("stream is already done", { status: 422 });
      return new Response(sseBody(stream), { headers: SSE_HEADERS });
    },
  });
}

const encoder = new TextEncoder();
/** The same `retry:` preamble our api sends first: Bun sends no headers before the first byte. */
const PREAMBLE = "retry: 1000\n\n";

function sseBody(stream: ReadableStream<string>): ReadableStream<Uint8Array> {
  const reader = stream.getReader();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(PREAMBLE));
    },
    async pull(controller) {
      // The library's first chunk is the (possibly empty) replay; a pull that enqueues nothing would
      // never be called again, so read on until there is something to send.
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return controller.close();
        if (value) return controller.enqueue(encoder.encode(value));
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}
