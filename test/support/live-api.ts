// The real `hilo api` service on a loopback port: started through `startApi`, the function
// `hilo api` runs, so the server gets exactly the production listen options (body limit, idle
// timeout, and whatever Bun.serve options the service adds) and Bun's own handling before routing
// (request-line parsing, header limits, body limits) is exercised. Also a raw HTTP/1.1 client for
// requests `fetch` refuses to send (unknown methods, bad targets, control characters, raw bytes).
import { connect } from "node:net";
import { startApi } from "../../src/cli/api";
import { closeDeps, createDeps, type Deps } from "../../src/infra/deps";
import type { Logger } from "../../src/observability/logger";
import { freePort } from "./processes";
import { testConfig } from "./stack";

export interface LoggedLine {
  level: string;
  message: string;
  fields?: Record<string, unknown>;
}

export interface LiveApi {
  readonly url: string;
  readonly port: number;
  readonly deps: Deps;
  /** Warn and error lines the service logged (kept, not printed: a fuzz run would flood the output). */
  readonly problems: LoggedLine[];
  stop(): Promise<void>;
}

function collectingLogger(problems: LoggedLine[]): Logger {
  const logger: Logger = {
    debug: () => {},
    info: () => {},
    warn: (message, fields) => {
      problems.push({ level: "warn", message, fields });
    },
    error: (message, fields) => {
      problems.push({ level: "error", message, fields });
    },
    child: () => logger,
  };
  return logger;
}

export async function startLiveApi(overrides: Record<string, string> = {}): Promise<LiveApi> {
  const problems: LoggedLine[] = [];
  const log = collectingLogger(problems);
  // freePort can race with another process taking the port between probe and bind: retry.
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const deps = createDeps(testConfig({ HOST: "127.0.0.1", PORT: String(port), ...overrides }));
    try {
      const service = await startApi(deps, log);
      return {
        url: `http://127.0.0.1:${port}`,
        port,
        deps,
        problems,
        stop: async () => {
          await service.stop();
          await closeDeps(deps);
        },
      };
    } catch (error) {
      await closeDeps(deps);
      if (attempt >= 3) throw error;
    }
  }
}

export interface RawResponse {
  /** 0 when no status line arrived. */
  status: number;
  /** Header names lower-cased; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Uint8Array;
  /** Everything the server sent, as latin1 text (every byte preserved). */
  raw: string;
  /** The server closed the connection (as opposed to the client stopping after a whole response). */
  closedByServer: boolean;
  /** The deadline passed before a whole response arrived. */
  timedOut: boolean;
  /** The client could not send (connection refused or reset while writing). */
  sendError?: string;
}

export function bodyText(response: RawResponse): string {
  return new TextDecoder().decode(response.body);
}

/**
 * Sends `request` as-is on a fresh connection and reads one response: until its body is complete
 * (Content-Length or chunked), the server closes, or `timeoutMs` passes. For event streams, stops
 * after `streamBytes` of body so a live stream does not hold the test.
 */
export function rawExchange(
  port: number,
  request: string | Uint8Array,
  options: { timeoutMs?: number; streamBytes?: number; bodyless?: boolean } = {},
): Promise<RawResponse> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const streamBytes = options.streamBytes ?? 64;
  const bodyless = options.bodyless ?? false;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    let sendError: string | undefined;
    const socket = connect({ host: "127.0.0.1", port });
    const finish = (closedByServer: boolean, timedOut: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const parsed = parseResponse(Buffer.concat(chunks), bodyless);
      resolve({ ...parsed.response, closedByServer, timedOut, sendError });
    };
    const timer = setTimeout(() => finish(false, true), timeoutMs);
    socket.on("connect", () => {
      socket.write(typeof request === "string" ? Buffer.from(request, "latin1") : request);
    });
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      const parsed = parseResponse(Buffer.concat(chunks), bodyless);
      if (parsed.complete) finish(false, false);
      else if (parsed.isStream && parsed.response.body.length >= streamBytes) finish(false, false);
    });
    socket.on("error", (error) => {
      sendError = error.message;
    });
    socket.on("close", () => finish(true, false));
  });
}

interface Parsed {
  response: Omit<RawResponse, "closedByServer" | "timedOut" | "sendError">;
  complete: boolean;
  isStream: boolean;
}

/** One response from the bytes so far; interim 1xx responses (100 Continue) are skipped. */
function parseResponse(all: Buffer, bodyless: boolean): Parsed {
  const raw = all.toString("latin1");
  let bytes = all;
  while (/^HTTP\/1\.[01] 1\d\d /.test(bytes.toString("latin1", 0, 13))) {
    const end = bytes.indexOf("\r\n\r\n", 0, "latin1");
    if (end === -1) break;
    bytes = bytes.subarray(end + 4);
  }
  const headerEnd = bytes.toString("latin1").indexOf("\r\n\r\n");
  const empty = { status: 0, headers: {}, body: new Uint8Array(), raw };
  if (headerEnd === -1) return { response: empty, complete: false, isStream: false };
  const [statusLine = "", ...lines] = bytes.toString("latin1", 0, headerEnd).split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon === -1) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  const rest = bytes.subarray(headerEnd + 4);
  if (bodyless)
    return { response: { status, headers, body: new Uint8Array(), raw }, complete: true, isStream: false };
  const isStream = (headers["content-type"] ?? "").startsWith("text/event-stream");
  if (headers["transfer-encoding"]?.toLowerCase().includes("chunked")) {
    const { body, complete } = dechunk(rest);
    return { response: { status, headers, body, raw }, complete, isStream };
  }
  const length = headers["content-length"];
  if (length !== undefined) {
    const wanted = Number(length);
    return {
      response: { status, headers, body: new Uint8Array(rest.subarray(0, wanted)), raw },
      complete: rest.length >= wanted,
      isStream,
    };
  }
  // No framing: the body runs to the close (or there is none, for 204/304).
  const noBody = status === 204 || status === 304;
  return { response: { status, headers, body: new Uint8Array(rest), raw }, complete: noBody, isStream };
}

function dechunk(bytes: Buffer): { body: Uint8Array; complete: boolean } {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const lineEnd = bytes.indexOf("\r\n", offset, "latin1");
    if (lineEnd === -1) break;
    const size = Number.parseInt(bytes.subarray(offset, lineEnd).toString("latin1"), 16);
    if (Number.isNaN(size)) break;
    if (size === 0) return { body: new Uint8Array(Buffer.concat(parts)), complete: true };
    const start = lineEnd + 2;
    parts.push(bytes.subarray(start, Math.min(start + size, bytes.length)));
    if (start + size + 2 > bytes.length) break;
    offset = start + size + 2;
  }
  return { body: new Uint8Array(Buffer.concat(parts)), complete: false };
}
