// `hilo tools`: the agent's tools from a shell, for ops debugging and checking numbers by hand.
//   hilo tools list
//   hilo tools run <name> --user <id> [--tz <zone>] [--args '<json>']
// `run` prints the registry's envelope exactly as the model would receive it (one JSON line).
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { createToolRegistry } from "../agent/registry";
import type { ToolContext } from "../agent/tool";
import { chatTools } from "../chat/tools";
import { withTimeout } from "../infra/dependency";
import { closeDeps, createDeps, type Deps } from "../infra/deps";
import { EXIT_STARTUP, loadConfigOrExit } from "../lifecycle/run";
import { createLlm } from "../llm/client";
import { createMemoryPoolCache } from "../memory/cache";
import { createLogger } from "../observability/logger";
import { isIanaTimeZone } from "../readings/local-day";
import { readUserProfile } from "../users/service";

const EXIT_USAGE = 64;
/** The zone used when the user has no profile and no --tz is given. */
const FALLBACK_TIMEZONE = "UTC";

export const TOOLS_USAGE = `Usage: hilo tools list
       hilo tools run <name> --user <id> [--tz <zone>] [--args '<json>']

run prints the tool's result envelope as the model sees it. The watch id comes from the user's
profile in the Hilo User DB, the time zone from --tz or else that profile.`;

// The tools the CLI offers; the chat tools join this list as they land.
const registry = createToolRegistry(chatTools(createMemoryPoolCache()));

function usageError(message: string): never {
  process.stderr.write(`hilo tools: ${message}\n\n${TOOLS_USAGE}\n`);
  process.exit(EXIT_USAGE);
}

export async function runToolsCommand(argv: string[]): Promise<void> {
  const [subcommand, ...rest] = argv;
  switch (subcommand) {
    case "list":
      for (const name of registry.names) {
        const firstLine = registry.get(name)?.description.split("\n")[0] ?? "";
        console.log(`${name.padEnd(30)} ${firstLine}`);
      }
      return;
    case "run":
      return runTool(rest);
    case undefined:
    case "-h":
    case "--help":
      console.log(TOOLS_USAGE);
      return;
    default:
      usageError(`unknown subcommand '${subcommand}'`);
  }
}

interface RunArguments {
  name: string;
  userId: string;
  timezone: string | undefined;
  rawArguments: string;
}

const RUN_OPTIONS = {
  user: { type: "string" },
  tz: { type: "string" },
  args: { type: "string" },
} as const;

function parseRunOptions(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: RUN_OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    usageError(error instanceof Error ? error.message : String(error));
  }
}

function parseRunArguments(argv: string[]): RunArguments {
  const { values, positionals } = parseRunOptions(argv);
  const [name, ...extra] = positionals;
  if (name === undefined) usageError("run needs a tool name");
  if (extra.length > 0) usageError(`unexpected argument '${extra[0]}'`);
  if (values.user === undefined || values.user === "") usageError("run needs --user <id>");
  if (values.tz !== undefined && !isIanaTimeZone(values.tz)) {
    usageError(`--tz must be an IANA time zone such as Europe/London, got '${values.tz}'`);
  }
  return { name, userId: values.user, timezone: values.tz, rawArguments: values.args ?? "{}" };
}

async function checkNeeded(deps: Deps): Promise<void> {
  const timeoutMs = deps.config.HILO_STARTUP_CHECK_TIMEOUT_MS;
  for (const dependency of [deps.usersDb, deps.mongo]) {
    try {
      await withTimeout(dependency.name, timeoutMs, dependency.check());
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      process.stderr.write(`hilo: start-up failed: ${dependency.name} is unreachable (${reason})\n`);
      await closeDeps(deps);
      process.exit(EXIT_STARTUP);
    }
  }
}

async function runTool(argv: string[]): Promise<void> {
  const args = parseRunArguments(argv);
  const config = loadConfigOrExit();
  const log = createLogger(config.HILO_LOG_LEVEL, { mode: "tools" });
  const deps = createDeps(config);
  let exitCode = 0;
  try {
    await checkNeeded(deps);
    const profile = await readUserProfile(deps.usersDb, args.userId);
    if (profile === null) {
      // Still run: the model of a user without a profile gets the same envelope (no watch linked).
      process.stderr.write(`hilo tools: no profile for user '${args.userId}' in the Hilo User DB\n`);
    }
    const ctx: ToolContext = {
      userId: args.userId,
      watchId: profile?.watchId ?? null,
      timezone: args.timezone ?? profile?.timezone ?? FALLBACK_TIMEZONE,
      sessionId: "cli",
      turnId: `cli-${randomUUID()}`,
      deps,
      llm: createLlm(deps.openai.client, { log, tracing: deps.tracing }),
      log,
      signal: new AbortController().signal,
      now: () => new Date(),
    };
    const result = await registry.run(args.name, args.rawArguments, ctx);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    if (!result.ok) exitCode = 1;
  } finally {
    await closeDeps(deps);
  }
  process.exit(exitCode);
}
