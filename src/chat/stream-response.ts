// Builds the text/event-stream response for one turn: relay from the Redis log by id, keep-alive
// comments, and a fall-back to MySQL when the log is gone and the turn has finished.
import { findClaimById, type TurnClaim } from "./claims";
import { replayFromClaim } from "./replay";
import type { ChatServices } from "./services";
import { encodeSseFrame, SSE_KEEPALIVE, SSE_PREAMBLE, type SseFrame, toSseFrame } from "./sse";
import { turnLogKey } from "./turn-log";

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

export async function turnEventStream(
  services: ChatServices,
  claim: TurnClaim,
  afterId: string | null,
  status = 200,
): Promise<Response> {
  const headers = { ...SSE_HEADERS, "x-turn-id": claim.id };
  const redis = services.deps.redis.redis;
  const key = turnLogKey(claim.id, claim.attempt);

  if (claim.status !== "running" && (await redis.exists(key)) === 0) {
    const frames = replayFromClaim(claim, afterId).map(encodeSseFrame).join("");
    return new Response(SSE_PREAMBLE + frames, { status, headers });
  }

  let cleanup = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
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
      const subscription = services.hub.subscribe(key, afterId, send);

      const keepAlive = setInterval(async () => {
        if (closed) return;
        controller.enqueue(encoder.encode(SSE_KEEPALIVE));
        if (performance.now() - lastActivity < services.keepAliveMs) return;
        // Quiet for a whole interval: if the log is gone (expired, or lost in a Redis restart), or has
        // stalled long after the turn finished in MySQL, serve the finished turn from MySQL.
        try {
          const quietMs = performance.now() - lastActivity;
          if ((await redis.exists(key)) === 1 && quietMs < STALLED_AFTER_FINISH_MS) return;
          const current = await findClaimById(services.deps.appDb.db, claim.userId, claim.id);
          if (current && current.status !== "running" && current.attempt === claim.attempt) {
            send(replayFromClaim(current, lastDeliveredId).map(toSseFrame));
          }
        } catch (error) {
          services.log.warn("turn log check failed", { error, turn_id: claim.id });
        }
      }, services.keepAliveMs);

      cleanup = () => {
        clearInterval(keepAlive);
        subscription.close();
      };
    },
    cancel() {
      // The client went away. Only the relay stops; the producer is not tied to this connection.
      cleanup();
    },
  });
  return new Response(body, { status, headers });
}
