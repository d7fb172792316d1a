// `hilo api`: the HTTP + SSE server.

import { createApp } from "../app";
import { createChat } from "../chat/chat";
import { startReconciler } from "../chat/reconciler";
import { errorResponse } from "../http/errors";
import type { StartService } from "../lifecycle/run";
import { serveMetricsPort } from "../observability/metrics";
import { warmUpScreening } from "../safety/screen";

const BUN_BODY_BACKSTOP_BYTES = 1024 * 1024 * 1024;

export const startApi: StartService = async (deps, log) => {
  const { config } = deps;
  const chat = createChat(deps, log);
  const reconciler = startReconciler(deps, log);
  const app = createApp({ deps, log, chat }).listen({
    hostname: config.HOST,
    port: config.PORT,
    // The app reads bodies itself and answers one over HILO_MAX_BODY_BYTES with the JSON 413 (by its
    // Content-Length before reading, or as soon as a chunked body passes it). Bun's own limit, whose
    // 413 has no body, is only a backstop far above it.
    maxRequestBodySize: BUN_BODY_BACKSTOP_BYTES,
    // Bun closes idle connections after 10 s by default; SSE streams send keep-alives well within
    // this, and this bound still reaps dead keep-alive sockets.
    idleTimeout: 120,
    // Never Bun's developer error page (HTML with paths and source lines), in any mode.
    development: false,
    // Reached only when the app's own error mapping throws (a request target no URL parser accepts
    // used to): still the one JSON shape, and the log stays JSON.
    error: (error) => {
      log.error("request failed outside the app's error mapping", { error });
      return errorResponse(500, "internal", "internal error");
    },
  });
  const server = app.server;
  if (!server) throw new Error("the HTTP server did not start");
  log.info("listening", { url: `http://${config.HOST}:${server.port}` });
  // Off the start-up path, before any user's message can need them.
  setTimeout(warmUpScreening, 0);
  // Its own port, for Prometheus only: the load balancer must never route to it (README, Metrics).
  const metricsServer = serveMetricsPort(
    deps.metrics,
    { hostname: config.HOST, port: config.HILO_METRICS_PORT },
    log,
  );
  return {
    stop: async () => {
      reconciler.stop();
      // stop(false): refuse new connections, let in-flight requests (and streams) finish; then let
      // running turns complete so their answers are stored. The lifecycle bounds both.
      await server.stop(false);
      await chat.stop();
      // Last, so a scrape during the drain still sees the turns finishing.
      await metricsServer?.stop(true);
    },
  };
};
