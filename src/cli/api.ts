// `hilo api`: the HTTP + SSE server.
import { createChat } from "../chat/compose";
import { startReconciler } from "../chat/reconciler";
import { createApp } from "../http/app";
import type { StartService } from "../lifecycle/run";

export const startApi: StartService = async (deps, log) => {
  const { config } = deps;
  const chat = createChat(deps, log);
  const reconciler = startReconciler(deps, log);
  const app = createApp({ deps, log, chat }).listen({
    hostname: config.HOST,
    port: config.PORT,
    maxRequestBodySize: config.HILO_MAX_BODY_BYTES,
    // Bun closes idle connections after 10 s by default; SSE streams send keep-alives well within
    // this, and this bound still reaps dead keep-alive sockets.
    idleTimeout: 120,
  });
  const server = app.server;
  if (!server) throw new Error("the HTTP server did not start");
  log.info("listening", { url: `http://${config.HOST}:${server.port}` });
  return {
    stop: async () => {
      reconciler.stop();
      // stop(false): refuse new connections, let in-flight requests (and streams) finish; then let
      // running turns complete so their answers are stored. The lifecycle bounds both.
      await server.stop(false);
      await chat.services.stop();
    },
  };
};
