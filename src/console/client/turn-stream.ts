// One chat turn over the wire: POST the message, read its event stream, and when the connection goes
// away before `end` (the "drop connection" button, or the network) resume it with Last-Event-ID from
// the last event received, until `end` arrives.
import { type ActingUser, type ConsoleApi, errorOf } from "./http";
import type { SseFrame } from "./sse-parser";
import { readEventStream } from "./sse-reader";
import { applyTurnEvent, emptyTurn, type TurnState } from "./turn-state";

/** How long a dropped stream stays dropped before the resume: long enough to see the turn run on. */
const RESUME_DELAY_MS = 600;
/** Resumes in a row that bring no new event before the console gives up on the turn. */
const MAX_FRUITLESS_RESUMES = 5;

export type ConnectionStatus =
  | { kind: "streaming" }
  | { kind: "dropped"; afterEventId: string | null; byUser: boolean }
  | { kind: "resuming"; afterEventId: string | null }
  | { kind: "finished" };

export interface TurnStreamListener {
  onFrame(frame: SseFrame, state: TurnState): void;
  onConnection(status: ConnectionStatus): void;
}

export class TurnStream {
  state: TurnState = emptyTurn();
  resumes = 0;
  private connection: AbortController | null = null;
  private droppedByUser = false;

  constructor(
    private readonly api: ConsoleApi,
    private readonly user: ActingUser,
    private readonly sessionId: string,
    private readonly listener: TurnStreamListener,
  ) {}

  get streaming(): boolean {
    return this.connection !== null;
  }

  /** Cuts the live connection; `run` resumes it after RESUME_DELAY_MS. */
  drop(): void {
    if (!this.connection) return;
    this.droppedByUser = true;
    this.connection.abort();
  }

  /** Sends `message` and follows the turn to its `end`. Throws the API's error when the send is refused. */
  async run(message: string, idempotencyKey: string): Promise<TurnState> {
    const path = `/v1/sessions/${encodeURIComponent(this.sessionId)}/messages`;
    const first = await this.open(path, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": idempotencyKey },
      body: JSON.stringify({ message }),
    });
    const turnId = first.headers.get("x-turn-id");
    await this.consume(first);
    let fruitless = 0;
    while (!this.state.ended) {
      const resumeTurn = this.state.turnId ?? turnId;
      if (!resumeTurn) throw new Error("the stream closed before naming its turn; cannot resume");
      const byUser = this.droppedByUser;
      this.droppedByUser = false;
      const afterEventId = this.state.lastEventId;
      this.listener.onConnection({ kind: "dropped", afterEventId, byUser });
      await new Promise((resolve) => setTimeout(resolve, RESUME_DELAY_MS));
      this.listener.onConnection({ kind: "resuming", afterEventId });
      this.resumes += 1;
      const before = this.state.eventCount;
      const eventsPath = `/v1/sessions/${encodeURIComponent(this.sessionId)}/turns/${encodeURIComponent(resumeTurn)}/events`;
      try {
        await this.consume(
          await this.open(eventsPath, { headers: afterEventId ? { "last-event-id": afterEventId } : {} }),
        );
      } catch (error) {
        // The network still down (fetch's TypeError): try again; an answer from the api is final.
        if (!(error instanceof TypeError)) throw error;
      }
      fruitless = this.state.eventCount > before ? 0 : fruitless + 1;
      if (fruitless >= MAX_FRUITLESS_RESUMES)
        throw new Error("the turn's stream keeps closing without events");
    }
    this.listener.onConnection({ kind: "finished" });
    return this.state;
  }

  private async open(path: string, init: RequestInit): Promise<Response> {
    const connection = new AbortController();
    const response = await this.api.v1(this.user, path, { ...init, signal: connection.signal });
    if (!response.ok || !response.body) throw await errorOf(response);
    // Droppable only once the stream is open: a drop before that would lose the turn's id.
    this.connection = connection;
    this.listener.onConnection({ kind: "streaming" });
    return response;
  }

  /** Reads until the server closes or the connection is cut; either way the caller decides what next. */
  private async consume(response: Response): Promise<void> {
    const body = response.body;
    if (!body) return;
    try {
      await readEventStream(body, (frame) => {
        this.state = applyTurnEvent(this.state, frame);
        this.listener.onFrame(frame, this.state);
      });
    } catch (error) {
      // A cut connection (our abort or the network's) is what resuming is for; anything else is a bug.
      if (!(error instanceof DOMException || error instanceof TypeError)) throw error;
    } finally {
      this.connection = null;
    }
  }
}
