export { ConfigError, langfuseEnabled, loadConfig } from "./load";
export { type Config, DEV_API_KEY } from "./schema";
