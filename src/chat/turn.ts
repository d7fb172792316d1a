// One chat turn, top to bottom. A send screens the message (Layer 1), charges the user's limits,
// claims the idempotency key, stores the question and starts the producer; the producer, detached
// from any connection, runs the agent, checks its answer (Layer 3), sends `done`, stores the answer,
// has it reviewed (Layer 4) beside the follow-up suggestions, and ends the log with `end`. Every event
// goes to the turn's Redis log, which clients only read (relay.ts), so a dropped socket never stops
// or duplicates generation.
import { type AgentEvent, runAgent } from "../agent/loop";
import { generateSuggestions } from "../agent/suggestions";
import { chatUnavailable, idempotencyKeyReused, notFound } from "../errors";
import type { TurnLimits } from "../limits";
import { auditEntriesFor, checkAssistantAnswer } from "../safety";
import { type AuditedTurn, recordSafetyAudit } from "../safety/audit-log";
import { type GuardVerdict, guardMessage } from "../safety/guard";
import { type ReviewEvent, reviewAnswer } from "../safety/review";
import { screenMessage } from "../safety/screen";
import { type Chat, profileOf } from "./chat";
import {
  claimTurn,
  completeClaim,
  failClaim,
  findClaimByKey,
  heartbeatClaim,
  replaceClaimAnswer,
  requestHash,
  type TurnClaim,
} from "./claims";
import { failureEvents, type TurnEvent } from "./events";
import { findSession, loadHistory, saveTurnMessage, sessionSystemPrompt, touchSession } from "./sessions";
import { createTurnLogWriter, type TurnLogWriter, turnLogKey } from "./turn-log";

export const HEARTBEAT_INTERVAL_MS = 5_000;

/** Who sends, and what the turn runs on: the API builds it from a request, a job from its payload. */
export interface TurnContext {
  chat: Chat;
  limits: TurnLimits;
  userId: string;
  /** The user's IANA zone: day boundaries and emergency numbers follow it. */
  timezone: string;
}

export interface SendInput {
  sessionId: string;
  message: string;
  idempotencyKey: string;
}

export interface SendResult {
  claim: TurnClaim;
  /** True when this send started (or re-started) generation; false when it joined a turn. */
  started: boolean;
}

/** What the turn does once the user's message has passed Layer 1. */
export type TurnPlan =
  /** Run the agent over the (redacted) message. */
  | { kind: "agent" }
  /** Layer 1 answered already (emergency, medical advice, injection): no model call. */
  | { kind: "canned"; reply: string };

export interface TurnRequest {
  claim: TurnClaim;
  userId: string;
  timezone: string;
  /** Post-safety text: the only version of the message that is stored or sent anywhere. */
  message: string;
  plan: TurnPlan;
}

/** The answer as `done` carries it, and the tool data it was built from (the judge's evidence). */
interface TurnOutcome {
  answer: string;
  toolResults: unknown[];
  /** False for a canned reply (Layer 1 or its model guard): nothing for the judge or suggestions. */
  review: boolean;
}

type Emit = (event: TurnEvent) => Promise<void>;

class SupersededError extends Error {
  constructor() {
    super("this attempt no longer owns the claim");
    this.name = "SupersededError";
  }
}

export async function sendMessage({
  ctx,
  input,
}: {
  ctx: TurnContext;
  input: SendInput;
}): Promise<SendResult> {
  const { chat, userId } = ctx;
  const db = chat.deps.appDb.db;
  if (!(await findSession(db, userId, input.sessionId))) throw notFound("session");

  // Layer 1 runs before anything is stored: from here on only the redacted text exists.
  const screening = screenMessage(input.message, { timezone: ctx.timezone });
  const plan: TurnPlan =
    screening.cannedReply === null ? { kind: "agent" } : { kind: "canned", reply: screening.cannedReply };
  const hash = requestHash(input.sessionId, screening.text);

  // Limits before anything is stored, charged only to a send that will start (or re-start) a model
  // turn: a replay, an attach or a reused key (the claim lookup) never counts, and neither does a
  // Layer 1 canned reply (no model call; crisis numbers must never be refused).
  const prior = await findClaimByKey(db, userId, input.idempotencyKey);
  const startsTurn = !prior || (prior.requestHash === hash && prior.status === "failed");
  const charge = startsTurn && plan.kind === "agent" ? await ctx.limits.admit(userId) : null;
  const outcome = await claimTurn(db, {
    userId,
    sessionId: input.sessionId,
    idempotencyKey: input.idempotencyKey,
    requestHash: hash,
  }).catch(async (error: unknown) => {
    await charge?.refund();
    throw error;
  });
  // A concurrent send with the same key claimed it first: this one joins that turn, uncharged.
  if (outcome.kind !== "run") await charge?.refund();
  if (outcome.kind === "conflict") throw idempotencyKeyReused();
  if (outcome.kind === "existing") return { claim: outcome.claim, started: false };

  const { claim } = outcome;
  try {
    // The turn log lives in Redis: without it nothing could be streamed, so refuse before storing
    // the question (no orphaned user message) and leave the claim re-runnable.
    await chat.deps.redis.redis.ping();
  } catch {
    await failClaim(db, claim.id, claim.attempt, "dispatch_failed");
    throw chatUnavailable();
  }
  await saveTurnMessage(db, {
    sessionId: input.sessionId,
    userId,
    turnId: claim.id,
    role: "user",
    content: screening.text,
  });
  await touchSession(db, input.sessionId, screening.text);
  await recordSafetyAudit(chat.deps, auditedTurn(claim), screening.audit);
  startTurn(chat, { claim, userId, timezone: ctx.timezone, message: screening.text, plan });
  return { claim, started: true };
}

