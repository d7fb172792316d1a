// A finished turn served from MySQL, for when its Redis log has expired (or was lost): the stored
// answer and terminal events, so no client is ever told a finished turn is gone. Ids are synthetic
// (`0-1`, `0-2`, …) and sort before any real stream id.
import type { TurnClaim } from "./claims";
import type { LoggedTurnEvent, TurnEvent } from "./events";

const SYNTHETIC_ID = /^0-(\d+)$/;

export function replayFromClaim(claim: TurnClaim, afterId: string | null): LoggedTurnEvent[] {
  const events = terminalEvents(claim, afterId === null);
  const logged = events.map((event, index) => ({
    ...event,
    id: `0-${index + 1}`,
    data: { turn_id: claim.id, ...event.data },
  }));
  const synthetic = afterId ? SYNTHETIC_ID.exec(afterId) : null;
  if (synthetic?.[1]) return logged.slice(Number(synthetic[1]));
  return logged;
}

function terminalEvents(claim: TurnClaim, fromStart: boolean): TurnEvent[] {
  if (claim.status === "done") {
    const answer = claim.answer ?? "";
    // A client resuming mid-turn already holds part of the text; `done` carries the whole answer,
    // which replaces it. A client starting from nothing also gets it as one token.
    const text: TurnEvent[] = fromStart ? [{ event: "token", data: { text: answer } }] : [];
    return [...text, { event: "done", data: { answer } }, { event: "end", data: {} }];
  }
  if (claim.status === "failed") {
    const terminal: TurnEvent =
      claim.failureReason === "timeout"
        ? { event: "timeout", data: { message: "The answer took too long. Please try again." } }
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
  return [];
}
