// The process-wide ceiling on model calls per minute, the model budget's backstop when many users
// arrive at once. Counting and refusing sit in two places on purpose:
// - every call is counted where it takes a slot of the concurrency limiter (src/llm/client.ts), the
//   one gate all model calls pass, so retries, the judge, suggestions and embeddings count too;
// - the ceiling is enforced only at the send edge (src/limits/turn-limits.ts): a new turn is refused
//   with 503 before anything is stored while this minute's budget is spent. A turn already running
//   keeps making its calls: its answer may be half streamed, and cutting a round would waste what was
//   already paid for and leave the user a broken answer. So the count may overshoot the ceiling by
//   what running turns still need, never by new turns. Queueing calls instead would only run them into
//   the turn's wall-clock budget.
// In memory per process (RateLimiterMemory): with N api tasks the fleet's ceiling is N times this.
import { RateLimiterMemory } from "rate-limiter-flexible";

export interface ModelCallBudget {
  /** Calls allowed per window; 0 means no ceiling. */
  readonly perWindow: number;
  /** Counts one model call. Never refuses: a running turn's calls are not cut. */
  record(): void;
  /** Milliseconds until calls are allowed again while this window's budget is spent, else 0. */
  spentForMs(): Promise<number>;
}

const KEY = "model-calls";

/** `windowSeconds` is a minute in production; tests shorten it. */
export function createModelCallBudget(perWindow: number, windowSeconds = 60): ModelCallBudget {
  if (perWindow === 0) return { perWindow, record: () => {}, spentForMs: async () => 0 };
  const counter = new RateLimiterMemory({ points: perWindow, duration: windowSeconds });
  return {
    perWindow,
    record: () => {
      void counter.penalty(KEY);
    },
    spentForMs: async () => {
      const window = await counter.get(KEY);
      if (!window || window.consumedPoints < perWindow || window.msBeforeNext <= 0) return 0;
      return window.msBeforeNext;
    },
  };
}