/** Starts the producer without awaiting it; the returned promise settles when the turn has ended. */
export function startTurn(chat: Chat, request: TurnRequest): Promise<void> {
  const scope = { userId: request.userId, sessionId: request.claim.sessionId, turnId: request.claim.id };
  const running = chat.deps.tracing
    .inScope(scope, () => produceTurn(chat, request))
    .catch((error) => chat.log.error("turn producer crashed", { error, turn_id: request.claim.id }));
  chat.producers.add(running);
  running.finally(() => chat.producers.delete(running));
  return running;
}

async function produceTurn(chat: Chat, request: TurnRequest): Promise<void> {
  const { deps } = chat;
  const { claim } = request;
  const turnLog = createTurnLogWriter(deps.redis.streams, turnLogKey(claim.id, claim.attempt), claim.id);
  const log = chat.log.child({ turn_id: claim.id, attempt: claim.attempt });
  const emit: Emit = (event) => turnLog.append(event);
  deps.metrics.turnStarted();

  // The claim's heartbeat tells the reconciler this producer lives; losing the claim means a newer
  // attempt (or the reconciler) owns the turn, and this one stops.
  const superseded = new AbortController();
  const budget = AbortSignal.timeout(deps.config.HILO_TURN_BUDGET_MS);
  const heartbeat = setInterval(() => {
    heartbeatClaim(deps.appDb.db, claim.id, claim.attempt)
      .then((owned) => {
        if (!owned) superseded.abort(new SupersededError());
      })
      .catch((error) => log.warn("claim heartbeat failed", { error }));
  }, HEARTBEAT_INTERVAL_MS);

  try {
    const outcome =
      request.plan.kind === "canned"
        ? await streamCannedReply(request.plan.reply, emit)
        : await answerWithAgent(chat, request, emit, AbortSignal.any([budget, superseded.signal]));
    await emit({ event: "done", data: { answer: outcome.answer } });
    await storeAnswer(chat, claim, outcome.answer, "first");
    deps.metrics.turnFinished("done");
    // The client has its answer (`done`); the review and the suggestions come after it, each on a
    // budget of its own, and fail open: nothing after `done` may turn the turn into a failure.
    if (outcome.review) {
      await reviewAndSuggest(chat, request, outcome, emit, superseded.signal).catch((error) =>
        log.warn("post-answer steps failed", { error }),
      );
    }
    await turnLog.finish([{ event: "end", data: {} }]);
  } catch (error) {
    const cause = superseded.signal.aborted ? new SupersededError() : error;
    await failTurn(chat, claim, turnLog, cause, budget.aborted).catch((failure) =>
      log.error("could not record the turn's failure", { error: failure }),
    );
  } finally {
    clearInterval(heartbeat);
  }
}

async function streamCannedReply(reply: string, emit: Emit): Promise<TurnOutcome> {
  await emit({ event: "token", data: { text: reply } });
  return { answer: reply, toolResults: [], review: false };
}

/**
 * The agent over the session's prompt and history, beside the model guard, then Layer 3 over what
 * it wrote. The agent's events are held until the guard has answered (or its deadline passed); a
 * guard that trips stops the agent, drops what it held, and the turn ends with the canned reply.
 */
