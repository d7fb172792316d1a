// A deliberately small SSE client over a raw TCP socket (Bun.connect): HTTP/1.1 request, status line
// and headers, chunked transfer decoding, frames split on blank lines. It stamps each batch of frames
// with the wall-clock time the bytes reached this process, costs far less CPU per frame than fetch,
// and is not subject to fetch's connection pool limit, so thousands of streams can be driven from one
// process without the client becoming what is measured.
import type { Socket } from "bun";
import { wallNow } from "./env";

export interface SseFrame {
  id: string;
  event: string;
}

export interface SseHandlers {
  /** Status line and headers arrived; `status` is the HTTP status code. */
  onHeaders(status: number, atMs: number): void;
  /** Frames that completed in one read, all stamped with that read's time. Comments are dropped. */
  onFrames(frames: SseFrame[], atMs: number): void;
  /** The connection closed (by either side); `error` when it failed. */
  onClose(error?: Error): void;
}

export interface SseRequest {
  host: string;
  port: number;
  path: string;
  headers: Record<string, string>;
}

export interface SseConnection {
  close(): void;
}

type BodyMode = "chunked" | "raw";

interface State {
  head: string;
  headersDone: boolean;
  mode: BodyMode;
  /** Chunked body received but not yet de-chunked (a chunk or its size line may span reads). */
  pending: string;
  /** De-chunked body not yet split into frames. */
  text: string;
  closed: boolean;
}

export function openSse(request: SseRequest, handlers: SseHandlers): SseConnection {
  const state: State = { head: "", headersDone: false, mode: "raw", pending: "", text: "", closed: false };
  let socket: Socket<undefined> | null = null;
  let closeRequested = false;

  const finish = (error?: Error) => {
    if (state.closed) return;
    state.closed = true;
    handlers.onClose(error);
  };

  const lines = [`GET ${request.path} HTTP/1.1`, `Host: ${request.host}:${request.port}`];
  for (const [name, value] of Object.entries(request.headers)) lines.push(`${name}: ${value}`);
  lines.push("Accept: text/event-stream", "", "");
  const payload = lines.join("\r\n");

  Bun.connect({
    hostname: request.host,
    port: request.port,
    socket: {
      open(opened) {
        socket = opened;
        if (closeRequested) {
          opened.end();
          return;
        }
        opened.write(payload);
      },
      data(_socket, bytes) {
        const atMs = wallNow();
        const frames = consume(state, bytes, handlers, atMs);
        if (frames.length > 0) handlers.onFrames(frames, atMs);
      },
      close() {
        finish();
      },
      error(_socket, error) {
        finish(error);
      },
      connectError(_socket, error) {
        finish(error);
      },
    },
  }).catch((error: unknown) => finish(error instanceof Error ? error : new Error(String(error))));

  return {
    close: () => {
      closeRequested = true;
      socket?.end();
    },
  };
}

// The body is read as latin1: one character per byte, so chunk sizes (in bytes) are string lengths,
// and the only bytes the parser looks for (CR, LF, "id: ", "event: ") are ASCII, which UTF-8 never
// uses inside a multi-byte character. `data:` lines come out garbled where they hold non-ASCII text;
// the bench never reads them. One conversion per read and string searches keep the client's CPU per
// frame low: it shares the machine with the server it measures.
function consume(state: State, bytes: Uint8Array, handlers: SseHandlers, atMs: number): SseFrame[] {
  let body = latin1(bytes);
  if (!state.headersDone) {
    state.head += body;
    const end = state.head.indexOf("\r\n\r\n");
    if (end === -1) return [];
    const head = state.head.slice(0, end);
    body = state.head.slice(end + 4);
    state.headersDone = true;
    state.head = "";
    const status = Number(head.slice(9, 12));
    state.mode = /\r\ntransfer-encoding:\s*chunked/i.test(head) ? "chunked" : "raw";
    handlers.onHeaders(status, atMs);
  }
  if (state.mode === "raw") state.text += body;
  else dechunk(state, body);
  return splitFrames(state);
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

/** Moves every complete chunk of `pending` (plus `body`) to `text`; a partial chunk waits. */
function dechunk(state: State, body: string): void {
  const pending = state.pending.length > 0 ? state.pending + body : body;
  let at = 0;
  for (;;) {
    const lineEnd = pending.indexOf("\r\n", at);
    if (lineEnd === -1) break;
    const size = Number.parseInt(pending.slice(at, lineEnd), 16);
    if (!Number.isFinite(size) || size === 0) {
      // The last chunk (or garbage): the stream is over; nothing after it is a frame.
      at = pending.length;
      break;
    }
    const dataStart = lineEnd + 2;
    if (pending.length < dataStart + size + 2) break;
    state.text += pending.slice(dataStart, dataStart + size);
    at = dataStart + size + 2;
  }
  state.pending = at === 0 ? pending : pending.slice(at);
}

function splitFrames(state: State): SseFrame[] {
  const frames: SseFrame[] = [];
  const text = state.text;
  let start = 0;
  let boundary = text.indexOf("\n\n", start);
  while (boundary !== -1) {
    const frame = parseFrame(text, start, boundary);
    if (frame) frames.push(frame);
    start = boundary + 2;
    boundary = text.indexOf("\n\n", start);
  }
  if (start > 0) state.text = text.slice(start);
  return frames;
}

/** Only `id:` and `event:` matter to the bench; `data:` is not parsed (the log is compared by id). */
function parseFrame(text: string, start: number, end: number): SseFrame | null {
  const id = fieldOf(text, "id: ", start, end);
  const event = fieldOf(text, "event: ", start, end);
  // Comments (": keep-alive") and the `retry:` preamble are not frames.
  return id || event ? { id, event } : null;
}

/** The value of the first `name` line in text[start, end), or "" (a comment frame has none). */
function fieldOf(text: string, name: string, start: number, end: number): string {
  let line = start;
  while (line < end) {
    const lineEnd = text.indexOf("\n", line);
    const stop = lineEnd === -1 || lineEnd > end ? end : lineEnd;
    if (text.startsWith(name, line)) return text.slice(line + name.length, stop);
    line = stop + 1;
  }
  return "";
}
