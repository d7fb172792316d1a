// CLI for ./scripts/dev: `bun scripts/standins/openai/main.ts --port 18080 [--token-delay-ms 15]
// [--host 127.0.0.1] [--embedding-dimensions 1536]`. Streams at a human-visible pace by default.
import { parseArgs } from "node:util";
import { type OpenAIStandin, startOpenAIStandin } from "./server";

function numberOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) {
    console.error(`openai-standin: --${name} must be a non-negative number, got "${value}"`);
    process.exit(2);
  }
  return n;
}

const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: {
    host: { type: "string" },
    port: { type: "string" },
    "token-delay-ms": { type: "string" },
    "embedding-dimensions": { type: "string" },
  },
  strict: true,
});

// Handlers go in before the (async) start so a signal sent right after spawning still shuts down cleanly.
let standin: OpenAIStandin | undefined;
let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await standin?.close();
  process.exit(0);
}
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());

standin = await startOpenAIStandin({
  host: values.host ?? "127.0.0.1",
  port: numberOption(values.port, "port", 18080),
  tokenDelayMs: numberOption(values["token-delay-ms"], "token-delay-ms", 15),
  embeddingDimensions: numberOption(values["embedding-dimensions"], "embedding-dimensions", 1536),
});
// The dev script waits for this exact line before starting the backend.
console.log(`openai-standin listening on ${standin.port}`);
