// The roll-up of seed §6.2: from a goal's stored evaluations (one per local day), whether it is
// achieved, missed or still active. Pure; the evaluator calls it after the day's rows are written, so
// the verdict always comes from what is stored and a re-run reaches the same one.
//
//   kind                   achieved when                               missed when
//   streak                 the run of consecutive hits reaches target  never (it stays active)
//   count_hits_in_window   the hits in the window reach target         the window has ended short
//   sustained_pattern      the window has ended with hits >= target     the window has ended short
//
// A count goal is missed only when its window ends, even once the target is out of reach: the seed
// says "the full window elapses", and the app can show the shortfall from the progress meanwhile. A
// day without data is never a hit and breaks a streak, as does a day with no row at all.
import { addDays, daysBetween } from "../readings/local-day";
import type { GoalKind } from "./recipe";

export interface EvaluatedDay {
  readonly period: string;
  readonly hit: boolean;
  readonly noData: boolean;
}

export interface GoalTerms {
  readonly kind: GoalKind;
  readonly target: number;
  readonly firstPeriod: string;
  /** Null for a streak. */
  readonly windowEnd: string | null;
}

export type Verdict =
  | { readonly status: "active" }
  | { readonly status: "achieved" | "missed"; readonly decidedOn: string };

const ACTIVE: Verdict = { status: "active" };

/** The rows that count: inside the goal's periods, in period order. */
function inTerms(terms: GoalTerms, history: readonly EvaluatedDay[]): EvaluatedDay[] {
  return history
    .filter(
      (day) => day.period >= terms.firstPeriod && (terms.windowEnd === null || day.period <= terms.windowEnd),
    )
    .sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
}

/**
 * The verdict after the periods through `evaluatedThrough` (the goal's last evaluated day) are stored.
 * `decidedOn` is the period that decided it: the day the target was reached, or the window's end.
 */
export function rollUp(
  terms: GoalTerms,
  history: readonly EvaluatedDay[],
  evaluatedThrough: string | null,
): Verdict {
  const days = inTerms(terms, history);
  if (terms.kind === "streak") {
    let run = 0;
    let previous: string | null = null;
    for (const day of days) {
      const consecutive = previous !== null && addDays(previous, 1) === day.period;
      run = day.hit ? (consecutive ? run + 1 : 1) : 0;
      previous = day.period;
      if (run >= terms.target) return { status: "achieved", decidedOn: day.period };
    }
    return ACTIVE;
  }

  const end = terms.windowEnd;
  if (end === null) throw new Error(`a ${terms.kind} goal needs a window end`);
  let hits = 0;
  for (const day of days) {
    if (!day.hit) continue;
    hits++;
    if (terms.kind === "count_hits_in_window" && hits >= terms.target) {
      return { status: "achieved", decidedOn: day.period };
    }
  }
  if (evaluatedThrough === null || evaluatedThrough < end) return ACTIVE;
  return { status: hits >= terms.target ? "achieved" : "missed", decidedOn: end };
}

export interface GoalProgress {
  /** Consecutive hits ending on the last evaluated day (0 if that day was not a hit). */
  readonly currentStreak: number;
  readonly longestStreak: number;
  readonly hits: number;
  /** Days with data that were not hits. */
  readonly misses: number;
  readonly noDataDays: number;
  readonly evaluatedDays: number;
  /** Periods of the window not evaluated yet; null for a streak, which has no end. */
  readonly daysLeft: number | null;
}

/** What get_goal_progress and the app show: counts over the stored rows inside the goal's periods. */
export function goalProgress(
  terms: GoalTerms,
  history: readonly EvaluatedDay[],
  evaluatedThrough: string | null,
): GoalProgress {
  const days = inTerms(terms, history);
  let run = 0;
  let longest = 0;
  let hits = 0;
  let noData = 0;
  let previous: string | null = null;
  for (const day of days) {
    const consecutive = previous !== null && addDays(previous, 1) === day.period;
    run = day.hit ? (consecutive ? run + 1 : 1) : 0;
    previous = day.period;
    longest = Math.max(longest, run);
    if (day.hit) hits++;
    else if (day.noData) noData++;
  }
  // A streak is current only if it reaches the last evaluated day without a gap.
  const currentStreak = previous !== null && previous === evaluatedThrough ? run : 0;
  const counted =
    evaluatedThrough !== null && evaluatedThrough >= terms.firstPeriod
      ? evaluatedThrough
      : addDays(terms.firstPeriod, -1);
  const daysLeft = terms.windowEnd === null ? null : Math.max(0, daysBetween(counted, terms.windowEnd));
  return {
    currentStreak,
    longestStreak: longest,
    hits,
    misses: days.length - hits - noData,
    noDataDays: noData,
    evaluatedDays: days.length,
    daysLeft,
  };
}
