// POST /v1/chat/completions: a matching test script wins; otherwise the deterministic offline behaviour
// answers. Both paths produce one AssistantTurn that is rendered as a stream or a single completion.
import type { AssistantTurn, RenderContext } from "./chat-render";
import { completionBody, streamChunks, streamResponse } from "./chat-render";
import { type ChatRequest, parseChatRequest } from "./chat-request";
import type { StandinContext } from "./context";
import { clientGone, scriptedError } from "./errors";
import { estimateTokens, jsonResponse, openAIError, readJson, sleep, waitForAbort } from "./http";
import { offlineTurn } from "./offline";
import type { ChatReply } from "./scripts";

function promptTokens(req: ChatRequest): number {
  return req.messages.reduce((n, m) => n + estimateTokens(m.text) + 4, 0);
}

function scriptedTurn(reply: ChatReply, ctx: StandinContext): AssistantTurn | undefined {
  if ("tool_calls" in reply) {
    return {
      content: reply.content ?? null,
      toolCalls: reply.tool_calls.map((call) => ({
        id: ctx.ids.next("call_standin"),
        name: call.name,
        arguments: typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments),
      })),
    };
  }
  if ("content" in reply) return { content: reply.content, toolCalls: [] };
  return undefined;
}

function unscriptedTurn(req: ChatRequest, ctx: StandinContext): AssistantTurn {
  const turn = offlineTurn(req);
  if (turn.kind === "text") return { content: turn.content, toolCalls: [] };
  return {
    content: null,
    toolCalls: turn.calls.map((call) => ({
      id: ctx.ids.next("call_standin"),
      name: call.name,
      arguments: JSON.stringify(call.arguments),
    })),
  };
}

export async function handleChatCompletions(httpReq: Request, ctx: StandinContext): Promise<Response> {
  const json = await readJson(httpReq);
  if (!json.ok) return openAIError(400, "We could not parse the JSON body of your request.");
  const parsed = parseChatRequest(json.value);
  if ("error" in parsed) return openAIError(400, parsed.error, { param: parsed.param });
  const req = parsed;

  ctx.recorder.record({
    endpoint: "chat",
    model: req.model,
    lastUserMessage: req.lastUserMessage,
    tools: req.tools.map((t) => t.name),
    stream: req.stream,
    body: req.body,
  });

  const format = req.responseFormat.type === "text" ? "chat" : "json";
  const scripted = ctx.scripts.takeChat(req.lastUserMessage, format, req.model);
  if (scripted !== undefined) ctx.recorder.recordMatch(scripted.match);
  const reply = scripted?.reply;
  const signal = AbortSignal.any([httpReq.signal, ctx.shutdown]);

  if (reply?.delayMs !== undefined && !(await sleep(reply.delayMs, signal))) return clientGone();
  if (reply !== undefined && "hang" in reply) {
    // Holds the connection open without a byte, like a stuck upstream; only the client's abort ends it.
    await waitForAbort(signal);
    return clientGone();
  }
  if (reply !== undefined && "error" in reply) return scriptedError(reply.error);

  const turn = (reply === undefined ? undefined : scriptedTurn(reply, ctx)) ?? unscriptedTurn(req, ctx);
  const render: RenderContext = {
    id: ctx.ids.next("chatcmpl-standin"),
    model: req.model,
    created: Math.floor(Date.now() / 1000),
    promptTokens: promptTokens(req),
  };
  if (!req.stream) return jsonResponse(completionBody(turn, render));
  const tokenDelayMs = reply !== undefined && "tokenDelayMs" in reply ? reply.tokenDelayMs : undefined;
  return streamResponse(
    streamChunks(turn, render, req.includeUsage),
    tokenDelayMs ?? ctx.tokenDelayMs,
    ctx.shutdown,
  );
}
