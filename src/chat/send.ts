// Sending a message: Layer 1 screen, claim, dispatch. The verb behind POST /sessions/:id/messages,
// free of HTTP so tests and jobs can call it too.

import type { ClientContext } from "../http/client-context";
import { ApiError, notFound } from "../http/errors";
import { claimTurn, failClaim, requestHash, type TurnClaim } from "./claims";
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

export async function sendMessage(services: ChatServices, input: SendInput): Promise<SendResult> {
  const db = services.deps.appDb.db;
  const { userId, timezone } = input.client;
  if (!(await findSession(db, userId, input.sessionId))) throw notFound("session");

  // Layer 1 runs before anything is stored: from here on only the redacted text exists.
  const screened = services.screen(input.message, { timezone });
  const outcome = await claimTurn(db, {
    userId,
    sessionId: input.sessionId,
    idempotencyKey: input.idempotencyKey,
    requestHash: requestHash(input.sessionId, screened.text),
  });
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
    throw new ApiError(
      503,
      "unavailable",
      "chat is temporarily unavailable; retry with the same Idempotency-Key",
    );
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
