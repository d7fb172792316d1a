// Parses a /v1/chat/completions body into the few facts the stand-in decides on. Validation is deliberately
// minimal (only what OpenAI would reject and we rely on); everything else passes through untouched.
import { isRecord, type JsonObject } from "./http";

export interface ChatTool {
  name: string;
  parameters: unknown;
}

export interface ParsedMessage {
  role: string;
  text: string;
  toolCallId: string | undefined;
  toolCalls: { id: string; name: string }[];
}

export type ResponseFormat =
  | { type: "json_schema"; name: string; schema: unknown }
  | { type: "json_object" }
  | { type: "text" };

export interface ChatRequest {
  model: string;
  messages: ParsedMessage[];
  stream: boolean;
  includeUsage: boolean;
  tools: ChatTool[];
  responseFormat: ResponseFormat;
  lastUserMessage: string;
  body: JsonObject;
}

export const DEFAULT_CHAT_MODEL = "gpt-4o-mini";

// Content may be a plain string or an array of parts; only text parts matter for matching and answers.
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => (isRecord(part) && typeof part.text === "string" ? part.text : ""))
    .filter((text) => text !== "")
    .join("\n");
}

function parseMessage(raw: unknown, index: number): ParsedMessage | string {
  if (!isRecord(raw)) return `Invalid type for 'messages[${index}]': expected an object.`;
  if (typeof raw.role !== "string") return `Missing required parameter: 'messages[${index}].role'.`;
  const toolCalls: { id: string; name: string }[] = [];
  if (Array.isArray(raw.tool_calls)) {
    for (const call of raw.tool_calls) {
      if (!isRecord(call)) continue;
      const fn = isRecord(call.function) ? call.function : {};
      toolCalls.push({
        id: typeof call.id === "string" ? call.id : "",
        name: typeof fn.name === "string" ? fn.name : "",
      });
    }
  }
  return {
    role: raw.role,
    text: contentText(raw.content),
    toolCallId: typeof raw.tool_call_id === "string" ? raw.tool_call_id : undefined,
    toolCalls,
  };
}

function parseTools(raw: unknown): ChatTool[] {
  if (!Array.isArray(raw)) return [];
  const tools: ChatTool[] = [];
  for (const tool of raw) {
    if (!isRecord(tool) || !isRecord(tool.function)) continue;
    const fn = tool.function;
    if (typeof fn.name === "string") tools.push({ name: fn.name, parameters: fn.parameters });
  }
  return tools;
}

function parseResponseFormat(raw: unknown): ResponseFormat {
  if (!isRecord(raw)) return { type: "text" };
  if (raw.type === "json_object") return { type: "json_object" };
  if (raw.type === "json_schema" && isRecord(raw.json_schema)) {
    const spec = raw.json_schema;
    return {
      type: "json_schema",
      name: typeof spec.name === "string" ? spec.name : "response",
      schema: spec.schema ?? {},
    };
  }
  return { type: "text" };
}

export function parseChatRequest(body: unknown): ChatRequest | { error: string; param: string | null } {
  if (!isRecord(body)) return { error: "The request body must be a JSON object.", param: null };
  if (!Array.isArray(body.messages)) {
    return { error: "Missing required parameter: 'messages'.", param: "messages" };
  }
  if (body.messages.length === 0) {
    return {
      error: "Invalid 'messages': empty array. Expected an array with minimum length 1.",
      param: "messages",
    };
  }
  const messages: ParsedMessage[] = [];
  for (const [index, raw] of body.messages.entries()) {
    const parsed = parseMessage(raw, index);
    if (typeof parsed === "string") return { error: parsed, param: `messages[${index}]` };
    messages.push(parsed);
  }
  const streamOptions = isRecord(body.stream_options) ? body.stream_options : {};
  const lastUser = [...messages].reverse().find((m) => m.role === "user");
  return {
    model: typeof body.model === "string" && body.model !== "" ? body.model : DEFAULT_CHAT_MODEL,
    messages,
    stream: body.stream === true,
    includeUsage: body.stream === true && streamOptions.include_usage === true,
    tools: parseTools(body.tools),
    responseFormat: parseResponseFormat(body.response_format),
    lastUserMessage: lastUser?.text ?? "",
    body,
  };
}

export interface ToolResult {
  name: string;
  content: string;
}

// Tool results that answer the current user message: the follow-up round of a tool-calling turn.
export function toolResultsForCurrentTurn(messages: readonly ParsedMessage[]): ToolResult[] {
  let lastUserIndex = -1;
  messages.forEach((m, i) => {
    if (m.role === "user") lastUserIndex = i;
  });
  const names = new Map<string, string>();
  const results: ToolResult[] = [];
  for (const message of messages.slice(lastUserIndex + 1)) {
    for (const call of message.toolCalls) names.set(call.id, call.name);
    if (message.role === "tool") {
      const name = (message.toolCallId === undefined ? undefined : names.get(message.toolCallId)) ?? "tool";
      results.push({ name, content: message.text });
    }
  }
  return results;
}
