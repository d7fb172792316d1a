// `hilo api`: the HTTP + SSE server.
import { createApp } from "../http/app";
import type { StartService } from "../lifecycle/run";

export const startApi: StartService = async (deps, log) => {
  const { config } = deps;
  const app = createApp({ deps, log }).listen({
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
      // stop(false): refuse new connections, let in-flight requests finish.
      await server.stop(false);
    },
  };
};
