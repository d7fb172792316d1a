// The handover capability's public surface (seed §8 and its return leg): the agent's tool, the
// routes (the app's list and Intercom's webhook), the settings, and the daily report's count.
export { type IntercomSettings, intercomSettings } from "./intercom-api";
export { countHandoversForUtcDay } from "./report";
export { handoverRoutes, INTERCOM_WEBHOOK_PATH, intercomWebhookRoutes } from "./routes";
export { HANDOVER_TOOL_NAME, handoverTool } from "./tool";
