// Runs `hilo guard` as a real process with the given stdin; shared by the CLI test and
// scripts/bench/guard-eval.ts.
import { join } from "node:path";

export const ROOT = join(import.meta.dir, "../..");
export const GUARD_FROM_SOURCE = ["bun", join(ROOT, "src/main.ts"), "guard"];

export interface GuardRun {
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

export async function runGuardProcess(
  stdin: string,
  command: string[] = GUARD_FROM_SOURCE,
): Promise<GuardRun> {
  const started = performance.now();
  const proc = Bun.spawn(command, {
    cwd: ROOT,
    // Deliberately no datastore or model settings: the guard must not need them.
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    stdin: new TextEncoder().encode(stdin),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { code, stdout, stderr, seconds: (performance.now() - started) / 1000 };
}
