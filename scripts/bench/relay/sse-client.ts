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
type ChunkState = "size" | "data" | "crlf" | "trailer";

interface State {
  head: string;
  headersDone: boolean;
  mode: BodyMode;
  chunkState: ChunkState;
  sizeLine: string;
  remaining: number;
  text: string;
  decoder: TextDecoder;
  closed: boolean;
}

export function openSse(request: SseRequest, handlers: SseHandlers): SseConnection {
  const state: State = {
    head: "",
    headersDone: false,
    mode: "raw",
    chunkState: "size",
    sizeLine: "",
    remaining: 0,
    text: "",
    decoder: new TextDecoder(),
    closed: false,
  };
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

function consume(state: State, bytes: Uint8Array, handlers: SseHandlers, atMs: number): SseFrame[] {
  let body = bytes;
  if (!state.headersDone) {
    // Headers are ASCII; decode as latin1 so byte offsets and string offsets agree.
    state.head += Buffer.from(bytes).toString("latin1");
    const end = state.head.indexOf("\r\n\r\n");
    if (end === -1) return [];
    const head = state.head.slice(0, end);
    const consumed = bytes.length - (state.head.length - end - 4);
    body = bytes.subarray(consumed);
    state.headersDone = true;
    state.head = "";
    const status = Number(head.slice(9, 12));
    state.mode = /\r\ntransfer-encoding:\s*chunked/i.test(head) ? "chunked" : "raw";
    handlers.onHeaders(status, atMs);
  }
  if (state.mode === "raw") state.text += state.decoder.decode(body, { stream: true });
  else dechunk(state, body);
  return splitFrames(state);
}

function dechunk(state: State, bytes: Uint8Array): void {
  let i = 0;
  while (i < bytes.length) {
    switch (state.chunkState) {
      case "size": {
        const newline = bytes.indexOf(10, i);
        if (newline === -1) {
          state.sizeLine += Buffer.from(bytes.subarray(i)).toString("latin1");
          return;
        }
        state.sizeLine += Buffer.from(bytes.subarray(i, newline)).toString("latin1");
        i = newline + 1;
        const size = Number.parseInt(state.sizeLine.trim().split(";")[0] ?? "", 16);
        state.sizeLine = "";
        if (size === 0) {
          state.chunkState = "trailer";
          return;
        }
        state.remaining = size;
        state.chunkState = "data";
        break;
      }
      case "data": {
        const take = Math.min(state.remaining, bytes.length - i);
        state.text += state.decoder.decode(bytes.subarray(i, i + take), { stream: true });
        state.remaining -= take;
        i += take;
        if (state.remaining === 0) state.chunkState = "crlf";
        break;
      }
      case "crlf": {
        // Skip the CRLF after a chunk's data (it may arrive split across reads).
        const newline = bytes.indexOf(10, i);
        if (newline === -1) return;
        i = newline + 1;
        state.chunkState = "size";
        break;
      }
      case "trailer":
        return;
    }
  }
}

function splitFrames(state: State): SseFrame[] {
  const frames: SseFrame[] = [];
  let start = 0;
  let boundary = state.text.indexOf("\n\n", start);
  while (boundary !== -1) {
    const frame = parseFrame(state.text.slice(start, boundary));
    if (frame) frames.push(frame);
    start = boundary + 2;
    boundary = state.text.indexOf("\n\n", start);
  }
  if (start > 0) state.text = state.text.slice(start);
  return frames;
}

/** Only `id:` and `event:` matter to the bench; `data:` is not parsed (the log is compared by id). */
function parseFrame(block: string): SseFrame | null {
  let id = "";
  let event = "";
  for (const line of block.split("\n")) {
    if (line.startsWith("id: ")) id = line.slice(4);
    else if (line.startsWith("event: ")) event = line.slice(7);
  }
  return id || event ? { id, event } : null;
}
