// The OpenAI-compatible endpoint every model call goes to. Only the SDK's baseURL decides where it
// points; its dependency name stays "model" (the /health check the load balancer and ops read).
import OpenAI from "openai";
import type { Dependency } from "./dependency";

export interface OpenAiClient extends Dependency {
  readonly client: OpenAI;
}

export function createOpenAiClient(baseURL: string, apiKey: string, timeoutMs: number): OpenAiClient {
  // Retries are ours (issue: 3 attempts honouring Retry-After, process-wide limiter), not the SDK's.
  const openai = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 120_000 });
  return {
    name: "model",
    client: openai,
    check: async () => {
      await openai.models.list({ timeout: timeoutMs });
    },
    close: async () => {},
  };
}
