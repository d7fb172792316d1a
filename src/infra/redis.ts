// Redis: turn logs, queues and locks. Commands fail fast while Redis is away instead of queueing
// without bound, so a request degrades rather than hangs.
import { Redis } from "ioredis";
import type { Dependency } from "./dependency";

export interface RedisClient extends Dependency {
  readonly redis: Redis;
  /** A dedicated connection for one long blocking read at a time: the relay's XREAD over every turn. */
  blockingReader(): BlockingReader;
  /** The process's one connection for turn-log appends (created on first use, closed with the rest). */
  readonly streams: StreamAppender;
}

/**
 * Stream appends on Bun's built-in client: concurrent commands are pipelined on one connection and
 * encoded natively, about half of ioredis's CPU per XADD, and an append is the one Redis command
 * every streamed token costs. A command whose connection drops fails instead of being re-sent
 * after a reconnect, so an entry is never appended twice. After a drop, appends keep failing until
 * a `lastEntry` (the writer's recovery, which first learns what was written) or a `ping` connects
 * again: an append that connected by itself could land before earlier ones the drop lost.
 */
export interface StreamAppender {
  /** XADD with an approximate MAXLEN cap; resolves with the entry id. */
  xadd(key: string, maxLen: number, fields: string[]): Promise<string>;
  expire(key: string, seconds: number): Promise<void>;
  /** The stream's last entry, or null when it is empty or does not exist. */
  lastEntry(key: string): Promise<[id: string, fields: string[]] | null>;
  ping(): Promise<void>;
  close(): void;
}

/**
 * One connection that runs one (blocking) command at a time, on Bun's built-in client: its RESP
 * encoder and decoder are native code, where ioredis's were the relay's largest CPU cost per frame
 * (an XREAD names every open turn, and its reply carries every new entry).
 */
export interface BlockingReader {
  /** Sends one command, connecting first when needed; RESP3 maps arrive as plain objects. */
  send(command: string, args: string[]): Promise<unknown>;
  /** Drops the connection: a command in flight rejects; the next send connects anew. */
  reset(): void;
  close(): void;
}

function createBlockingReader(url: string, connectTimeoutMs: number): BlockingReader {
  const open = () =>
    new Bun.RedisClient(url, {
      connectionTimeout: connectTimeoutMs,
      // A blocked read is silent by design; the caller bounds each command instead.
      idleTimeout: 0,
      // Reconnecting is the caller's loop (with its backoff); queued commands would go stale.
      autoReconnect: false,
      enableOfflineQueue: false,
    });
  let client = open();
  let closed = false;
  return {
    send: async (command, args) => {
      if (closed) throw new Error("blocking reader closed");
      // After the server dropped the connection (a Redis restart), connect() opens it again.
      if (!client.connected) await client.connect();
      return client.send(command, args);
    },
    reset: () => {
      client.close();
      if (!closed) client = open();
    },
    close: () => {
      closed = true;
      client.close();
    },
  };
}

/** An append unanswered this long means a connection gone silent (no reply, no close): it is dropped. */
const APPEND_STALL_MS = 5_000;

function createStreamAppender(url: string, connectTimeoutMs: number, stallMs: number): StreamAppender {
  let dropped = false;
  const open = (): Bun.RedisClient => {
    const opened = new Bun.RedisClient(url, {
      connectionTimeout: connectTimeoutMs,
      idleTimeout: 0,
      autoReconnect: false,
      enableOfflineQueue: false,
    });
    opened.onclose = () => {
      if (opened === client) dropped = true;
    };
    return opened;
  };
  let client = open();
  let connecting: Promise<void> | null = null;
  // Commands sent and not answered, and when one last was: a peer that vanished without closing the
  // connection leaves commands unanswered forever, and with them the turns that wait on them.
  let inFlight = 0;
  let progressAt = performance.now();
  const watchdog = setInterval(
    () => {
      if (inFlight === 0 || performance.now() - progressAt < stallMs) return;
      const silent = client;
      dropped = true;
      client = open();
      connecting = null;
      progressAt = performance.now();
      // Its commands fail now, and their writers recover on the new connection.
      silent.close();
    },
    Math.min(1_000, stallMs / 2),
  );
  watchdog.unref();
  const answered = <T>(value: T): T => {
    inFlight--;
    progressAt = performance.now();
    return value;
  };
  const failed = (error: unknown): never => {
    inFlight--;
    progressAt = performance.now();
    throw error;
  };
  const connected = (): Promise<void> | null => {
    if (client.connected) return null;
    if (connecting) return connecting;
    // A connect of a client the watchdog has since replaced must not clear the new one's.
    const attempt: Promise<void> = client.connect().finally(() => {
      if (connecting === attempt) connecting = null;
    });
    connecting = attempt;
    return attempt;
  };
  const send = async (command: string, args: string[], reconnect: boolean): Promise<unknown> => {
    if (!client.connected && dropped && !reconnect) {
      throw new Error(`Redis connection dropped; ${command} waits for the writer to recover`);
    }
    const pending = connected();
    if (pending) {
      await pending;
      dropped = false;
    }
    if (inFlight === 0) progressAt = performance.now();
    inFlight++;
    return client.send(command, args).then(answered, failed);
  };
  return {
    xadd: async (key, maxLen, fields) =>
      String(await send("XADD", [key, "MAXLEN", "~", String(maxLen), "*", ...fields], false)),
    expire: async (key, seconds) => {
      await send("EXPIRE", [key, String(seconds)], false);
    },
    lastEntry: async (key) => {
      const reply = await send("XREVRANGE", [key, "+", "-", "COUNT", "1"], true);
      const entry = Array.isArray(reply) ? (reply[0] as unknown) : undefined;
      if (!Array.isArray(entry) || typeof entry[0] !== "string" || !Array.isArray(entry[1])) return null;
      return [entry[0], entry[1].map(String)];
    },
    ping: async () => {
      await send("PING", [], true);
    },
    close: () => {
      clearInterval(watchdog);
      client.close();
    },
  };
}

export interface RedisOptions {
  /** How long an unanswered append may wait before its connection counts as dead (tests shorten it). */
  appendStallMs?: number;
}

export function createRedis(url: string, timeoutMs: number, options: RedisOptions = {}): RedisClient {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  // ioredis emits 'error' on every failed reconnect; without a listener Node treats it as fatal.
  redis.on("error", () => {});
  let streams: StreamAppender | null = null;
  const appender = (): StreamAppender => {
    streams ??= createStreamAppender(url, timeoutMs, options.appendStallMs ?? APPEND_STALL_MS);
    return streams;
  };
  return {
    name: "redis",
    redis,
    get streams() {
      return appender();
    },
    blockingReader: () => createBlockingReader(url, timeoutMs),
    // Both clients: a URL (TLS, auth, options) one of them cannot use must fail at start-up and in
    // /health, not at the first streamed token.
    check: async () => {
      if (redis.status === "wait") await redis.connect();
      await redis.ping();
      await appender().ping();
    },
    close: async () => {
      streams?.close();
      if (redis.status === "end" || redis.status === "wait") {
        redis.disconnect();
        return;
      }
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
