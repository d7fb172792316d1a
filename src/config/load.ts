// Reads the environment into a typed Config, or fails with every bad variable named at once.
import { type Config, configSchema, DEV_DEFAULTS } from "./schema";

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Config {
  const input: Env = {};
  for (const [key, value] of Object.entries(env)) {
    // An empty variable is treated as unset, so `FOO=` in an env file cannot smuggle in "".
    if (value !== undefined && value !== "") input[key] = value;
  }
  if (input.HILO_ENV !== "production") {
    for (const [key, value] of Object.entries(DEV_DEFAULTS)) input[key] ??= value;
  }
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.join(".") || "(config)";
      return input[name] === undefined && issue.code === "invalid_type"
        ? `${name}: is required`
        : `${name}: ${issue.message}`;
    });
    throw new ConfigError([...new Set(problems)]);
  }
  return parsed.data;
}

export function langfuseEnabled(config: Config): boolean {
  return Boolean(config.LANGFUSE_PUBLIC_KEY && config.LANGFUSE_SECRET_KEY && config.LANGFUSE_BASE_URL);
}
