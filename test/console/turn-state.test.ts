// Folding a turn's events into what the console shows, and the gap check it shows after a resume.
import { describe, expect, test } from "bun:test";
import type { SseFrame } from "../../src/console/client/sse-parser";
import {
  applyTurnEvent,
  compareEventIds,
  emptyTurn,
  type TurnState,
  turnContinuity,
} from "../../src/console/client/turn-state";

const TURN = "0193f000-0000-7000-8000-000000000001";

function frames(events: [id: string, event: string, data: Record<string, unknown>][]): SseFrame[] {
  return events.map(([id, event, data]) => ({ id, event, data: JSON.stringify({ turn_id: TURN, ...data }) }));
}

function fold(input: SseFrame[]): TurnState {
  return input.reduce(applyTurnEvent, emptyTurn());
}

const wholeTurn = frames([
  ["100-0", "tool_call", { call_id: "c1", name: "get_latest_bp_reading", arguments: {} }],
  [
    "100-1",
    "tool_result",
    { call_id: "c1", name: "get_latest_bp_reading", ok: true, result: { systolic: 121 } },
  ],
  ["101-0", "token", { text: "Your last " }],
  ["101-1", "token", { text: "reading was 121." }],
  ["102-0", "done", { answer: "Your last reading was 121." }],
  ["102-1", "eval_pending", {}],
  ["103-0", "suggestions", { suggestions: ["And last week?", 7] }],
  ["103-1", "eval_result", { verdict: "approved", violations: [] }],
  ["103-2", "end", {}],
]);

describe("compareEventIds", () => {
  const cases: [string, string, number | null][] = [
    ["1-0", "1-1", -1],
    ["1-9", "2-0", -1],
    ["9-0", "10-0", -1],
    ["10-0", "9-0", 1],
    ["5-5", "5-5", 0],
    ["18446744073709551615-1", "18446744073709551615-2", -1],
    ["1-0", "nope", null],
    ["1", "1-0", null],
  ];
  for (const [a, b, expected] of cases) {
    test(`${a} vs ${b} → ${expected}`, () => expect(compareEventIds(a, b)).toBe(expected));
  }
});

describe("applyTurnEvent", () => {
  test("a whole turn: tools paired with results, tokens, answer, verdict, suggestions, end", () => {
    const state = fold(wholeTurn);
    expect(state.turnId).toBe(TURN);
    expect(state.lastEventId).toBe("103-2");
    expect(state.tools).toEqual([
      { callId: "c1", name: "get_latest_bp_reading", arguments: {}, ok: true, result: { systolic: 121 } },
    ]);
    expect(state.streamedText).toBe("Your last reading was 121.");
    expect(state.answer).toBe("Your last reading was 121.");
    expect(state.verdict).toEqual({ verdict: "approved", violations: [], degraded: false });
    expect(state.evalPending).toBe(false);
    // Non-strings in the list are dropped rather than shown as "[object]".
    expect(state.suggestions).toEqual(["And last week?"]);
    expect(state.ended).toBe(true);
    expect(state.eventCount).toBe(9);
    expect(turnContinuity(state)).toEqual({ status: "complete", events: 9 });
  });

  test("a revise verdict and its correction", () => {
    const state = fold(
      frames([
        ["1-0", "token", { text: "Take 2 pills." }],
        ["1-1", "done", { answer: "Take 2 pills." }],
        ["1-2", "eval_result", { verdict: "revise", violations: ["medication_advice"] }],
        ["1-3", "correction_start", { violations: ["medication_advice"] }],
        ["1-4", "correction_token", { text: "Please ask " }],
        ["1-5", "correction_token", { text: "your doctor." }],
        ["1-6", "correction_done", { answer: "Please ask your doctor.", replaced: true }],
        ["1-7", "end", {}],
      ]),
    );
    expect(state.verdict).toEqual({ verdict: "revise", violations: ["medication_advice"], degraded: false });
    expect(state.correction).toEqual({
      violations: ["medication_advice"],
      text: "Please ask your doctor.",
      answer: "Please ask your doctor.",
      replaced: true,
    });
  });

  test("errors and timeouts are failures with their own fields", () => {
    const failed = fold(
      frames([["1-0", "error", { code: "model_unavailable", message: "down", retryable: true }]]),
    );
    expect(failed.failure).toEqual({
      kind: "error",
      code: "model_unavailable",
      message: "down",
      retryable: true,
    });
    const late = fold(frames([["1-0", "timeout", { message: "out of time" }]]));
    expect(late.failure).toEqual({ kind: "timeout", message: "out of time" });
  });

  test("a frame whose data is not a JSON object is counted as malformed and changes nothing else", () => {
    const state = fold([
      { id: "1-0", event: "token", data: "not json" },
      { id: "1-1", event: "token", data: "[1,2]" },
    ]);
    expect(state.malformed).toBe(2);
    expect(state.eventCount).toBe(0);
    expect(state.lastEventId).toBeNull();
  });
});

describe("turnContinuity", () => {
  test("a resume that continues right after the last id received is complete", () => {
    // The first connection got the first four frames; the resume sends everything after 101-0.
    const before = wholeTurn.slice(0, 3);
    const after = wholeTurn.slice(3);
    expect(turnContinuity(fold([...before, ...after]))).toEqual({ status: "complete", events: 9 });
  });

  test("a lost token is a gap at the character where the texts part", () => {
    const lost = wholeTurn.filter((frame) => frame.id !== "101-0");
    expect(turnContinuity(fold(lost))).toEqual({
      status: "gap",
      reason: "streamed text differs from the final answer at character 0",
    });
  });

  test("an event delivered twice (a resume from too early an id) is a gap", () => {
    const twice = [...wholeTurn.slice(0, 4), wholeTurn[3] as SseFrame, ...wholeTurn.slice(4)];
    const continuity = turnContinuity(fold(twice));
    expect(continuity).toEqual({ status: "gap", reason: "events out of order or repeated: 101-1" });
  });

  test("before done it is pending; done without tokens is a replay from storage", () => {
    expect(turnContinuity(fold(wholeTurn.slice(0, 3)))).toEqual({ status: "pending" });
    const replay = frames([
      ["1-0", "done", { answer: "Stored answer." }],
      ["1-1", "end", {}],
    ]);
    expect(turnContinuity(fold(replay))).toEqual({ status: "replayed", events: 2 });
  });
});
