// The legal status changes of a goal (seed §6, diagram 12) as data. The compiler only ever writes
// `awaiting_confirmation`; people confirm, pause, resume and edit; the nightly evaluator (evaluate.ts)
// moves `active` to `achieved`, `missed` or `errored`. `achieved` and `missed` are terminal; `errored`
// can be re-activated. Every change is one compare-and-set UPDATE on the status read before it.
import type { GOAL_STATUSES } from "../db/schema/goals";

export type GoalStatus = (typeof GOAL_STATUSES)[number];

export type GoalAction = "confirm" | "pause" | "resume" | "edit";

export const TRANSITIONS: Readonly<Record<GoalAction, { from: readonly GoalStatus[]; to: GoalStatus }>> = {
  confirm: { from: ["awaiting_confirmation"], to: "active" },
  pause: { from: ["active"], to: "paused" },
  // Resuming an errored goal is its re-activation: its error count starts again from zero.
  resume: { from: ["paused", "errored"], to: "active" },
  // A new description is a new goal in the same row: recompiled, and confirmed again before it counts.
  edit: { from: ["awaiting_confirmation", "active", "paused", "errored"], to: "awaiting_confirmation" },
};

export function canTransition(action: GoalAction, from: GoalStatus): boolean {
  return TRANSITIONS[action].from.includes(from);
}

/** Why `action` is refused in `status`, for the 409 and for the assistant. */
export function transitionRefusal(action: GoalAction, status: GoalStatus): string {
  const allowed = TRANSITIONS[action].from.map((s) => s.replaceAll("_", " ")).join(" or ");
  const verb = { confirm: "confirmed", pause: "paused", resume: "resumed", edit: "changed" }[action];
  return `the goal is ${status.replaceAll("_", " ")}; only a goal that is ${allowed} can be ${verb}`;
}
