// Entry point of the OpenAI stand-in: an HTTP server speaking the Chat Completions, Embeddings and Models
// wire format at <url>/v1, plus the /_standin/ control API. Used in-process by tests and via main.ts by
// ./scripts/dev.
import { handleChatCompletions } from "./chat";
import { IdSource, type StandinContext } from "./context";
import { handleControl } from "./control";
import { DEFAULT_EMBEDDING_DIMENSIONS } from "./embeddings";
import { handleEmbeddings } from "./embeddings-route";
import { openAIError } from "./http";
import { getModel, listModels } from "./models";
import { ScriptBook } from "./scripts";
import { Recorder } from "./stats";

export interface OpenAIStandinOptions {
  host?: string;
  port?: number;
  tokenDelayMs?: number;
  embeddingDimensions?: number;
}

export interface OpenAIStandin {
  port: number;
  // Base URL ending in /v1, ready for `new OpenAI({ baseURL })`.
  url: string;
  close(): Promise<void>;
}

async function route(req: Request, ctx: StandinContext): Promise<Response> {
  const url = new URL(req.url);
  const path = url.pathname.replace(/\/+$/, "");
  if (path.startsWith("/_standin/")) {
    const response = await handleControl(req, url, ctx);
    if (response !== undefined) return response;
  }
  if (req.method === "POST" && path === "/v1/chat/completions") return handleChatCompletions(req, ctx);
  if (req.method === "POST" && path === "/v1/embeddings") return handleEmbeddings(req, ctx);
  if (req.method === "GET" && path === "/v1/models") return listModels();
  if (req.method === "GET" && path.startsWith("/v1/models/")) {
    return getModel(decodeURIComponent(path.slice("/v1/models/".length)));
  }
  return openAIError(404, `Unknown request URL: ${req.method} ${url.pathname}.`, { code: "unknown_url" });
}

export async function startOpenAIStandin(opts: OpenAIStandinOptions = {}): Promise<OpenAIStandin> {
  const shutdown = new AbortController();
  const ctx: StandinContext = {
    scripts: new ScriptBook(),
    recorder: new Recorder(),
    ids: new IdSource(),
    tokenDelayMs: opts.tokenDelayMs ?? 0,
    embeddingDimensions: opts.embeddingDimensions ?? DEFAULT_EMBEDDING_DIMENSIONS,
    shutdown: shutdown.signal,
  };
  const host = opts.host ?? "127.0.0.1";
  const server = Bun.serve({
    hostname: host,
    port: opts.port ?? 0,
    // Slow streams and scripted hangs must only end when the client gives up, never on Bun's idle timer.
    idleTimeout: 0,
    async fetch(req, srv) {
      srv.timeout(req, 0);
      try {
        return await route(req, ctx);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        return openAIError(500, `OpenAI stand-in internal error: ${message}`);
      }
    },
  });
  const port = server.port ?? opts.port ?? 0;
  const urlHost = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;
  let closed: Promise<void> | undefined;
  return {
    port,
    url: `http://${urlHost}:${port}/v1`,
    close() {
      closed ??= (async () => {
        shutdown.abort();
        await server.stop(true);
      })();
      return closed;
    },
  };
}
