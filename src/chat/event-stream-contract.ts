// The event stream as the OpenAPI document describes it: the frames, every event and its data.
// A Record over TurnEventName, so an event added to events.ts cannot go undocumented.
import type { DocumentDecoration } from "elysia";
import type { TurnEventName } from "./events";

type Response = NonNullable<DocumentDecoration["responses"]>[string];

const TURN_EVENT_DATA: Record<TurnEventName, string> = {
  token: "`{text}`: answer text, coalesced (one event per 30 ms or 128 characters)",
  tool_call: "`{call_id, name, arguments}`: the assistant calls a tool",
  tool_result: "`{call_id, name, ok, result}`; `ok: false` carries `{code, message}` and the turn goes on",
  done: "`{answer}`: the complete answer; a client that resumed mid-turn replaces its partial text with it",
  eval_pending: "`{}`: the safety review of the answer started",
  eval_result: "`{verdict, violations, degraded?}`: `verdict` is `approved` or `revise`",
  correction_start: "`{violations}`: a rewrite of the answer follows",
  correction_token: "`{text}`: rewrite text",
  correction_done: "`{answer, replaced}`: the rewrite, which replaces the stored answer when `replaced`",
  suggestions: "`{suggestions}`: up to 3 follow-up questions (empty when they could not be made)",
  timeout: "`{message}`: the turn ran out of time; a retry with the same `Idempotency-Key` re-runs it",
  error: "`{code, message, retryable}`: the turn failed; a retry with the same key re-runs it",
  end: "`{}`: the only clean finish; a stream that closes without it dropped: resume it",
};

const EVENT_TABLE = [
  "| event | data |",
  "|---|---|",
  ...Object.entries(TURN_EVENT_DATA).map(([event, data]) => `| \`${event}\` | ${data} |`),
].join("\n");

/** The 200 of sending a message and of resuming a turn. */
export const turnEventStreamResponse: Response = {
  description:
    "Server-Sent Events. The stream opens with `retry: 1000`; each frame is `id: <event id>`, " +
    "`event: <name>`, `data: <JSON>`, and every `data` also carries `turn_id`. `: keep-alive` comment " +
    "lines come every 15 s. Keep the last `id:` received: after a drop, GET " +
    "`/v1/sessions/{id}/turns/{turnId}/events` with it as `Last-Event-ID` continues after it, on any " +
    `instance.\n\n${EVENT_TABLE}`,
  headers: {
    "X-Turn-ID": { description: "The turn this stream belongs to.", schema: { type: "string" } },
  },
  content: { "text/event-stream": { schema: { type: "string" } } },
};