async function answerWithAgent(
  chat: Chat,
  request: TurnRequest,
  emit: Emit,
  signal: AbortSignal,
): Promise<TurnOutcome> {
  const { deps } = chat;
  const { claim } = request;
  const gate = createEventGate(emit);
  const stopAgent = new AbortController();
  const guarded = guardBeside(chat, request, signal).then(async (verdict) => {
    if (verdict.kind === "trip") {
      gate.discard();
      stopAgent.abort(new Error("the model guard caught the message"));
    } else {
      await gate.open();
    }
    if (verdict.kind !== "pass") await recordSafetyAudit(deps, auditedTurn(claim), verdict.audit);
    return verdict;
  });
  const answered = generateAnswer(chat, request, gate.emit, AbortSignal.any([signal, stopAgent.signal])).then(
    (outcome) => ({ outcome }),
    (error: unknown) => ({ error }),
  );
  // Both settle: an agent the guard stopped fails, and that failure is the guard's doing.
  const [verdict, agent] = await Promise.all([guarded, answered]);
  if (verdict.kind === "trip") return streamCannedReply(verdict.reply, emit);
  if ("error" in agent) throw agent.error;
  return agent.outcome;
}

function guardBeside(chat: Chat, request: TurnRequest, signal: AbortSignal): Promise<GuardVerdict> {
  const { config } = chat.deps;
  if (config.HILO_GUARD_DEADLINE_MS === 0) return Promise.resolve({ kind: "pass" });
  return guardMessage({
    llm: chat.llm,
    model: config.HILO_GUARD_MODEL,
    message: request.message,
    timezone: request.timezone,
    deadlineMs: config.HILO_GUARD_DEADLINE_MS,
    signal,
    log: chat.log.child({ turn_id: request.claim.id }),
  });
}

/** The agent's answer, then Layer 3 over it. */
async function generateAnswer(
  chat: Chat,
  request: TurnRequest,
  emit: Emit,
  signal: AbortSignal,
): Promise<TurnOutcome> {
  const { deps } = chat;
  const { claim } = request;
  const [systemPrompt, history, profile] = await Promise.all([
    sessionSystemPrompt(deps.appDb.db, request.userId, claim.sessionId),
    loadHistory(deps.appDb.db, claim.sessionId, claim.id),
    profileOf(chat, request.userId),
  ]);
  if (systemPrompt === null) throw new Error(`session ${claim.sessionId} has no system prompt`);
  const result = await runAgent({
    llm: chat.llm,
    model: deps.config.HILO_CHAT_MODEL,
    systemPrompt,
    history: history.map((message) => ({ role: message.role, content: message.content })),
    userMessage: request.message,
    tools: chat.tools,
    ctx: {
      userId: request.userId,
      watchId: profile?.watchId ?? null,
      timezone: request.timezone,
      sessionId: claim.sessionId,
      turnId: claim.id,
      deps,
      llm: chat.llm,
      log: chat.log.child({ turn_id: claim.id }),
      signal,
      now: () => new Date(),
    },
    emit: (event) => emit(agentEventToTurnEvent(event)),
    signal,
    deadlineMs: Date.now() + deps.config.HILO_TURN_BUDGET_MS,
  });

  // Layer 3: a regex pass over the finished text, microseconds long, so it runs before `done` and its
  // soft correction becomes part of the streamed and stored answer (the model is not re-run).
  const layer3 = checkAssistantAnswer(result.answer);
  if (layer3.verdict === "pass" || !layer3.correction) {
    return { answer: result.answer, toolResults: result.toolResults, review: true };
  }
  await emit({ event: "token", data: { text: layer3.correction } });
  await recordSafetyAudit(deps, auditedTurn(claim), auditEntriesFor(layer3));
  return { answer: result.answer + layer3.correction, toolResults: result.toolResults, review: true };
}

/**
 * Holds a turn's events until it is opened (then sends them in order, and every later one straight
 * through) or discarded (then drops them all). The agent keeps working meanwhile: tools run, text
 * streams into the hold.
 */
function createEventGate(emit: Emit) {
  let held: TurnEvent[] | null = [];
  let discarded = false;
  return {
    emit: async (event: TurnEvent): Promise<void> => {
      if (discarded) return;
      if (held) held.push(event);
      else await emit(event);
    },
    open: async (): Promise<void> => {
      // Events that arrive while the hold drains join it, so the order is kept.
      while (held && held.length > 0 && !discarded) {
        const batch = held;
        held = [];
        for (const event of batch) await emit(event);
      }
      held = null;
    },
    discard: (): void => {
      discarded = true;
      held = null;
    },
  };
}

