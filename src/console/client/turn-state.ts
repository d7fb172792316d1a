// What the console knows about one chat turn, folded from its event stream (the events of
// src/chat/events.ts, as README "The event stream" lists them). Pure, so the gap check the page shows
// after a dropped connection is tested under `bun test` without a browser.
import type { SseFrame } from "./sse-parser";

export interface ToolActivity {
  callId: string;
  name: string;
  arguments: unknown;
  /** Unset until the tool's result arrives. */
  ok?: boolean;
  result?: unknown;
}

export interface Verdict {
  verdict: string;
  violations: unknown[];
  degraded: boolean;
}

export interface Correction {
  violations: unknown[];
  text: string;
  /** Set by `correction_done`. */
  answer?: string;
  replaced?: boolean;
}

export interface TurnFailure {
  kind: "error" | "timeout";
  code?: string;
  message: string;
  retryable?: boolean;
}

export interface TurnState {
  turnId: string | null;
  /** The id to send as Last-Event-ID when the connection drops. */
  lastEventId: string | null;
  /** Every `token` text in order of arrival. */
  streamedText: string;
  /** `done`'s complete answer. */
  answer: string | null;
  tools: ToolActivity[];
  evalPending: boolean;
  verdict: Verdict | null;
  correction: Correction | null;
  suggestions: string[];
  failure: TurnFailure | null;
  ended: boolean;
  eventCount: number;
  /** Ids that did not come strictly after the previous one: a duplicated or reordered event. */
  outOfOrder: string[];
  /** Frames whose data was not the JSON object the API sends. */
  malformed: number;
}

export function emptyTurn(): TurnState {
  return {
    turnId: null,
    lastEventId: null,
    streamedText: "",
    answer: null,
    tools: [],
    evalPending: false,
    verdict: null,
    correction: null,
    suggestions: [],
    failure: null,
    ended: false,
    eventCount: 0,
    outOfOrder: [],
    malformed: 0,
  };
}

type Data = Record<string, unknown>;

const text = (value: unknown): string => (typeof value === "string" ? value : "");
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Redis stream ids (`<ms>-<seq>`) compare as two integers; null when `id` is not one. */
export function compareEventIds(a: string, b: string): number | null {
  const parse = (id: string) => {
    const match = /^(\d+)-(\d+)$/.exec(id);
    return match ? [BigInt(match[1] ?? "0"), BigInt(match[2] ?? "0")] : null;
  };
  const left = parse(a);
  const right = parse(b);
  if (!left || !right) return null;
  const [lMs = 0n, lSeq = 0n] = left;
  const [rMs = 0n, rSeq = 0n] = right;
  if (lMs !== rMs) return lMs < rMs ? -1 : 1;
  if (lSeq !== rSeq) return lSeq < rSeq ? -1 : 1;
  return 0;
}

function parseData(frame: SseFrame): Data | null {
  try {
    const value: unknown = JSON.parse(frame.data);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Data) : null;
  } catch {
    // Not JSON: counted as malformed by the caller and otherwise ignored, as a client of the API should.
    return null;
  }
}

/** The state after one frame of the turn's stream. */
export function applyTurnEvent(state: TurnState, frame: SseFrame): TurnState {
  const data = parseData(frame);
  if (!data) return { ...state, malformed: state.malformed + 1 };
  const next: TurnState = { ...state, eventCount: state.eventCount + 1 };
  if (frame.id !== null) {
    const order = state.lastEventId === null ? -1 : compareEventIds(state.lastEventId, frame.id);
    if (order === null || order >= 0) next.outOfOrder = [...state.outOfOrder, frame.id];
    next.lastEventId = frame.id;
  }
  if (typeof data.turn_id === "string") next.turnId = data.turn_id;
  switch (frame.event) {
    case "token":
      next.streamedText = state.streamedText + text(data.text);
      break;
    case "tool_call":
      next.tools = [
        ...state.tools,
        { callId: text(data.call_id), name: text(data.name), arguments: data.arguments },
      ];
      break;
    case "tool_result": {
      const callId = text(data.call_id);
      const known = state.tools.some((tool) => tool.callId === callId);
      const result = { ok: data.ok === true, result: data.result };
      next.tools = known
        ? state.tools.map((tool) => (tool.callId === callId ? { ...tool, ...result } : tool))
        : [...state.tools, { callId, name: text(data.name), arguments: undefined, ...result }];
      break;
    }
    case "done":
      next.answer = text(data.answer);
      break;
    case "eval_pending":
      next.evalPending = true;
      break;
    case "eval_result":
      next.evalPending = false;
      next.verdict = {
        verdict: text(data.verdict),
        violations: list(data.violations),
        degraded: data.degraded === true,
      };
      break;
    case "correction_start":
      next.correction = { violations: list(data.violations), text: "" };
      break;
    case "correction_token":
      next.correction = {
        violations: state.correction?.violations ?? [],
        text: (state.correction?.text ?? "") + text(data.text),
      };
      break;
    case "correction_done":
      next.correction = {
        violations: state.correction?.violations ?? [],
        text: state.correction?.text ?? "",
        answer: text(data.answer),
        replaced: data.replaced === true,
      };
      break;
    case "suggestions":
      next.suggestions = list(data.suggestions).filter((item): item is string => typeof item === "string");
      break;
    case "timeout":
      next.failure = { kind: "timeout", message: text(data.message) };
      break;
    case "error":
      next.failure = {
        kind: "error",
        code: text(data.code),
        message: text(data.message),
        retryable: data.retryable === true,
      };
      break;
    case "end":
      next.ended = true;
      break;
    default:
      // An event this console does not know yet: counted, shown in the raw log, otherwise ignored.
      break;
  }
  return next;
}

export type Continuity =
  | { status: "pending" }
  | { status: "complete"; events: number }
  | { status: "replayed"; events: number }
  | { status: "gap"; reason: string };

/**
 * Whether the turn arrived whole: every event after the one before it, and the streamed tokens adding
 * up to exactly `done`'s answer. A stream served from storage after the log expired may carry only
 * `done` (no tokens): that is a replay, not a gap.
 */
export function turnContinuity(state: TurnState): Continuity {
  if (state.outOfOrder.length > 0) {
    return { status: "gap", reason: `events out of order or repeated: ${state.outOfOrder.join(", ")}` };
  }
  if (state.answer === null) return { status: "pending" };
  if (state.streamedText === "") return { status: "replayed", events: state.eventCount };
  if (state.streamedText !== state.answer) {
    const at = firstDifference(state.streamedText, state.answer);
    return { status: "gap", reason: `streamed text differs from the final answer at character ${at}` };
  }
  return { status: "complete", events: state.eventCount };
}

function firstDifference(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return i;
  return length;
}
