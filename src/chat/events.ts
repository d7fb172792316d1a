// The events a turn produces, in the order a client sees them. `end` is the only clean finish;
// a socket closing without it is a drop and the client should resume.

export const TURN_EVENT_NAMES = [
  "token",
  "tool_call",
  "tool_result",
  "done",
  "eval_pending",
  "eval_result",
  "correction_start",
  "correction_token",
  "correction_done",
  "suggestions",
  "timeout",
  "error",
  "end",
] as const;

export type TurnEventName = (typeof TURN_EVENT_NAMES)[number];

/** An event as the producer appends it; `turn_id` is added to every payload on the way out. */
export interface TurnEvent {
  event: TurnEventName;
  data: Record<string, unknown>;
}

/** An event as read back from the log, with its stream id (the SSE `id:`). */
export interface LoggedTurnEvent extends TurnEvent {
  id: string;
}

export const TERMINAL_EVENT: TurnEventName = "end";

/** Why a turn ended without an answer; each has the one terminal event its clients are shown. */
export type TurnFailure = "timeout" | "error" | "interrupted";

/**
 * The events that end a failed turn: its terminal event and `end`. The producer, the reconciler and
 * the MySQL replay all end a failed turn with these, so a client sees the same whichever wrote them.
 */
export function failureEvents(failure: TurnFailure): TurnEvent[] {
  const terminal: TurnEvent =
    failure === "timeout"
      ? { event: "timeout", data: { message: "The answer took too long. Please try again." } }
      : failure === "interrupted"
        ? {
            event: "error",
            data: {
              code: "turn_interrupted",
              message: "The answer was interrupted. Please try again.",
              retryable: true,
            },
          }
        : {
            event: "error",
            data: {
              code: "turn_failed",
              message: "Something went wrong. Please try again.",
              retryable: true,
            },
          };
  return [terminal, { event: "end", data: {} }];
}
