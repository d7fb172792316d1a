// State shared by the stand-in's route handlers; one instance per started server, so parallel test files
// running their own stand-ins never see each other's scripts or counters.
import type { ScriptBook } from "./scripts";
import type { Recorder } from "./stats";

export interface StandinContext {
  scripts: ScriptBook;
  recorder: Recorder;
  ids: IdSource;
  tokenDelayMs: number;
  embeddingDimensions: number;
  // Aborted by close(), so delayed, hanging and streaming responses end with the server.
  shutdown: AbortSignal;
}

// Sequential ids (not random) keep the demo's transcripts reproducible after a reset.
export class IdSource {
  private seq = 0;

  next(prefix: string): string {
    this.seq += 1;
    return `${prefix}${this.seq.toString().padStart(10, "0")}`;
  }

  reset(): void {
    this.seq = 0;
  }
}
