// What a tool is: a name and description the model reads, a strict zod input schema, and a handler
// that receives the server-side context. Identity never comes from the model's arguments.
import type { z } from "zod";
import type { Deps } from "../infra/deps";
import type { Llm } from "../llm/client";
import type { Logger } from "../observability/logger";

export interface ToolContext {
  /** The acting user, from the authenticated request (or the system job that acts for them). */
  readonly userId: string;
  /** The user's watch from the Hilo User DB; null when the platform has no profile for them. */
  readonly watchId: string | null;
  /** IANA zone of the user (request header, else profile): day boundaries follow it. */
  readonly timezone: string;
  readonly sessionId: string;
  readonly turnId: string;
  readonly deps: Deps;
  /** The process's model client (shared limiter and retries), for tools that embed text. */
  readonly llm: Llm;
  readonly log: Logger;
  /** Aborted when the turn's budget runs out; long handlers should pass it on. */
  readonly signal: AbortSignal;
  /** The turn's clock, injectable so tests can pin "now". */
  now(): Date;
}

export interface ToolDefinition<Input extends z.ZodType = z.ZodType> {
  readonly name: string;
  /** What the model reads to decide when and how to call the tool; policy lives here too. */
  readonly description: string;
  /** Strict object schema: unknown keys (a `user_id`, say) are rejected, never used. */
  readonly input: Input;
  /** The registry's per-call timeout for this tool, when it needs longer (it calls a model itself). */
  readonly timeoutMs?: number;
  handler(input: z.infer<Input>, ctx: ToolContext): Promise<unknown>;
}

export type ToolErrorCode =
  | "invalid_arguments"
  | "unknown_tool"
  | "unavailable"
  | "timeout"
  | "failed"
  | "not_found";

export type ToolResult =
  | { ok: true; data: unknown }
  | { ok: false; error: { code: ToolErrorCode; message: string } };

/** Thrown by handlers for an expected, explainable failure (the message is shown to the model). */
export class ToolError extends Error {
  constructor(
    readonly code: ToolErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ToolError";
  }
}

export function defineTool<Input extends z.ZodType>(tool: ToolDefinition<Input>): ToolDefinition<Input> {
  return tool;
}
