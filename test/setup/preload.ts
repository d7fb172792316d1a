// Loaded before every test file (bunfig.toml): points the tests at the running local stack by
// reading .local/stack.env, which scripts/stack/up.sh writes. Explicit env vars win.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const stackEnv = join(import.meta.dir, "../../.local/stack.env");
if (existsSync(stackEnv)) {
  for (const line of readFileSync(stackEnv, "utf8").split("\n")) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match?.[1] && match[2] !== undefined) process.env[match[1]] ??= match[2];
  }
}
process.env.HILO_ENV ??= "test";
process.env.HILO_LOG_LEVEL ??= "error";
