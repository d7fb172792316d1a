// Builds the text/event-stream response for one turn: relay from the Redis log by id, keep-alive
// comments, and a fall-back to MySQL when the log is gone and the turn has finished.
import { invalidHeader } from "../http/errors";
import type { Chat } from "./chat";
import { findClaimById, type TurnClaim } from "./claims";
import { replayFromClaim, replayLength } from "./replay";
import {
  compareStreamIds,
  encodeSseFrame,
  SSE_KEEPALIVE,
  SSE_PREAMBLE,
  type SseFrame,
  sseUnnumberedFrameText,
  toSseFrame,
} from "./sse";
import { decodeFrames, turnLogKey } from "./turn-log";

const encoder = new TextEncoder();
/** Longer than any post-answer step (judge, rewrite, suggestions) can take after the claim is done. */
const STALLED_AFTER_FINISH_MS = 60_000;

export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
  // Tells nginx-style proxies not to buffer the stream.
  "x-accel-buffering": "no",
};

/**
 * What to do with a resume id past the turn's last event. No client can hold one (every id it holds
 * came from this turn's events), so waiting for events after it would wait for nothing: a resume is
 * refused (400); a send that has already stored its message streams the turn from the start instead.
 */
export type PastTheEnd = "refuse" | "from_start";

export async function turnEventStream(
  chat: Chat,
  claim: TurnClaim,
  requestedAfterId: string | null,
  pastTheEnd: PastTheEnd,
): Promise<Response> {
  const headers = { ...SSE_HEADERS, "x-turn-id": claim.id };
  const redis = chat.deps.redis.redis;
  const keepAliveMs = chat.deps.config.HILO_SSE_KEEPALIVE_MS;
  const key = turnLogKey(claim.id, claim.attempt);
  let afterId = requestedAfterId;

  // Redis unreachable: no check, the stream opens as before and the relay retries until it is back.
  const last =
    afterId === null
      ? undefined
      : decodeFrames(await redis.xrevrange(key, "+", "-", "COUNT", 1).catch(() => []))[0];
  if (afterId !== null && isPastTheEnd(claim, afterId, last)) {
    if (pastTheEnd === "refuse") throw invalidHeader("Last-Event-ID", "is past the last event of this turn");
    afterId = null;
  }
  // The client already holds the whole finished log, `end` included: it gets `end` again at once
  // (a stream that closes without `end` reads as a drop) instead of a read that waits for nothing.
  if (last?.terminal && afterId === last.id) {
    return new Response(SSE_PREAMBLE + last.text, { status: 200, headers });
  }
  if (claim.status !== "running" && (await redis.exists(key)) === 0) {
    const frames = replayFromClaim(claim, afterId).map(encodeSseFrame).join("");
    return new Response(SSE_PREAMBLE + frames, { status: 200, headers });
  }

  const { metrics } = chat.deps;
  let cleanup = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      metrics.sseStreamOpened();
      let closed = false;
      let lastActivity = performance.now();
      const close = () => {
        if (closed) return;
        closed = true;
        cleanup();
        controller.close();
      };
      // What this client already holds: a fall-back replay must continue from here, not from the id
      // it connected with, or text it already received would be sent again.
      let lastDeliveredId = afterId;
      const send = (frames: SseFrame[]) => {
        if (closed) return;
        lastActivity = performance.now();
        let text = "";
        let terminal = false;
        for (const frame of frames) {
          text += frame.text;
          terminal ||= frame.terminal;
          lastDeliveredId = frame.id;
        }
        controller.enqueue(encoder.encode(text));
        if (terminal) close();
      };
      controller.enqueue(encoder.encode(SSE_PREAMBLE));
      // Redis refuses this stream (its id or its key): end it with an error the client can show,
      // without an id, so its Last-Event-ID stays the last event it really got.
      const refuse = (reason: string) => {
        if (closed) return;
        const error = { turn_id: claim.id, code: "invalid_request", message: reason, retryable: false };
        controller.enqueue(
          encoder.encode(
            sseUnnumberedFrameText("error", JSON.stringify(error)) +
              sseUnnumberedFrameText("end", JSON.stringify({ turn_id: claim.id })),
          ),
        );
        close();
      };
      const subscription = chat.hub.subscribe(key, afterId, send, refuse);

      const keepAlive = setInterval(async () => {
        if (closed) return;
        controller.enqueue(encoder.encode(SSE_KEEPALIVE));
        if (performance.now() - lastActivity < keepAliveMs) return;
        // Quiet for a whole interval: if the log is gone (expired, or lost in a Redis restart), or has
        // stalled long after the turn finished in MySQL, serve the finished turn from MySQL.
        try {
          const quietMs = performance.now() - lastActivity;
          if ((await redis.exists(key)) === 1 && quietMs < STALLED_AFTER_FINISH_MS) return;
          const current = await findClaimById(chat.deps.appDb.db, claim.userId, claim.id);
          if (current && current.status !== "running" && current.attempt === claim.attempt) {
            send(replayFromClaim(current, lastDeliveredId).map(toSseFrame));
          }
        } catch (error) {
          chat.log.warn("turn log check failed", { error, turn_id: claim.id });
        }
      }, keepAliveMs);

      let released = false;
      // Once only: a cancel can still arrive after close() while queued frames wait to be read.
      cleanup = () => {
        if (released) return;
        released = true;
        clearInterval(keepAlive);
        subscription.close();
        metrics.sseStreamClosed();
      };
    },
    cancel() {
      // The client went away. Only the relay stops; the producer is not tied to this connection.
      cleanup();
    },
  });
  return new Response(body, { status: 200, headers });
}

/** Whether `afterId` lies after the last event this turn has (in its Redis log, or its MySQL replay). */
function isPastTheEnd(claim: TurnClaim, afterId: string, last: SseFrame | undefined): boolean {
  if (last) return compareStreamIds(afterId, last.id) > 0;
  // No log (yet, or any more). A running turn's log may not be written yet: its stream waits.
  if (claim.status === "running") return false;
  const synthetic = /^0-(\d+)$/.exec(afterId);
  return synthetic !== null && Number(synthetic[1]) > replayLength(claim);
}
