// The peer's server process: resumable-stream consumers behind an SSE endpoint, as an app runs them.
//
//   (started by main.ts) bun scripts/bench/relay/peer-server.ts <redis-url> <key-prefix> <port>
import { createPeerContext, startPeerServer } from "./peer-load";

const [redisUrl, keyPrefix, port] = process.argv.slice(2);
if (!redisUrl || !keyPrefix || !port)
  throw new Error("usage: peer-server.ts <redis-url> <key-prefix> <port>");

// The server's clients are created like the api's: no auto-pipelining.
const peer = createPeerContext(redisUrl, keyPrefix, false);
const server = startPeerServer(peer, Number(port));

process.on("SIGTERM", () => {
  void server.stop(true);
  peer.close();
  process.exit(0);
});

console.log(`peer server ready on ${server.port}`);
