// Sending a message: Layer 1 screen, turn limits, claim, dispatch. The verb behind
// POST /sessions/:id/messages, free of HTTP so tests and jobs can call it too.

import type { ClientContext } from "../http/client-context";
import { ApiError, chatUnavailable, notFound } from "../http/errors";
import type { TurnLimits } from "../limits";
import { claimTurn, failClaim, findClaimByKey, requestHash, type TurnClaim } from "./claims";
import { startTurn } from "./producer";
import type { ChatServices } from "./services";
import { findSession, saveTurnMessage, touchSession } from "./sessions";

export interface SendInput {
  client: ClientContext;
  sessionId: string;
  message: string;
  idempotencyKey: string;
}

export interface SendResult {
  claim: TurnClaim;
  /** True when this request started (or re-started) generation; false when it joined a turn. */
  started: boolean;
}

export async function sendMessage(
  services: ChatServices,
  limits: TurnLimits,
  input: SendInput,
): Promise<SendResult> {
  const db = services.deps.appDb.db;
  const { userId, timezone } = input.client;
  if (!(await findSession(db, userId, input.sessionId))) throw notFound("session");

  // Layer 1 runs before anything is stored: from here on only the redacted text exists.
  const screened = services.screen(input.message, { timezone });
  const hash = requestHash(input.sessionId, screened.text);

  // Limits before anything is stored, charged only to a send that will start (or re-start) a model
  // turn: a replay, an attach or a reused key (the claim lookup) never counts, and neither does a
  // Layer 1 canned reply (no model call; crisis numbers must never be refused).
  const prior = await findClaimByKey(db, userId, input.idempotencyKey);
  const startsTurn = !prior || (prior.requestHash === hash && prior.status === "failed");
  const charge = startsTurn && screened.plan.kind === "agent" ? await limits.admit(userId) : null;
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
  if (outcome.kind === "conflict") {
    throw new ApiError(
      422,
      "idempotency_key_reused",
      "this Idempotency-Key was already used for a different message",
    );
  }
  if (outcome.kind === "existing") return { claim: outcome.claim, started: false };

  const { claim } = outcome;
  try {
    // The turn log lives in Redis: without it nothing could be streamed, so refuse before storing
    // the question (no orphaned user message) and leave the claim re-runnable.
    await services.deps.redis.redis.ping();
  } catch {
    await failClaim(db, claim.id, claim.attempt, "dispatch_failed");
    throw chatUnavailable();
  }
  await saveTurnMessage(db, {
    sessionId: input.sessionId,
    userId,
    turnId: claim.id,
    role: "user",
    content: screened.text,
  });
  await touchSession(db, input.sessionId, screened.text);
  await services.recordScreening({ claim, userId, screening: screened });
  startTurn(services, { claim, userId, timezone, message: screened.text, plan: screened.plan });
  return { claim, started: true };
}
