// Our side of the load: the MySQL rows a turn stream needs (session + running claim), the producers
// (the app's own turn-log writer, one per turn), the check against the log, and cleanup.

import { eq } from "drizzle-orm";
import type { Redis } from "ioredis";
import { type createTurnLogWriter, turnLogKey } from "../../../src/chat/turn-log";
import { chatSessions, turnClaims } from "../../../src/db/schema";
import type { AppDb } from "../../../src/infra/app-db";

const INSERT_BATCH = 500;
/** Far in the future, so no reconciler (ours or another engineer's api) fails the bench's claims. */
const HEARTBEAT_AHEAD_MS = 60 * 60 * 1_000;
const ATTEMPT = 1;

export interface HiloTurn {
  sessionId: string;
  turnId: string;
  key: string;
}

/** Fresh UUIDv7 ids, as the api issues them (it answers any other id 404 before a query). */
export function hiloTurns(n: number): HiloTurn[] {
  return Array.from({ length: n }, () => {
    const turnId = Bun.randomUUIDv7();
    return { sessionId: Bun.randomUUIDv7(), turnId, key: turnLogKey(turnId, ATTEMPT) };
  });
}

/** Deletes the given keys, in batches; returns how many existed. */
export async function deleteKeyList(redis: Redis, keys: readonly string[]): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < keys.length; i += 1_000) deleted += await redis.unlink(...keys.slice(i, i + 1_000));
  return deleted;
}

/** One session and one running claim per turn, all owned by the run's user. */
export async function insertHiloRows(db: AppDb, userId: string, turns: HiloTurn[]): Promise<void> {
  const heartbeatAt = new Date(Date.now() + HEARTBEAT_AHEAD_MS);
  for (let i = 0; i < turns.length; i += INSERT_BATCH) {
    const batch = turns.slice(i, i + INSERT_BATCH);
    await db
      .insert(chatSessions)
      .values(batch.map((turn) => ({ id: turn.sessionId, userId, systemPrompt: "relay bench" })));
    await db.insert(turnClaims).values(
      batch.map((turn) => ({
        id: turn.turnId,
        userId,
        sessionId: turn.sessionId,
        idempotencyKey: turn.turnId,
        requestHash: "0".repeat(64),
        status: "running" as const,
        attempt: ATTEMPT,
        heartbeatAt,
      })),
    );
  }
}

export async function deleteHiloRows(db: AppDb, userId: string): Promise<void> {
  await db.delete(turnClaims).where(eq(turnClaims.userId, userId));
  await db.delete(chatSessions).where(eq(chatSessions.userId, userId));
}

export interface TurnDriver {
  token(text: string): void;
  /** Appends the terminal events and resolves once they are durable. */
  finish(answer: string): Promise<void>;
}

export type CreateWriter = typeof createTurnLogWriter;
/** What the writer appends through: the app's own appender (`createRedis(url).streams`). */
export type TurnLogStreams = Parameters<CreateWriter>[0];

/**
 * The producer of one turn, exactly as src/chat/producer.ts drives the writer: tokens, done, end.
 * `createWriter` is the app's createTurnLogWriter (of the checkout the api runs from).
 */
export function hiloDriver(
  createWriter: CreateWriter,
  streams: TurnLogStreams,
  turnId: string,
  onError: (error: unknown) => void,
): TurnDriver {
  const writer = createWriter(streams, turnLogKey(turnId, ATTEMPT), turnId);
  return {
    token: (text) => {
      writer.append({ event: "token", data: { text } }).catch(onError);
    },
    finish: async (answer) => {
      await writer.append({ event: "done", data: { answer } });
      await writer.finish([{ event: "end", data: {} }]);
    },
  };
}

export interface LogCheck {
  /** Entries in the log that the client never received. */
  lost: number;
  /** Frames the client received more than once. */
  duplicated: number;
  /** Frames received out of log order. */
  reordered: number;
  /** Entries in all logs. */
  entries: number;
}

/** Compares what each client received (frame ids, in order) with XRANGE of its turn's log. */
export async function checkAgainstLogs(
  redis: Redis,
  keys: string[],
  received: string[][],
): Promise<LogCheck> {
  const check: LogCheck = { lost: 0, duplicated: 0, reordered: 0, entries: 0 };
  const PIPELINE = 200;
  for (let i = 0; i < keys.length; i += PIPELINE) {
    const pipeline = redis.pipeline();
    for (const key of keys.slice(i, i + PIPELINE)) pipeline.xrange(key, "-", "+");
    const replies = (await pipeline.exec()) ?? [];
    replies.forEach(([error, entries], offset) => {
      if (error) throw error;
      const logIds = (entries as [string, string[]][]).map(([id]) => id);
      const got = received[i + offset] ?? [];
      check.entries += logIds.length;
      const unique = new Set(got);
      check.duplicated += got.length - unique.size;
      check.lost += logIds.filter((id) => !unique.has(id)).length;
      for (let j = 1; j < got.length; j++) {
        if (compareIds(got[j - 1] ?? "", got[j] ?? "") >= 0) check.reordered++;
      }
    });
  }
  return check;
}

function compareIds(a: string, b: string): number {
  const [aMs = 0, aSeq = 0] = a.split("-").map(Number);
  const [bMs = 0, bSeq = 0] = b.split("-").map(Number);
  return aMs === bMs ? aSeq - bSeq : aMs - bMs;
}

/** Deletes every key matching `pattern` (SCAN, never KEYS). */
export async function deleteKeys(redis: Redis, pattern: string): Promise<number> {
  let cursor = "0";
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1_000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== "0");
  return deleted;
}
