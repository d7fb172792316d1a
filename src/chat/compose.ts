// Wires the chat turn together for one process: Layer 1 screen, the agent with its tools, and the
// post-answer steps. The only place that knows which concrete pieces make up a turn.

import { ALL_TOOLS } from "../agent/catalog";
import type { AgentEvent } from "../agent/loop";
import { runAgent } from "../agent/loop";
import { buildSystemPrompt } from "../agent/prompt";
import { createToolRegistry, type ToolRegistry } from "../agent/registry";
import { generateSuggestions } from "../agent/suggestions";
import type { ToolContext } from "../agent/tool";
import { safetyAudit } from "../db/schema";
import type { Deps } from "../lifecycle/dependencies";
import { createLlm, type Llm } from "../llm/client";
import { recentMemories } from "../memory/prelude";
import type { Logger } from "../observability/logger";
import { auditEntriesFor, screenUserMessage } from "../safety";
import { readUserProfile, type UserProfile } from "../users/profile";
import type { TurnEvent } from "./events";
import type { TurnPlan } from "./producer";
import { type ChatServices, createChatServices, type Screening } from "./services";

export interface Chat {
  services: ChatServices;
  llm: Llm;
  tools: ToolRegistry;
  openSessionPrompt(userId: string): Promise<string>;
}

export function createChat(deps: Deps, log: Logger): Chat {
  const { config } = deps;
  const llm = createLlm(deps.model.openai, { log, maxConcurrent: config.HILO_MAX_CONCURRENT_MODEL_CALLS });
  const tools = createToolRegistry(ALL_TOOLS);

  // Fail-soft: without the user DB the assistant still answers, only without profile context.
  const profileOf = async (userId: string): Promise<UserProfile | null> =>
    readUserProfile(deps.usersDb, userId).catch((error) => {
      log.warn("user profile unavailable", { error, user_id: userId });
      return null;
    });

  const services = createChatServices(deps, log, {
    screen: (text, { timezone }): Screening => {
      const result = screenUserMessage(text, { timezone });
      const plan: TurnPlan =
        result.verdict === "pass" || !result.reply
          ? { kind: "agent" }
          : { kind: "canned", reply: result.reply };
      return { text: result.redacted, plan, verdict: result.verdict, audit: auditEntriesFor(result) };
    },

    recordScreening: async ({ claim, userId, screening }) => {
      if (screening.audit.length === 0) return;
      await deps.appDb.db
        .insert(safetyAudit)
        .values(
          screening.audit.map((row) => ({ ...row, userId, sessionId: claim.sessionId, turnId: claim.id })),
        );
    },

    runAgent: async ({ request, systemPrompt, history, emit, signal }) => {
      const profile = await profileOf(request.userId);
      const ctx: ToolContext = {
        userId: request.userId,
        watchId: profile?.watchId ?? null,
        timezone: request.timezone,
        sessionId: request.claim.sessionId,
        turnId: request.claim.id,
        deps,
        log: log.child({ turn_id: request.claim.id }),
        signal,
        now: () => new Date(),
      };
      const result = await runAgent({
        llm,
        model: config.HILO_CHAT_MODEL,
        systemPrompt,
        history: history.map((message) => ({ role: message.role, content: message.content })),
        userMessage: request.message,
        tools,
        ctx,
        emit: (event) => emit(toTurnEvent(event)),
        signal,
        deadlineMs: Date.now() + config.HILO_TURN_BUDGET_MS,
      });
      return { answer: result.answer, toolResults: result.toolResults };
    },

    afterDone: async ({ request, outcome, emit, signal }) => {
      const suggestions = await generateSuggestions({
        llm,
        model: config.HILO_CHAT_MODEL,
        question: request.message,
        answer: outcome.answer,
        signal,
        log,
      });
      await emit({ event: "suggestions", data: { suggestions } });
    },
  });

  return {
    services,
    llm,
    tools,
    openSessionPrompt: async (userId) => {
      const [profile, memories] = await Promise.all([
        profileOf(userId),
        recentMemories(deps.appDb.db, userId),
      ]);
      return buildSystemPrompt({ profile, memories });
    },
  };
}

function toTurnEvent(event: AgentEvent): TurnEvent {
  switch (event.type) {
    case "token":
      return { event: "token", data: { text: event.text } };
    case "tool_call":
      return {
        event: "tool_call",
        data: { call_id: event.id, name: event.name, arguments: parseArguments(event.arguments) },
      };
    case "tool_result":
      return {
        event: "tool_result",
        data: { call_id: event.id, name: event.name, ok: event.ok, result: event.result },
      };
  }
}

function parseArguments(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
