// The agent loop of one chat turn: stream a completion, emit its text as it arrives, run every tool call
// of a round in parallel, feed the results back, and repeat until a reply has no tool calls. There is no
// round cap: the caller's signal (the turn's wall-clock budget) is the only bound.
import type {
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import type { Llm } from "../llm/client";
import type { ToolRegistry } from "./registry";
import type { ToolContext, ToolResult } from "./tool";

/** A prior message of the session; tool traffic of earlier turns is not replayed. */
export interface ChatHistoryMessage {
  role: "user" | "assistant";
  content: string;
}

export type AgentEvent =
  | { type: "token"; text: string }
  | { type: "tool_call"; id: string; name: string; arguments: string }
  /** `result` is the tool's data when ok, else its `{ code, message }` error. */
  | { type: "tool_result"; id: string; name: string; ok: boolean; result: unknown };

export type EmitAgentEvent = (event: AgentEvent) => void | Promise<void>;

/** One tool call of the turn with what it returned: the evidence the safety judge checks the answer against. */
export interface AgentToolResult {
  id: string;
  name: string;
  /** The arguments exactly as the model sent them (JSON text). */
  arguments: string;
  result: ToolResult;
}

export interface RunAgentInput {
  llm: Llm;
  model: string;
  /** Byte-identical on every turn of a session (provider prompt caching). */
  systemPrompt: string;
  history: readonly ChatHistoryMessage[];
  userMessage: string;
  tools: ToolRegistry;
  ctx: ToolContext;
  /** Awaited for every event, one at a time and in order, so a slow consumer slows the turn down. */
  emit: EmitAgentEvent;
  /** The turn's budget. Aborting it ends the turn promptly with TurnAbortedError. */
  signal: AbortSignal;
  /** Epoch ms when the budget runs out, so model retries are not started past it. */
  deadlineMs?: number;
}

export interface RunAgentResult {
  /** Everything streamed as `token` events, so a replay equals what a live client saw. */
  answer: string;
  /** Model calls made (tool rounds + the final answer). */
  rounds: number;
  toolResults: AgentToolResult[];
}

/**
 * The turn's signal aborted (budget exhausted, shutdown). Whatever was in flight at that moment (model
 * stream, tool calls, an emit) is abandoned; `cause` is the signal's reason. Every abort surfaces as
 * this error, never as a raw AbortError, so the caller can tell "stopped" from "failed".
 */
export class TurnAbortedError extends Error {
  constructor(reason: unknown) {
    super("the turn was aborted", { cause: reason });
    this.name = "TurnAbortedError";
  }
}

// Between the text of two rounds ("Let me check." … "Your average is …") so they do not run together.
const ROUND_TEXT_SEPARATOR = "\n\n";

interface AssembledToolCall {
  id: string;
  name: string;
  arguments: string;
}

export async function runAgent(input: RunAgentInput): Promise<RunAgentResult> {
  const { signal } = input;
  const emit = serializeEmits(input.emit, signal);
  const toolCtx = input.ctx.signal === signal ? input.ctx : withSignal(input.ctx, signal);
  const tools = input.tools.openAiTools();
  const messages: ChatCompletionMessageParam[] = [
    { role: "system", content: input.systemPrompt },
    ...input.history.map((message) => ({ role: message.role, content: message.content })),
    { role: "user", content: input.userMessage },
  ];
  let answer = "";
  let rounds = 0;
  const toolResults: AgentToolResult[] = [];

  try {
    while (true) {
      signal.throwIfAborted();
      rounds += 1;
      const reply = await streamRound(input, [...messages], tools, answer, emit, rounds);
      answer += reply.text;
      if (reply.toolCalls.length === 0) return { answer, rounds, toolResults };

      messages.push({
        role: "assistant",
        content: reply.text === "" ? null : reply.text,
        tool_calls: reply.toolCalls.map(
          (call): ChatCompletionMessageFunctionToolCall => ({
            id: call.id,
            type: "function",
            function: { name: call.name, arguments: call.arguments },
          }),
        ),
      });
      const outcomes = await untilAborted(runToolRound(reply.toolCalls, input.tools, toolCtx, emit), signal);
      // Tool messages go back in call order (not completion order), so the conversation is deterministic.
      for (const { call, result } of outcomes) {
        messages.push({ role: "tool", tool_call_id: call.id, content: JSON.stringify(result) });
        toolResults.push({ id: call.id, name: call.name, arguments: call.arguments, result });
      }
    }
  } catch (error) {
    if (signal.aborted) throw new TurnAbortedError(signal.reason);
    throw error;
  }
}

async function streamRound(
  input: RunAgentInput,
  messages: ChatCompletionMessageParam[],
  tools: ReturnType<ToolRegistry["openAiTools"]>,
  answerSoFar: string,
  emit: EmitAgentEvent,
  round: number,
): Promise<{ text: string; toolCalls: AssembledToolCall[] }> {
  const stream = input.llm.streamChat(
    { model: input.model, messages, ...(tools.length > 0 ? { tools } : {}) },
    {
      signal: input.signal,
      deadlineMs: input.deadlineMs,
      trace: { name: "agent_round", metadata: { round: String(round) } },
    },
  );
  let text = "";
  const calls = new Map<number, AssembledToolCall>();
  for await (const chunk of stream) {
    const delta = chunk.choices[0]?.delta;
    if (delta === undefined) continue;
    // A refusal is the model's answer to the user too; it streams the same way.
    let piece = (delta.content ?? "") + (delta.refusal ?? "");
    if (piece !== "") {
      if (text === "" && answerSoFar !== "" && !/\s$/.test(answerSoFar)) piece = ROUND_TEXT_SEPARATOR + piece;
      text += piece;
      await emit({ type: "token", text: piece });
    }
    for (const part of delta.tool_calls ?? []) {
      const call = calls.get(part.index) ?? { id: "", name: "", arguments: "" };
      if (part.id) call.id = part.id;
      if (part.function?.name) call.name += part.function.name;
      if (part.function?.arguments) call.arguments += part.function.arguments;
      calls.set(part.index, call);
    }
  }
  const toolCalls = [...calls.entries()]
    .sort(([a], [b]) => a - b)
    // An OpenAI-compatible server may omit ids; the tool message must still answer a unique one.
    .map(([index, call]) => (call.id === "" ? { ...call, id: `call_r${round}_${index}` } : call));
  return { text, toolCalls };
}

async function runToolRound(
  calls: readonly AssembledToolCall[],
  registry: ToolRegistry,
  ctx: ToolContext,
  emit: EmitAgentEvent,
): Promise<{ call: AssembledToolCall; result: ToolResult }[]> {
  // Queued before any tool can finish, so every tool_call precedes its tool_result on the stream.
  const announced = Promise.all(
    calls.map((call) => emit({ type: "tool_call", id: call.id, name: call.name, arguments: call.arguments })),
  );
  const finished = Promise.all(
    calls.map(async (call) => {
      // Never throws: a failing tool becomes ok:false and the model answers without it.
      const result = await registry.run(call.name, call.arguments, ctx);
      await emit({
        type: "tool_result",
        id: call.id,
        name: call.name,
        ok: result.ok,
        result: result.ok ? result.data : result.error,
      });
      return { call, result };
    }),
  );
  const [, outcomes] = await Promise.all([announced, finished]);
  return outcomes;
}

/**
 * Calls `emit` one event at a time in call order, even when tool results finish together. An abort
 * stops waiting on a stuck consumer.
 */
function serializeEmits(emit: EmitAgentEvent, signal: AbortSignal): EmitAgentEvent {
  let tail: Promise<void> = Promise.resolve();
  return (event) => {
    const delivered = tail.then(() => emit(event));
    // The chain only orders calls; each caller still receives its own failure through `delivered`.
    tail = delivered.catch(() => undefined);
    return untilAborted(delivered, signal);
  };
}

/** Settles like `work`, or rejects with the signal's reason as soon as it aborts (work keeps running). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

function withSignal(ctx: ToolContext, turnSignal: AbortSignal): ToolContext {
  return {
    userId: ctx.userId,
    watchId: ctx.watchId,
    timezone: ctx.timezone,
    sessionId: ctx.sessionId,
    turnId: ctx.turnId,
    deps: ctx.deps,
    llm: ctx.llm,
    log: ctx.log,
    // Tool handlers stop on either: the context's own signal or the turn's budget.
    signal: AbortSignal.any([ctx.signal, turnSignal]),
    now: () => ctx.now(),
  };
}
