// The appends of one turn's log, kept in order and carried across a dropped Redis connection. A
// command whose connection drops may or may not have been applied, so it cannot simply be sent again:
// each entry carries its writer (`w`) and sequence number (`n`), and after a drop the writer reads the
// last entry in the log, takes everything up to its number as written, and sends the rest again, in
// order. A log has one writer at a time (its producer, or the reconciler closing it for a producer
// that died), so a writer's numbers in the log form an unbroken prefix, and a last entry of another
// writer means none of ours landed after it. A TTL is safe to send twice. Only when Redis stays away
// for all the attempts does an append fail.
// Every streamed token passes through here, so the path without a failure allocates nothing extra.
import type { StreamAppender } from "../infra/redis";

/** Waits before each attempt to recover after a drop: ~1.5 s in all, a blip or a quick restart. */
export const RECOVERY_BACKOFF_MS = [50, 100, 200, 400, 800];

export interface LogAppends {
  /** Appends an entry (event name, JSON payload, its sequence number); resolves once it is in the log. */
  xadd(event: string, payload: string): Promise<void>;
  /** Sets the log's TTL, in order with the appends. */
  expire(seconds: number): Promise<void>;
}

interface Op {
  /** The entry's sequence number; 0 for a TTL. */
  n: number;
  fields: string[] | null;
  seconds: number;
  /** Set once the op waits on a recovery: settles it when the recovery confirms or gives up. */
  settle: { resolve(): void; reject(error: unknown): void } | null;
}

/** Who appends: the turn's producer, or the reconciler closing the log of a producer that died. */
export type LogWriter = "p" | "r";

export function createLogAppends(
  streams: StreamAppender,
  key: string,
  maxLen: number,
  writer: LogWriter = "p",
  backoffMs: readonly number[] = RECOVERY_BACKOFF_MS,
): LogAppends {
  /** Sent (or waiting to be sent again) and not yet confirmed; a Set keeps the order they were asked. */
  const unconfirmed = new Set<Op>();
  let lastN = 0;
  let recovering = false;
  let failed: unknown = null;
  /** Attempts left before the appends give up; a confirmed reply restores them. */
  let attemptsLeft = backoffMs.length;

  const waitForRecovery = (op: Op): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      op.settle = { resolve, reject };
    });

  /** Resolves once `op` is confirmed, by its reply or by a recovery; rejects if the appends fail. */
  const send = (op: Op): Promise<void> => {
    const command = op.fields ? streams.xadd(key, maxLen, op.fields) : streams.expire(key, op.seconds);
    return command.then(
      () => {
        unconfirmed.delete(op);
        attemptsLeft = backoffMs.length;
      },
      (error: unknown) => {
        if (failed !== null) throw failed;
        // A recovery under way takes this op along; otherwise this failure starts one (a failure that
        // arrives after a recovery has already run still leaves the op unsent).
        if (!recovering) void recover(error);
        return waitForRecovery(op);
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
        const written = sequenceOf(await streams.lastEntry(key), writer);
        recovering = false;
        for (const op of [...unconfirmed]) {
          const settle = op.settle;
          op.settle = null;
          if (op.n > 0 && op.n <= written) {
            unconfirmed.delete(op);
            settle?.resolve();
          } else if (settle) {
            send(op).then(settle.resolve, settle.reject);
          }
        }
        return;
      } catch (error) {
        lastError = error;
      }
    }
    // Redis stayed away (or refuses the appends): the turn fails, which its producer records in MySQL.
    failed = lastError;
    recovering = false;
    for (const op of unconfirmed) op.settle?.reject(lastError);
    unconfirmed.clear();
  };

  const enqueue = (op: Op): Promise<void> => {
    if (failed !== null) return Promise.reject(failed);
    unconfirmed.add(op);
    // While recovering, the op waits: the recovery sends everything unconfirmed, in order.
    return recovering ? waitForRecovery(op) : send(op);
  };

  return {
    xadd: (event, payload) => {
      const n = ++lastN;
      const fields = ["e", event, "d", payload, "w", writer, "n", String(n)];
      return enqueue({ n, fields, seconds: 0, settle: null });
    },
    expire: (seconds) => enqueue({ n: 0, fields: null, seconds, settle: null }),
  };
}

/** `writer`'s sequence number in a log's last entry; 0 when the log is empty or gone, or the entry is another's. */
function sequenceOf(entry: [id: string, fields: string[]] | null, writer: LogWriter): number {
  if (!entry) return 0;
  const [, fields] = entry;
  let n = 0;
  let by: string | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === "n") n = Number(fields[i + 1]) || 0;
    else if (fields[i] === "w") by = fields[i + 1];
  }
  return by === writer ? n : 0;
}
