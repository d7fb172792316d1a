// CLI entry: `bun scripts/standins/mongo/main.ts --port 27018 [--host 127.0.0.1]`. Prints one
// readiness line (stack scripts wait for it) and shuts down cleanly on SIGTERM/SIGINT.
import { startMongoStandin } from "./server";

function parseArgs(argv: string[]): { host: string; port: number } {
  let host = "127.0.0.1";
  let port = 27018;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const [flag, inline] = arg.includes("=") ? arg.split("=", 2) : [arg, undefined];
    const value = () => inline ?? argv[++i] ?? "";
    if (flag === "--port") {
      port = Number(value());
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new Error(`invalid --port: ${arg}`);
      }
    } else if (flag === "--host") {
      host = value();
    } else if (flag === "--help" || flag === "-h") {
      console.log("usage: bun scripts/standins/mongo/main.ts --port 27018 [--host 127.0.0.1]");
      process.exit(0);
    } else {
      throw new Error(`unknown argument: ${arg}`);
    }
  }
  return { host, port };
}

const standin = await startMongoStandin(parseArgs(process.argv.slice(2)));
console.log(`mongo-standin listening on ${standin.port}`);

let closing = false;
const shutdown = () => {
  if (closing) return;
  closing = true;
  standin.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
