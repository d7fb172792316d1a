// By hand: make the Intercom stand-in answer a handover, as a support agent (or Fin) would. It posts a
// signed `conversation.admin.replied` (or `.operator.replied` with --fin) notification to the webhook.
//   bun scripts/standins/intercom/reply.ts --conversation 1001 --text "<p>Hi! Here is how…</p>"
//     [--author "Sam"] [--fin] [--webhook-url http://127.0.0.1:8080/webhooks/intercom]
// The stand-in's URL comes from INTERCOM_STANDIN_URL (.local/stack.env) or --standin. Conversation ids
// are listed by `curl $INTERCOM_STANDIN_URL/_standin/conversations`.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: {
    conversation: { type: "string" },
    text: { type: "string" },
    author: { type: "string" },
    fin: { type: "boolean" },
    "webhook-url": { type: "string" },
    standin: { type: "string" },
  },
  strict: true,
});

function stackEnv(name: string): string | undefined {
  const file = join(import.meta.dir, "../../../.local/stack.env");
  if (!existsSync(file)) return undefined;
  const line = readFileSync(file, "utf8")
    .split("\n")
    .find((candidate) => candidate.startsWith(`${name}=`));
  return line?.slice(name.length + 1).trim();
}

const standin = values.standin ?? process.env.INTERCOM_STANDIN_URL ?? stackEnv("INTERCOM_STANDIN_URL");
if (!values.conversation || !values.text || !standin) {
  console.error(
    "usage: reply.ts --conversation <id> --text <html> [--author <name>] [--fin] [--webhook-url <url>]",
  );
  process.exit(64);
}
const response = await fetch(`${standin}/_standin/reply`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({
    conversation_id: values.conversation,
    body: values.text,
    author_name: values.author,
    author_type: values.fin ? "bot" : "admin",
    webhook_url: values["webhook-url"],
  }),
});
console.log(await response.text());
process.exit(response.ok ? 0 : 1);
