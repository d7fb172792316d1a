// An incremental Server-Sent Events parser (the WHATWG "interpret an event stream" rules), pure so it
// runs in the browser and under `bun test` alike. The console reads streams through fetch, not
// EventSource, because EventSource cannot send the API's headers.

export interface SseFrame {
  /** The frame's own `id:` line, or null when it had none. */
  id: string | null;
  /** `message` when the frame named no event. */
  event: string;
  data: string;
}

export class SseParser {
  private buffer = "";
  private id: string | null = null;
  private event = "";
  private data: string[] = [];
  private sawData = false;
  /** A `\r` ended the last chunk: a `\n` opening the next one belongs to that line ending. */
  private pendingCarriageReturn = false;

  /** Feeds decoded text; returns every frame it completed. */
  push(text: string): SseFrame[] {
    let chunk = text;
    if (this.pendingCarriageReturn && chunk.startsWith("\n")) chunk = chunk.slice(1);
    this.pendingCarriageReturn = false;
    this.buffer += chunk;
    const frames: SseFrame[] = [];
    for (;;) {
      const end = this.buffer.search(/\r\n|\r|\n/);
      if (end === -1) break;
      const crlf = this.buffer.startsWith("\r\n", end);
      // A lone `\r` at the very end may be half of a `\r\n` split across chunks.
      if (!crlf && this.buffer[end] === "\r" && end === this.buffer.length - 1) {
        this.pendingCarriageReturn = true;
      }
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + (crlf ? 2 : 1));
      const frame = this.line(line);
      if (frame) frames.push(frame);
    }
    return frames;
  }

  private line(line: string): SseFrame | null {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) return null;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "data":
        this.data.push(value);
        this.sawData = true;
        break;
      case "event":
        this.event = value;
        break;
      case "id":
        if (!value.includes("\0")) this.id = value;
        break;
      // `retry` only matters to EventSource's own reconnection; the console resumes explicitly.
      default:
        break;
    }
    return null;
  }

  private dispatch(): SseFrame | null {
    const frame = this.sawData
      ? { id: this.id, event: this.event || "message", data: this.data.join("\n") }
      : null;
    // Each frame reports only its own id: the caller keeps the last one it saw, for Last-Event-ID.
    this.id = null;
    this.event = "";
    this.data = [];
    this.sawData = false;
    return frame;
  }
}
