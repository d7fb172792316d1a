// A process-wide cap on concurrent model calls: a counting semaphore with a FIFO queue. Every feature
// (agent, judge, rewrite, suggestions, embeddings) goes through one instance, so a burst of turns
// queues here instead of tripping the provider's rate limits all at once.

export const DEFAULT_MAX_CONCURRENT_MODEL_CALLS = 32;

/** Gives the slot back; calling it more than once is harmless. */
export type ReleaseSlot = () => void;

export interface ConcurrencyLimiter {
  readonly size: number;
  /** Calls holding a slot right now. */
  readonly active: number;
  /** Calls waiting for a slot. */
  readonly queued: number;
  /**
   * Resolves with a release function once a slot is free. A waiter whose signal aborts leaves the queue
   * and rejects with the signal's reason; it never takes a slot.
   */
  acquire(signal?: AbortSignal): Promise<ReleaseSlot>;
}

interface Waiter {
  grant(release: ReleaseSlot): void;
}

export function createConcurrencyLimiter(size = DEFAULT_MAX_CONCURRENT_MODEL_CALLS): ConcurrencyLimiter {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`limiter size must be a positive integer`);
  let active = 0;
  const waiters: Waiter[] = [];

  const makeRelease = (): ReleaseSlot => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // The slot passes straight to the next waiter, so `active` never dips and lets a newcomer jump the queue.
      const next = waiters.shift();
      if (next) next.grant(makeRelease());
      else active -= 1;
    };
  };

  return {
    size,
    get active() {
      return active;
    },
    get queued() {
      return waiters.length;
    },
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (active < size) {
        active += 1;
        return Promise.resolve(makeRelease());
      }
      return new Promise<ReleaseSlot>((resolve, reject) => {
        const onAbort = (): void => {
          const index = waiters.indexOf(waiter);
          if (index >= 0) waiters.splice(index, 1);
          reject(signal?.reason);
        };
        const waiter: Waiter = {
          grant: (release) => {
            signal?.removeEventListener("abort", onAbort);
            resolve(release);
          },
        };
        waiters.push(waiter);
        signal?.addEventListener("abort", onAbort, { once: true });
      });
    },
  };
}
