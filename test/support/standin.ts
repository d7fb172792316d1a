// Scripting the shared OpenAI stand-in of the local stack. Many test files run against the same server at
// once: every test uses its own match string and nobody resets it.
import { randomUUID } from "node:crypto";
import OpenAI from "openai";
import { z } from "zod";
import { createLlm, type Llm, type LlmOptions } from "../../src/llm/client";
import { createLogger } from "../../src/observability/logger";

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: start the local stack with ./scripts/test`);
  return value;
}

export const standinUrl = (): string => env("OPENAI_STANDIN_URL");

/** A match string no other test uses. */
export function uniqueMatch(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}`;
}

/** Scripts replies for requests whose last user message contains `match` (`format: "json"` for structured calls). */
export async function script(
  match: string,
  replies: unknown[],
  format: "chat" | "json" = "chat",
  model?: string,
): Promise<void> {
  const res = await fetch(`${standinUrl()}/_standin/script`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ match, replies, format, model }),
  });
  if (!res.ok) throw new Error(`stand-in refused the script: ${await res.text()}`);
}

const bodiesSchema = z.array(z.record(z.string(), z.unknown()));

/** Request bodies the stand-in received whose last user message contains `match`, oldest first. */
export async function requestsMatching(match: string): Promise<Record<string, unknown>[]> {
  const res = await fetch(`${standinUrl()}/_standin/requests?match=${encodeURIComponent(match)}`);
  return bodiesSchema.parse(await res.json());
}

export function standinOpenAI(options: { fetch?: typeof fetch } = {}): OpenAI {
  return new OpenAI({
    baseURL: env("OPENAI_BASE_URL"),
    apiKey: env("OPENAI_API_KEY"),
    maxRetries: 0,
    ...options,
  });
}

/** An Llm on the stand-in with short backoffs, so retry tests stay fast. */
export function testLlm(overrides: Partial<Omit<LlmOptions, "log">> & { openai?: OpenAI } = {}): Llm {
  const { openai, ...rest } = overrides;
  return createLlm(openai ?? standinOpenAI(), {
    log: createLogger("error"),
    retry: { baseDelayMs: 20, maxBackoffMs: 100 },
    ...rest,
  });
}
