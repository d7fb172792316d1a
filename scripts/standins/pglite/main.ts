// Dev/test stand-in for RDS Postgres + pgvector: PGlite (WASM Postgres) with the vector extension,
// served over the Postgres wire protocol so the app's real `postgres` client connects to it.
import { parseArgs } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "15432" },
    host: { type: "string", default: "127.0.0.1" },
    data: { type: "string", default: "memory://" },
    "max-connections": { type: "string", default: "32" },
  },
});

const db = await PGlite.create(values.data, { extensions: { vector } });
await db.exec("CREATE EXTENSION IF NOT EXISTS vector");
const server = new PGLiteSocketServer({
  db,
  host: values.host,
  port: Number(values.port),
  // PGlite is single-connection; the server multiplexes client connections onto it query by query.
  maxConnections: Number(values["max-connections"]),
});
await server.start();
console.log(`pglite-standin listening on ${values.port} (data: ${values.data})`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await server.stop();
  await db.close();
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
