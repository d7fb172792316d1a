// A handover to Intercom, top to bottom (seed §8): check that the FAQ failed first, write the row
// `pending`, find or create the contact, open the conversation, then move the row once to
// `accepted` or `failed`. Never throws: the agent gets a status envelope and goes on, and an outage of
// Intercom costs the user one apologetic clause, never the turn. A later need opens a new row.
import type { Deps } from "../infra/deps";
import type { Logger } from "../observability/logger";
import { sessionHadFaqMiss } from "./faq-miss";
import {
  createConversation,
  findOrCreateContact,
  IntercomCallError,
  type IntercomErrorClass,
  type IntercomSettings,
} from "./intercom-api";
import {
  acceptedHandoverOfTurn,
  insertPendingHandover,
  markHandoverAccepted,
  markHandoverFailed,
} from "./store";
import { handoverText } from "./summary";

export interface HandoverContext {
  deps: Pick<Deps, "appDb" | "redis">;
  intercom: IntercomSettings;
  /** Who and where, from the turn: never from the model. */
  userId: string;
  sessionId: string;
  turnId: string;
  log: Logger;
  /** The turn's signal: a turn that ends stops the call in flight (the row then says `aborted`). */
  signal: AbortSignal;
}

export type HandoverOutcome =
  | { status: "faq_first" }
  | { status: "accepted"; handover_id: string }
  | { status: "failed"; handover_id: string | null; error: IntercomErrorClass | "internal" };

export async function requestHandover({
  ctx,
  input,
}: {
  ctx: HandoverContext;
  input: { question: string };
}): Promise<HandoverOutcome> {
  const { deps, log } = ctx;
  const db = deps.appDb.db;
  const who = { userId: ctx.userId, sessionId: ctx.sessionId };

  try {
    if (!(await sessionHadFaqMiss(deps, who))) return { status: "faq_first" };
    // The model asking twice in one turn (a second round) must not open a second conversation.
    const already = await acceptedHandoverOfTurn(db, ctx.userId, ctx.turnId);
    if (already) return { status: "accepted", handover_id: already };
    const text = await handoverText(db, { ...who, question: input.question });
    // Persist, then call: the row exists before anything leaves, so no attempt goes unrecorded.
    const handoverId = await insertPendingHandover(db, {
      ...who,
      turnId: ctx.turnId,
      question: text.question,
      summary: text.summary,
    });
    return await deliver(ctx, handoverId, text.body);
  } catch (error) {
    // Our own database or Redis failed (before the row existed, or while moving it): logged in full,
    // and the agent is told the handover did not happen.
    log.error("handover failed inside the service", { error, session_id: ctx.sessionId });
    return { status: "failed", handover_id: null, error: "internal" };
  }
}

async function deliver(ctx: HandoverContext, handoverId: string, body: string): Promise<HandoverOutcome> {
  const db = ctx.deps.appDb.db;
  let contactId: string | null = null;
  try {
    contactId = await findOrCreateContact(ctx.intercom, ctx.userId, ctx.signal);
    const conversationId = await createConversation(ctx.intercom, contactId, body, ctx.signal);
    await markHandoverAccepted(db, handoverId, { contactId, conversationId });
    ctx.log.info("handover accepted", { handover_id: handoverId, conversation_id: conversationId });
    return { status: "accepted", handover_id: handoverId };
  } catch (error) {
    if (!(error instanceof IntercomCallError)) throw error;
    // A timeout on the create may still have opened the conversation in Intercom; it is recorded as
    // failed (its replies then find no handover and are dropped), never retried into a second one.
    await markHandoverFailed(db, handoverId, {
      errorClass: error.errorClass,
      detail: error.message,
      contactId,
    });
    ctx.log.warn("handover failed", {
      handover_id: handoverId,
      error_class: error.errorClass,
      error: error.message,
    });
    return { status: "failed", handover_id: handoverId, error: error.errorClass };
  }
}
