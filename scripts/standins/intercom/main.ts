// CLI for the local stack: `bun scripts/standins/intercom/main.ts --port 18090 --token T
// --client-secret S [--webhook-url http://127.0.0.1:8080/webhooks/intercom] [--host 127.0.0.1]`.
import { parseArgs } from "node:util";
import { type IntercomStandin, startIntercomStandin } from "./server";

const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: {
    host: { type: "string" },
    port: { type: "string" },
    token: { type: "string" },
    "client-secret": { type: "string" },
    "webhook-url": { type: "string" },
  },
  strict: true,
});

const port = Number(values.port ?? 18090);
if (!Number.isInteger(port) || port < 0 || port > 65535 || !values.token || !values["client-secret"]) {
  console.error("intercom-standin: --port <0-65535>, --token and --client-secret are required");
  process.exit(2);
}

let standin: IntercomStandin | undefined;
let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await standin?.close();
  process.exit(0);
}
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());

standin = await startIntercomStandin({
  host: values.host ?? "127.0.0.1",
  port,
  accessToken: values.token,
  clientSecret: values["client-secret"],
  webhookUrl: values["webhook-url"] ?? "http://127.0.0.1:8080/webhooks/intercom",
});
console.log(`intercom-standin listening on ${standin.port}`);
