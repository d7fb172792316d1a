/**
 * Start-up time of the release binary: exec → the `listening` log line, and exec → the first
 * `/health` 200 (which probes every dependency), over several cold starts against the local stack.
 *
 *   bun run build && bun scripts/bench/startup.ts [--binary dist/hilo] [--runs 5]
 */
import { parseArgs } from "node:util";
import { loadStackEnv, ROOT, stackEnv } from "./relay/env";
import { freePort } from "./relay/procs";
import { distribution, fmt } from "./relay/stats";

const { values } = parseArgs({
  options: {
    binary: { type: "string", default: `${ROOT}/dist/hilo` },
    runs: { type: "string", default: "5" },
  },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs must be a positive integer");
loadStackEnv();

const HEALTH_POLL_MS = 5;
const GIVE_UP_MS = 30_000;

async function startOnce(port: number): Promise<{ listening: number; health: number }> {
  const started = performance.now();
  const hilo = Bun.spawn([values.binary, "api"], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...stackEnv(),
      HILO_ENV: "development",
      HOST: "127.0.0.1",
      PORT: String(port),
      HILO_API_KEY: "startup-bench-key-0123456789",
    },
    stdout: "pipe",
    stderr: "inherit",
  });
  // The whole log is read to its end: a closed pipe would fail the api's next log line.
  let log = "";
  let listening = Number.NaN;
  let seen: () => void = () => {};
  const listeningSeen = new Promise<void>((resolve) => {
    seen = resolve;
  });
  const drained = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of hilo.stdout) {
      log += decoder.decode(chunk, { stream: true });
      if (Number.isNaN(listening) && log.includes('"msg":"listening"')) {
        listening = performance.now() - started;
        seen();
      }
    }
    seen();
  })();
  try {
    await Promise.race([listeningSeen, Bun.sleep(GIVE_UP_MS)]);
    if (Number.isNaN(listening)) throw new Error(`the api did not start:\n${log}`);
    for (;;) {
      const response = await fetch(`http://127.0.0.1:${port}/health`).catch(() => null);
      if (response?.status === 200) return { listening, health: performance.now() - started };
      if (performance.now() - started > GIVE_UP_MS) throw new Error("/health never answered 200");
      await Bun.sleep(HEALTH_POLL_MS);
    }
  } finally {
    hilo.kill("SIGTERM");
    await hilo.exited;
    await drained;
  }
}

const listening: number[] = [];
const health: number[] = [];
for (let i = 0; i < runs; i++) {
  const result = await startOnce(await freePort());
  listening.push(result.listening);
  health.push(result.health);
}
const show = (values: number[]) => {
  const d = distribution(values);
  return `p50 ${fmt(d.p50)} ms, max ${fmt(d.max)} ms`;
};
console.log(`${values.binary}, ${runs} cold starts`);
console.log(`  exec → listening:        ${show(listening)}`);
console.log(`  exec → first /health 200: ${show(health)}`);
