// Renders an assistant turn in OpenAI's wire format: a `chat.completion` object, or the SSE sequence of
// `chat.completion.chunk`s (role delta, content deltas, tool-call deltas keyed by index, finish chunk,
// optional usage chunk, `[DONE]`). The openai SDK's stream accumulator validates this sequence strictly.
import { estimateTokens, sleep, sseHeaders } from "./http";

export interface RenderedToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface AssistantTurn {
  content: string | null;
  toolCalls: RenderedToolCall[];
}

export interface RenderContext {
  id: string;
  model: string;
  created: number;
  promptTokens: number;
}

const SYSTEM_FINGERPRINT = "fp_standin";
// Real argument deltas arrive in small fragments; clients must concatenate them before parsing.
const ARGUMENT_FRAGMENT_CHARS = 12;

// Splits at every whitespace→word boundary so each token carries its trailing space and joining the
// tokens restores the text byte-for-byte.
export function splitTokens(text: string): string[] {
  return text.split(/(?<=\s)(?=\S)/u).filter((token) => token !== "");
}

function splitFragments(text: string): string[] {
  const fragments: string[] = [];
  for (let i = 0; i < text.length; i += ARGUMENT_FRAGMENT_CHARS) {
    fragments.push(text.slice(i, i + ARGUMENT_FRAGMENT_CHARS));
  }
  return fragments;
}

function usage(turn: AssistantTurn, ctx: RenderContext) {
  const completion =
    estimateTokens(turn.content ?? "") +
    turn.toolCalls.reduce((n, c) => n + estimateTokens(c.arguments) + 5, 0);
  return {
    prompt_tokens: ctx.promptTokens,
    completion_tokens: completion,
    total_tokens: ctx.promptTokens + completion,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function finishReason(turn: AssistantTurn): "stop" | "tool_calls" {
  return turn.toolCalls.length > 0 ? "tool_calls" : "stop";
}

export function completionBody(turn: AssistantTurn, ctx: RenderContext): Record<string, unknown> {
  const message: Record<string, unknown> = {
    role: "assistant",
    content: turn.content,
    refusal: null,
    annotations: [],
  };
  if (turn.toolCalls.length > 0) {
    message.tool_calls = turn.toolCalls.map((call) => ({
      id: call.id,
      type: "function",
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  return {
    id: ctx.id,
    object: "chat.completion",
    created: ctx.created,
    model: ctx.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason(turn) }],
    usage: usage(turn, ctx),
    service_tier: "default",
    system_fingerprint: SYSTEM_FINGERPRINT,
  };
}

export function streamChunks(
  turn: AssistantTurn,
  ctx: RenderContext,
  includeUsage: boolean,
): Record<string, unknown>[] {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null): Record<string, unknown> => ({
    id: ctx.id,
    object: "chat.completion.chunk",
    created: ctx.created,
    model: ctx.model,
    service_tier: "default",
    system_fingerprint: SYSTEM_FINGERPRINT,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    // With include_usage OpenAI puts `usage: null` on every chunk and the totals on an extra final chunk.
    ...(includeUsage ? { usage: null } : {}),
  });

  const chunks: Record<string, unknown>[] = [];
  chunks.push(chunk({ role: "assistant", content: turn.content === null ? null : "", refusal: null }));
  for (const token of splitTokens(turn.content ?? "")) chunks.push(chunk({ content: token }));
  turn.toolCalls.forEach((call, index) => {
    chunks.push(
      chunk({
        tool_calls: [{ index, id: call.id, type: "function", function: { name: call.name, arguments: "" } }],
      }),
    );
    for (const fragment of splitFragments(call.arguments)) {
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: fragment } }] }));
    }
  });
  chunks.push(chunk({}, finishReason(turn)));
  if (includeUsage) {
    chunks.push({
      id: ctx.id,
      object: "chat.completion.chunk",
      created: ctx.created,
      model: ctx.model,
      service_tier: "default",
      system_fingerprint: SYSTEM_FINGERPRINT,
      choices: [],
      usage: usage(turn, ctx),
    });
  }
  return chunks;
}

export function streamResponse(
  chunks: readonly Record<string, unknown>[],
  tokenDelayMs: number,
  shutdown: AbortSignal,
): Response {
  const encoder = new TextEncoder();
  const frames = [...chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`), "data: [DONE]\n\n"];
  const cancelled = new AbortController();
  const signal = AbortSignal.any([cancelled.signal, shutdown]);
  let next = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const frame = frames[next];
      if (frame === undefined) {
        controller.close();
        return;
      }
      // The first frame goes out at once (like a real first byte); the pacing is between tokens.
      if (next > 0 && !(await sleep(tokenDelayMs, signal))) {
        if (!cancelled.signal.aborted) controller.close();
        return;
      }
      next += 1;
      controller.enqueue(encoder.encode(frame));
    },
    cancel() {
      cancelled.abort();
    },
  });
  return new Response(body, { status: 200, headers: sseHeaders() });
}
