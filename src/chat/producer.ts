// The detached producer of one turn attempt. It runs independently of any HTTP connection: it
// writes every event to the turn's log, persists the answer, and keeps its claim alive. Clients
// only ever read the log, so a dropped socket never stops or duplicates generation.
import type { TurnClaim } from "./claims";
import { completeClaim, failClaim, heartbeatClaim } from "./claims";
import type { TurnEvent } from "./events";
import type { AgentOutcome, ChatServices } from "./services";
import { loadHistory, saveTurnMessage, sessionSystemPrompt } from "./sessions";
import { createTurnLogWriter, turnLogKey } from "./turn-log";

export const HEARTBEAT_INTERVAL_MS = 5_000;

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

class SupersededError extends Error {
  constructor() {
    super("this attempt no longer owns the claim");
    this.name = "SupersededError";
  }
}

/** Starts the producer without awaiting it; the returned promise settles when the turn has ended. */
export function startTurn(services: ChatServices, request: TurnRequest): Promise<void> {
  const scope = { userId: request.userId, sessionId: request.claim.sessionId, turnId: request.claim.id };
  const running = services.deps.tracing
    .inScope(scope, () => produceTurn(services, request))
    .catch((error) => services.log.error("turn producer crashed", { error, turn_id: request.claim.id }));
  services.producers.add(running);
  running.finally(() => services.producers.delete(running));
  return running;
}

async function produceTurn(services: ChatServices, request: TurnRequest): Promise<void> {
  const { deps, log } = services;
  const db = deps.appDb.db;
  const { claim } = request;
  const turnLog = createTurnLogWriter(deps.redis.streams, turnLogKey(claim.id, claim.attempt), claim.id);
  const turnLogger = log.child({ turn_id: claim.id, attempt: claim.attempt });

  const superseded = new AbortController();
  const budget = AbortSignal.timeout(services.turnBudgetMs);
  const signal = AbortSignal.any([budget, superseded.signal]);
  const heartbeat = setInterval(() => {
    heartbeatClaim(db, claim.id, claim.attempt)
      .then((owned) => {
        if (!owned) superseded.abort(new SupersededError());
      })
      .catch((error) => turnLogger.warn("claim heartbeat failed", { error }));
  }, HEARTBEAT_INTERVAL_MS);

  try {
    const emit = (event: TurnEvent) => turnLog.append(event);
    const outcome =
      request.plan.kind === "canned"
        ? await streamCannedReply(request.plan.reply, emit)
        : await runAgentTurn(services, request, emit, signal);
    const { answer } = outcome;
    await turnLog.append({ event: "done", data: { answer } });
    await saveTurnMessage(db, {
      sessionId: claim.sessionId,
      userId: request.userId,
      turnId: claim.id,
      role: "assistant",
      content: answer,
    });
    if (!(await completeClaim(db, claim.id, claim.attempt, answer))) throw new SupersededError();
    // The client already has its answer (`done`); suggestions and the judge run after it.
    if (request.plan.kind === "agent") {
      // Fail-open: the answer is stored and delivered; nothing after it may turn the turn into a failure.
      await services
        .afterDone({ request, outcome, emit, signal: budget })
        .catch((error) => turnLogger.warn("post-answer steps failed", { error }));
    }
    await turnLog.finish([{ event: "end", data: {} }]);
  } catch (error) {
    const cause = superseded.signal.aborted ? new SupersededError() : error;
    await failTurn(services, request, turnLog, cause, budget.aborted).catch((failure) =>
      turnLogger.error("could not record the turn's failure", { error: failure }),
    );
  } finally {
    clearInterval(heartbeat);
  }
}

async function runAgentTurn(
  services: ChatServices,
  request: TurnRequest,
  emit: (event: TurnEvent) => Promise<void>,
  signal: AbortSignal,
): Promise<AgentOutcome> {
  const db = services.deps.appDb.db;
  const { claim } = request;
  const [systemPrompt, history] = await Promise.all([
    sessionSystemPrompt(db, request.userId, claim.sessionId),
    loadHistory(db, claim.sessionId, claim.id),
  ]);
  if (systemPrompt === null) throw new Error(`session ${claim.sessionId} has no system prompt`);
  return services.runAgent({ request, systemPrompt, history, emit, signal });
}

async function streamCannedReply(
  reply: string,
  emit: (event: TurnEvent) => Promise<void>,
): Promise<AgentOutcome> {
  await emit({ event: "token", data: { text: reply } });
  return { answer: reply, toolResults: [] };
}

async function failTurn(
  services: ChatServices,
  request: TurnRequest,
  turnLog: ReturnType<typeof createTurnLogWriter>,
  error: unknown,
  timedOut: boolean,
): Promise<void> {
  const { claim } = request;
  if (error instanceof SupersededError) {
    // A newer attempt (or the reconciler) owns the turn now; writing here would confuse its clients.
    services.log.warn("turn superseded; producer stops", { turn_id: claim.id, attempt: claim.attempt });
    return;
  }
  const reason = timedOut ? "timeout" : "error";
  if (!timedOut) services.log.error("turn failed", { error, turn_id: claim.id });
  const owned = await failClaim(services.deps.appDb.db, claim.id, claim.attempt, reason);
  if (!owned) return;
  const terminal: TurnEvent = timedOut
    ? { event: "timeout", data: { message: "The answer took too long. Please try again." } }
    : {
        event: "error",
        data: { code: "turn_failed", message: "Something went wrong. Please try again.", retryable: true },
      };
  await turnLog.finish([terminal, { event: "end", data: {} }]);
}
