// Spawning `hilo` modes as real processes, for start-up, shutdown and multi-process tests.

import { join } from "node:path";
import { type Subprocess, spawn } from "bun";

export const ROOT = join(import.meta.dir, "../..");
export const MAIN = join(ROOT, "src/main.ts");

export interface HiloProcess {
  proc: Subprocess<"ignore", "pipe", "pipe">;
  /** Everything printed so far on stdout and stderr. */
  output(): string;
  /** Resolves once a line containing `text` has been printed. */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  exited: Promise<number>;
}

export function spawnHilo(
  args: string[],
  env: Record<string, string | undefined>,
  command: string[] = ["bun", MAIN],
): HiloProcess {
  const proc = spawn([...command, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  let text = "";
  const waiters: { needle: string; resolve: () => void }[] = [];
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      text += decoder.decode(chunk, { stream: true });
      for (const waiter of [...waiters]) {
        if (text.includes(waiter.needle)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    }
  };
  const pumped = Promise.all([pump(proc.stdout), pump(proc.stderr)]);
  return {
    proc,
    output: () => text,
    exited: pumped.then(() => proc.exited),
    waitFor: (needle, timeoutMs = 15_000) =>
      new Promise<void>((resolve, reject) => {
        if (text.includes(needle)) return resolve();
        const timer = setTimeout(
          () => reject(new Error(`timed out waiting for "${needle}"; output:\n${text}`)),
          timeoutMs,
        );
        waiters.push({
          needle,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
        proc.exited.then(() =>
          setTimeout(() => reject(new Error(`process exited before "${needle}"; output:\n${text}`)), 50),
        );
      }),
  };
}

/** The environment the local stack gives a `hilo` process, plus overrides. */
export function stackEnv(overrides: Record<string, string> = {}): Record<string, string | undefined> {
  const names = [
    "APP_DB_URL",
    "HILO_USERS_DB_URL",
    "MONGO_URL",
    "FAQ_DB_URL",
    "REDIS_URL",
    "OPENAI_BASE_URL",
    "OPENAI_API_KEY",
  ];
  const env: Record<string, string | undefined> = {
    HILO_ENV: "test",
    HILO_API_KEY: "test-hilo-api-key-0123456789",
  };
  for (const name of names) env[name] = process.env[name];
  return { ...env, ...overrides };
}

export async function freePort(): Promise<number> {
  const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = listener.port;
  listener.stop(true);
  return port;
}

/** The variables production refuses to default, in the order the schema declares them. */
export const PRODUCTION_REQUIRED = [
  "HILO_API_KEY",
  "APP_DB_URL",
  "HILO_USERS_DB_URL",
  "MONGO_URL",
  "FAQ_DB_URL",
  "REDIS_URL",
  "OPENAI_API_KEY",
] as const;
