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
import { createMemoryPoolCache, type MemoryPoolCache } from "../memory/cache";
import { recentMemories } from "../memory/prelude";
import type { Logger } from "../observability/logger";
import { auditEntriesFor, checkAssistantAnswer, screenUserMessage } from "../safety";
import { judgeAnswer, rewriteAnswer } from "../safety/judge";
import { readUserProfile, type UserProfile } from "../users/profile";
import { replaceClaimAnswer, type TurnClaim } from "./claims";
import type { TurnEvent } from "./events";
import type { TurnPlan } from "./producer";
import { type ChatServices, createChatServices, type Screening } from "./services";
import { saveTurnMessage } from "./sessions";

type AuditRow = Screening["audit"][number];

export interface Chat {
  services: ChatServices;
  llm: Llm;
  tools: ToolRegistry;
  /** This process's memory recall pools, shared by the memory tools and the memory routes. */
  memoryCache: MemoryPoolCache;
  openSessionPrompt(userId: string): Promise<string>;
}

export function createChat(deps: Deps, log: Logger): Chat {
  const { config } = deps;
  const llm = createLlm(deps.model.openai, {
    log,
    maxConcurrent: config.HILO_MAX_CONCURRENT_MODEL_CALLS,
    maxCallsPerMinute: config.HILO_MODEL_CALLS_PER_MINUTE,
    tracing: deps.tracing,
  });
  const tools = createToolRegistry(ALL_TOOLS);
  const memoryCache = createMemoryPoolCache();

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
        llm,
        memoryCache,
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
      // Layer 3: a regex pass over the finished text, microseconds long, so it runs before `done` and
      // its soft correction becomes part of the streamed and stored answer (the model is not re-run).
      const layer3 = checkAssistantAnswer(result.answer);
      if (layer3.verdict === "pass" || !layer3.correction)
        return { answer: result.answer, toolResults: result.toolResults };
      await emit({ event: "token", data: { text: layer3.correction } });
      await recordAudit(request.claim, request.userId, auditEntriesFor(layer3));
      return { answer: result.answer + layer3.correction, toolResults: result.toolResults };
    },

    afterDone: async ({ request, outcome, emit, signal }) => {
      const { claim, userId } = request;
      await emit({ event: "eval_pending", data: {} });
      // Layer 4 and the suggestions run side by side; neither can fail the turn (both fail open).
      const suggestionsDone = generateSuggestions({
        llm,
        model: config.HILO_CHAT_MODEL,
        question: request.message,
        answer: outcome.answer,
        signal,
        log,
      }).then((suggestions) => emit({ event: "suggestions", data: { suggestions } }));
      const judged = async () => {
        const judgeInput = {
          llm,
          model: config.HILO_JUDGE_MODEL,
          question: request.message,
          answer: outcome.answer,
          toolResults: outcome.toolResults,
          signal,
          log,
        };
        const verdict = await judgeAnswer(judgeInput);
        await emit({
          event: "eval_result",
          data: {
            verdict: verdict.verdict,
            violations: verdict.violations,
            ...(verdict.failedOpen ? { degraded: true } : {}),
          },
        });
        if (verdict.verdict === "approved") {
          await recordAudit(claim, userId, [
            { layer: 4, category: "approved", action: verdict.failedOpen ? "judge_failed_open" : "approved" },
          ]);
          return;
        }
        await emit({ event: "correction_start", data: { violations: verdict.violations } });
        // The rewrite is written by the chat model, as the agent's own voice; only the verdict is the judge's.
        const rewrite = await rewriteAnswer({
          ...judgeInput,
          model: config.HILO_CHAT_MODEL,
          verdict,
          onText: (text) => emit({ event: "correction_token", data: { text } }),
        }).catch((error: unknown) => {
          log.warn("rewrite failed; the original answer stands", { error, turn_id: claim.id });
          return null;
        });
        const answer = rewrite?.trim() ? rewrite : outcome.answer;
        await emit({ event: "correction_done", data: { answer, replaced: answer !== outcome.answer } });
        if (answer === outcome.answer) return;
        // The one trusted rewrite replaces the stored answer; it is not judged again (seed §5).
        await saveTurnMessage(deps.appDb.db, {
          sessionId: claim.sessionId,
          userId,
          turnId: claim.id,
          role: "assistant",
          content: answer,
        });
        await replaceClaimAnswer(deps.appDb.db, claim.id, claim.attempt, answer);
        await recordAudit(
          claim,
          userId,
          verdict.violations.map((rule) => ({ layer: 4, category: rule, action: "rewritten" })),
        );
      };
      await Promise.all([suggestionsDone, judged()]);
    },
  });

  async function recordAudit(claim: TurnClaim, userId: string, rows: readonly AuditRow[]): Promise<void> {
    if (rows.length === 0) return;
    await deps.appDb.db
      .insert(safetyAudit)
      .values(rows.map((row) => ({ ...row, userId, sessionId: claim.sessionId, turnId: claim.id })));
  }

  return {
    services,
    llm,
    tools,
    memoryCache,
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
