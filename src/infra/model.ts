// The OpenAI-compatible model endpoint. Only the SDK's baseURL decides where it points.
import OpenAI from "openai";
import type { Dependency } from "./dependency";

export interface ModelClient extends Dependency {
  readonly openai: OpenAI;
}

export function createModelClient(baseURL: string, apiKey: string, timeoutMs: number): ModelClient {
  // Retries are ours (issue: 3 attempts honouring Retry-After, process-wide limiter), not the SDK's.
  const openai = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 120_000 });
  return {
    name: "model",
    openai,
    check: async () => {
      await openai.models.list({ timeout: timeoutMs });
    },
    close: async () => {},
  };
}