/** Layer 4 and the follow-up suggestions, side by side after `done`. */
async function reviewAndSuggest(
  chat: Chat,
  request: TurnRequest,
  outcome: TurnOutcome,
  emit: Emit,
  signal: AbortSignal,
): Promise<void> {
  const { deps } = chat;
  const { config } = deps;
  const { claim } = request;
  await emit({ event: "eval_pending", data: {} });
  const suggested = generateSuggestions({
    llm: chat.llm,
    model: config.HILO_CHAT_MODEL,
    question: request.message,
    answer: outcome.answer,
    signal,
    log: chat.log,
  }).then((suggestions) => emit({ event: "suggestions", data: { suggestions } }));
  const reviewed = reviewAnswer({
    llm: chat.llm,
    judgeModel: config.HILO_JUDGE_MODEL,
    rewriteModel: config.HILO_CHAT_MODEL,
    question: request.message,
    answer: outcome.answer,
    toolResults: outcome.toolResults,
    judgeBudgetMs: config.HILO_JUDGE_BUDGET_MS,
    rewriteBudgetMs: config.HILO_REWRITE_BUDGET_MS,
    signal,
    log: chat.log.child({ turn_id: claim.id }),
    emit: (event) => emit(reviewEventToTurnEvent(event)),
  }).then(async (review) => {
    // The one trusted rewrite replaces the stored answer; it is not judged again (seed §5).
    if (review.replacement !== null) await storeAnswer(chat, claim, review.replacement, "rewrite");
    await recordSafetyAudit(deps, auditedTurn(claim), review.audit);
  });
  // Both settle before `end` is written: a failure of one must not let `end` overtake the other.
  const [suggestions, review] = await Promise.allSettled([suggested, reviewed]);
  for (const result of [suggestions, review]) {
    if (result.status === "rejected") throw result.reason;
  }
}

/**
 * The one writer of a turn's stored answer: the assistant message of the turn and the claim's answer
 * (what a replay serves). The first write completes the claim, which fails when a newer attempt owns
 * it; a rewrite replaces both.
 */
async function storeAnswer(
  chat: Chat,
  claim: TurnClaim,
  answer: string,
  which: "first" | "rewrite",
): Promise<void> {
  const db = chat.deps.appDb.db;
  await saveTurnMessage(db, {
    sessionId: claim.sessionId,
    userId: claim.userId,
    turnId: claim.id,
    role: "assistant",
    content: answer,
  });
  if (which === "first") {
    if (!(await completeClaim(db, claim.id, claim.attempt, answer))) throw new SupersededError();
  } else {
    await replaceClaimAnswer(db, claim.id, claim.attempt, answer);
  }
}

async function failTurn(
  chat: Chat,
  claim: TurnClaim,
  turnLog: TurnLogWriter,
  error: unknown,
  timedOut: boolean,
): Promise<void> {
  if (error instanceof SupersededError) {
    // A newer attempt (or the reconciler) owns the turn now; writing here would confuse its clients.
    chat.log.warn("turn superseded; producer stops", { turn_id: claim.id, attempt: claim.attempt });
    chat.deps.metrics.turnFinished("superseded");
    return;
  }
  if (!timedOut) chat.log.error("turn failed", { error, turn_id: claim.id });
  const owned = await failClaim(chat.deps.appDb.db, claim.id, claim.attempt, timedOut ? "timeout" : "error");
  // Not owned: the claim was settled already (done by this producer, which counted it, or taken over).
  if (!owned) return;
  chat.deps.metrics.turnFinished(timedOut ? "timeout" : "failed");
  await turnLog.finish(failureEvents(timedOut ? "timeout" : "error"));
}

function auditedTurn(claim: TurnClaim): AuditedTurn {
  return { userId: claim.userId, sessionId: claim.sessionId, turnId: claim.id };
}

function agentEventToTurnEvent(event: AgentEvent): TurnEvent {
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

function reviewEventToTurnEvent(event: ReviewEvent): TurnEvent {
  switch (event.type) {
    case "verdict": {
      const { verdict } = event;
      return {
        event: "eval_result",
        data: {
          verdict: verdict.verdict,
          violations: verdict.violations,
          ...(verdict.failedOpen ? { degraded: true } : {}),
        },
      };
    }
    case "rewrite_start":
      return { event: "correction_start", data: { violations: event.violations } };
    case "rewrite_text":
      return { event: "correction_token", data: { text: event.text } };
    case "rewrite_done":
      return { event: "correction_done", data: { answer: event.answer, replaced: event.replaced } };
  }
}

function parseArguments(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
