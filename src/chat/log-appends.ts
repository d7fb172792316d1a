// The appends of one turn's log, kept in order and carried across a dropped Redis connection. A
// command whose connection drops may or may not have been applied, so it cannot simply be sent again:
// each entry carries its sequence number (`n`), and after a drop the writer reads the last entry in
// the log, takes everything up to its number as written, and sends the rest again, in order. The
// producer is the only writer of its log, so the numbers in the log always form an unbroken prefix;
// a TTL is safe to send twice. Only when Redis stays away for all the attempts does an append fail.
import type { StreamAppender } from "../infra/redis";

/** Waits before each attempt to recover after a drop: ~1.5 s in all, a blip or a quick restart. */
export const RECOVERY_BACKOFF_MS = [50, 100, 200, 400, 800];

export interface LogAppends {
  /** Appends an entry with these fields (its sequence number is added); resolves once it is in the log. */
  xadd(fields: string[]): Promise<void>;
  /** Sets the log's TTL, in order with the appends. */
  expire(seconds: number): Promise<void>;
}

type Command = { kind: "xadd"; n: number; fields: string[] } | { kind: "expire"; seconds: number };
type Op = Command & { resolve(): void; reject(error: unknown): void };

export function createLogAppends(
  streams: StreamAppender,
  key: string,
  maxLen: number,
  backoffMs: readonly number[] = RECOVERY_BACKOFF_MS,
): LogAppends {
  /** Sent (or waiting to be sent again) and not yet confirmed, in the order they were asked for. */
  const unconfirmed: Op[] = [];
  let lastN = 0;
  /** Bumped by every recovery: a failure of an op sent before it is the recovery's business, not news. */
  let generation = 0;
  let recovering = false;
  let failed: unknown = null;
  /** Attempts left before the appends give up; a confirmed reply restores them. */
  let attemptsLeft = backoffMs.length;

  const confirm = (op: Op, byReply: boolean) => {
    const index = unconfirmed.indexOf(op);
    if (index === -1) return;
    unconfirmed.splice(index, 1);
    if (byReply) attemptsLeft = backoffMs.length;
    op.resolve();
  };

  const send = (op: Op) => {
    const sentIn = generation;
    const command =
      op.kind === "xadd"
        ? streams.xadd(key, maxLen, [...op.fields, "n", String(op.n)])
        : streams.expire(key, op.seconds);
    command.then(
      () => confirm(op, true),
      (error: unknown) => {
        if (sentIn === generation && !recovering) void recover(error);
      },
    );
  };

  const recover = async (cause: unknown) => {
    recovering = true;
    let lastError = cause;
    while (attemptsLeft > 0) {
      await Bun.sleep(backoffMs[backoffMs.length - attemptsLeft] ?? 0);
      attemptsLeft--;
      try {
        // The first command after a drop reconnects; what the log holds decides what was written.
        const written = sequenceOf(await streams.lastEntry(key));
        generation++;
        for (const op of [...unconfirmed]) {
          if (op.kind === "xadd" && op.n <= written) confirm(op, false);
        }
        recovering = false;
        for (const op of unconfirmed) send(op);
        return;
      } catch (error) {
        lastError = error;
      }
    }
    // Redis stayed away (or refuses the appends): the turn fails, which its producer records in MySQL.
    failed = lastError;
    for (const op of unconfirmed.splice(0)) op.reject(lastError);
  };

  const enqueue = (command: Command): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (failed !== null) return reject(failed);
      const queued: Op = { ...command, resolve, reject };
      unconfirmed.push(queued);
      // While recovering, the op waits: the recovery sends everything unconfirmed, in order.
      if (!recovering) send(queued);
    });

  return {
    xadd: (fields) => enqueue({ kind: "xadd", n: ++lastN, fields }),
    expire: (seconds) => enqueue({ kind: "expire", seconds }),
  };
}

/** The sequence number of a log's last entry; 0 when the log is empty, gone, or the entry has none. */
function sequenceOf(entry: [id: string, fields: string[]] | null): number {
  if (!entry) return 0;
  const [, fields] = entry;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === "n") return Number(fields[i + 1]) || 0;
  }
  return 0;
}
