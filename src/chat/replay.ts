// A finished turn served from MySQL, for when its Redis log has expired (or was lost): the stored
// answer and terminal events, so no client is ever told a finished turn is gone. Ids are synthetic
// (`0-1`, `0-2`, …) and sort before any real stream id.
import type { TurnClaim } from "./claims";
import { failureEvents, type LoggedTurnEvent, type TurnEvent } from "./events";

const SYNTHETIC_ID = /^0-(\d+)$/;

export function replayFromClaim(claim: TurnClaim, afterId: string | null): LoggedTurnEvent[] {
  const logged = terminalEvents(claim).map((event, index) => ({
    ...event,
    id: `0-${index + 1}`,
    data: { turn_id: claim.id, ...event.data },
  }));
  if (afterId === null) return logged;
  const synthetic = SYNTHETIC_ID.exec(afterId);
  // A real stream id: the client followed the Redis log part-way and holds part of the text; `done`
  // carries the whole answer, which replaces it.
  const rest = synthetic
    ? logged.slice(Number(synthetic[1]))
    : logged.filter((event) => event.event !== "token");
  // A client that already holds every event (it reconnected after `end`) gets `end` again: a stream
  // that closes without `end` reads as a drop, and the client would resume for ever.
  return rest.length > 0 ? rest : logged.slice(-1);
}

/** The number of events a replay from the start holds: a synthetic id above it was never issued. */
export function replayLength(claim: TurnClaim): number {
  return terminalEvents(claim).length;
}

function terminalEvents(claim: TurnClaim): TurnEvent[] {
  if (claim.status === "done") {
    const answer = claim.answer ?? "";
    return [
      { event: "token", data: { text: answer } },
      { event: "done", data: { answer } },
      { event: "end", data: {} },
    ];
  }
  if (claim.status === "failed") {
    return failureEvents(claim.failureReason === "timeout" ? "timeout" : "error");
  }
  return [];
}
