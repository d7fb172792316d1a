// The one registry every tool goes through: JSON-schema export for the model, argument parsing and
// validation, a per-call timeout, and errors turned into an envelope the model can read.
import { z } from "zod";
import { TimeoutError, withTimeout } from "../infra/dependency";
import { type ToolContext, type ToolDefinition, ToolError, type ToolResult } from "./tool";

export const TOOL_TIMEOUT_MS = 10_000;

export interface OpenAiFunctionTool {
  type: "function";
  function: { name: string; description: string; parameters: Record<string, unknown>; strict?: boolean };
}

export interface ToolRegistry {
  readonly names: readonly string[];
  get(name: string): ToolDefinition | undefined;
  /** The `tools` array of a chat completion request, in registration order (stable across turns). */
  openAiTools(): OpenAiFunctionTool[];
  /** Never throws: every failure becomes `{ ok: false, error }`. */
  run(name: string, rawArguments: string, ctx: ToolContext): Promise<ToolResult>;
}

export function createToolRegistry(
  tools: readonly ToolDefinition[],
  timeoutMs = TOOL_TIMEOUT_MS,
): ToolRegistry {
  const byName = new Map<string, ToolDefinition>();
  for (const tool of tools) {
    if (byName.has(tool.name)) throw new Error(`tool ${tool.name} is registered twice`);
    byName.set(tool.name, tool);
  }
  // Computed once: the tools block is part of the cached prompt prefix and must not change per turn.
  const exported = tools.map((tool) => ({
    type: "function" as const,
    function: { name: tool.name, description: tool.description, parameters: toParameters(tool.input) },
  }));

  return {
    names: [...byName.keys()],
    get: (name) => byName.get(name),
    openAiTools: () => exported,
    run: async (name, rawArguments, ctx) => {
      const tool = byName.get(name);
      if (!tool) return failure("unknown_tool", `no tool named ${name}`);
      let args: unknown;
      try {
        args = rawArguments.trim() === "" ? {} : JSON.parse(rawArguments);
      } catch {
        return failure("invalid_arguments", "arguments are not valid JSON");
      }
      const parsed = tool.input.safeParse(args);
      if (!parsed.success) return failure("invalid_arguments", z.prettifyError(parsed.error));
      const limitMs = tool.timeoutMs ?? timeoutMs;
      try {
        const data = await withTimeout(`tool ${name}`, limitMs, tool.handler(parsed.data, ctx));
        return { ok: true, data };
      } catch (error) {
        if (error instanceof ToolError) return failure(error.code, error.message);
        if (error instanceof TimeoutError)
          return failure("timeout", `${name} took longer than ${limitMs} ms`);
        // Fail-open for the turn: the model hears the tool is unavailable and answers without it.
        ctx.log.warn("tool failed", { tool: name, error });
        return failure("unavailable", `${name} is temporarily unavailable`);
      }
    },
  };
}

function failure(code: Extract<ToolResult, { ok: false }>["error"]["code"], message: string): ToolResult {
  return { ok: false, error: { code, message } };
}

function toParameters(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: "input", target: "draft-7" }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}
