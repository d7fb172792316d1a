// Where the bench finds the local stack: .local/stack.env (written by scripts/stack/up.sh), read the
// way test/setup/preload.ts reads it. Variables already set in the environment win.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(import.meta.dir, "../../..");

/** The names a `hilo api` needs from the stack; everything else keeps the app's defaults. */
const STACK_NAMES = [
  "APP_DB_URL",
  "HILO_USERS_DB_URL",
  "MONGO_URL",
  "FAQ_DB_URL",
  "REDIS_URL",
  "OPENAI_BASE_URL",
  "OPENAI_API_KEY",
] as const;

export function loadStackEnv(): void {
  const file = join(ROOT, ".local/stack.env");
  if (!existsSync(file)) return;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match?.[1] && match[2] !== undefined) process.env[match[1]] ??= match[2];
  }
}

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: start the local stack (./scripts/dev or ./scripts/test)`);
  return value;
}

/** The stack's connection settings, for a child process. */
export function stackEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of STACK_NAMES) env[name] = requireEnv(name);
  return env;
}

/** Wall-clock milliseconds with sub-millisecond resolution (Redis stream ids are wall-clock ms too). */
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}
