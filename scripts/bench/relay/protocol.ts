// Messages between the bench driver and its producer process (Bun IPC, structured clone).

export type System = "hilo" | "peer";

export interface LoadShape {
  tokens: number;
  intervalMs: number;
  /** Turn i starts (i / n) of this after the first: one token interval by default, so all turns start,
   * stream and end together (the burst); longer spreads starts and ends over time. */
  spreadMs: number;
  /** Null: every client attaches before the first token. Otherwise each attaches this long before its
   * turn's first token (continuous arrivals; with a spread longer than a turn, a steady N × turn /
   * spread streams open in the middle of the round). */
  attachLeadMs: number | null;
}

export type ToProducer =
  /** Create one producer per turn (nothing is written yet for ours; the peer registers its streams). */
  | { kind: "prepare"; system: System; turnIds: string[]; shape: LoadShape }
  /** Start writing: turn i's first token at startAtMs + (i / n) * spreadMs (wall clock). */
  | { kind: "go"; startAtMs: number };

export interface ProducerReport {
  /** Wall-clock ms at which each turn's first token was handed to its writer, by turn index. */
  firstTokenAtMs: number[];
  errors: string[];
  /** Wall-clock span from the first token to the last writer finishing. */
  spanMs: number;
}

export type FromProducer =
  | { kind: "prepared"; ms: number }
  | { kind: "finished"; report: ProducerReport }
  | { kind: "failed"; message: string };

export function isFromProducer(message: unknown): message is FromProducer {
  return typeof message === "object" && message !== null && "kind" in message;
}

export function isToProducer(message: unknown): message is ToProducer {
  return typeof message === "object" && message !== null && "kind" in message;
}

/** An SSE frame id shaped like a Redis stream id (`<ms>-<seq>`): the client code is the same for both. */
export function streamIdMs(id: string): number {
  const dash = id.indexOf("-");
  return Number(dash === -1 ? id : id.slice(0, dash));
}
