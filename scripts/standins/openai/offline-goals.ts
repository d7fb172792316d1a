// The offline goal compiler and goal tool picking of the stand-in, so the demo and unscripted tests
// can create, confirm and follow goals without a real model. The compiler reads a few common phrasings
// (a metric, a threshold, "N of M days", "N days in a row") and answers with a recipe the backend's
// checks accept; anything else in the goal text, instructions included, is ignored, as a well-behaved
// model would. Everything is a pure function of the request.
import type { ChatTool, ToolResult } from "./chat-request";
import { isRecord } from "./http";

/** The response_format name and message prefix of the backend's compiler (src/goals/compile.ts). */
export const GOAL_COMPILER_SCHEMA = "goal_compiler";
const GOAL_PREFIX = "Goal to compile:";

const NUMBER_WORDS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fourteen: 14,
  twenty: 20,
  thirty: 30,
};
const NUM = String.raw`(\d[\d,.]*k?|${Object.keys(NUMBER_WORDS).join("|")})`;

function toNumber(text: string): number {
  const word = NUMBER_WORDS[text];
  if (word !== undefined) return word;
  const thousands = text.endsWith("k");
  const value = Number(text.replace(/k$/, "").replace(/,(?=\d{3}\b)/g, ""));
  return thousands ? value * 1000 : value;
}

type Metric =
  | "avg_systolic"
  | "avg_diastolic"
  | "last_reading_systolic"
  | "last_reading_diastolic"
  | "heart_rate"
  | "sleep_hours"
  | "steps"
  | "in_target_pct"
  | "bp_category";

const PATHS: Record<Metric, string> = {
  avg_systolic: "avg_systolic",
  avg_diastolic: "avg_diastolic",
  last_reading_systolic: "last_reading.systolic",
  last_reading_diastolic: "last_reading.diastolic",
  heart_rate: "heart_rate",
  sleep_hours: "sleep_hours",
  steps: "steps",
  in_target_pct: "in_target_pct",
  bp_category: "bp_category",
};

/** What a goal is about when it names no threshold. */
const DEFAULT_COMPARISON: Record<Metric, string> = {
  avg_systolic: "value < 130",
  avg_diastolic: "value < 85",
  last_reading_systolic: "value < 130",
  last_reading_diastolic: "value < 85",
  heart_rate: "value < 80",
  sleep_hours: "value >= 7",
  steps: "value >= 8000",
  in_target_pct: "value >= 80",
  bp_category: "value <= 1",
};

const LABELS: Record<Metric, string> = {
  avg_systolic: "Systolic",
  avg_diastolic: "Diastolic",
  last_reading_systolic: "systolic",
  last_reading_diastolic: "diastolic",
  heart_rate: "Heart rate",
  sleep_hours: "Sleep",
  steps: "Steps",
  in_target_pct: "Readings in target",
  bp_category: "Blood-pressure category",
};

const CATEGORIES = ["Optimal", "Normal", "High-Normal", "Hypertension 1", "Hypertension 2"];
const DAYPARTS: Record<string, string> = {
  morning: "morning",
  mañana: "morning",
  morgen: "morning",
  matin: "morning",
  afternoon: "afternoon",
  evening: "evening",
  tarde: "evening",
  noche: "night",
  abend: "evening",
  soir: "evening",
  night: "night",
};

/** Each metric's words; the one the goal mentions first wins ("steps above 8000 … not my sleep"). */
const METRIC_WORDS: [RegExp, (daypart: boolean) => Metric][] = [
  [/diastol/, (daypart) => (daypart ? "last_reading_diastolic" : "avg_diastolic")],
  [/in[- ]target|in range|target band|zielbereich/, () => "in_target_pct"],
  [
    /systol|pressure|\bbp\b|presi[oó]n|blutdruck|tension/,
    (daypart) => (daypart ? "last_reading_systolic" : "avg_systolic"),
  ],
  [/sleep|slept|sue[ñn]o|dormir|schlaf|sommeil/, () => "sleep_hours"],
  [/steps?\b|walk|pasos|schritte|\bpas\b/, () => "steps"],
  [/heart|pulse|\bbpm\b|puls|pulso|cardiaque/, () => "heart_rate"],
];

function detectMetric(text: string): Metric | null {
  // A category ("optimal or normal") is about the category even when "blood pressure" comes first.
  if (/categor|optimal|hypertension/.test(text)) return "bp_category";
  const daypart = detectDaypart(text) !== null;
  let first: { at: number; metric: Metric } | null = null;
  for (const [words, metric] of METRIC_WORDS) {
    const at = text.search(words);
    if (at !== -1 && (first === null || at < first.at)) first = { at, metric: metric(daypart) };
  }
  return first?.metric ?? null;
}

function detectDaypart(text: string): string | null {
  for (const [word, daypart] of Object.entries(DAYPARTS)) {
    if (new RegExp(`\\b${word}`).test(text)) return daypart;
  }
  return null;
}

function detectComparison(text: string, metric: Metric): string {
  const between = text.match(new RegExp(String.raw`between\s+${NUM}\s+and\s+${NUM}`));
  if (between?.[1] !== undefined && between[2] !== undefined) {
    return `value >= ${toNumber(between[1])} && value <= ${toNumber(between[2])}`;
  }
  const rules: [RegExp, string][] = [
    [/(?:at most|no more than|max(?:imum)?|<=)\s*/, "<="],
    [
      /(?:under|below|less than|lower than|fewer than|bajo|menos de|unter|weniger als|moins de|sous|<)\s*/,
      "<",
    ],
    [/(?:at least|min(?:imum)?|>=|no less than|al menos|mindestens|au moins)\s*/, ">="],
    [/(?:over|above|more than|greater than|higher than|más de|über|mehr als|plus de|>)\s*/, ">"],
  ];
  for (const [words, operator] of rules) {
    const found = text.match(new RegExp(words.source + NUM));
    if (found?.[1] !== undefined) {
      const threshold = toNumber(found[1]);
      if (Number.isFinite(threshold)) {
        return metric === "bp_category" ? DEFAULT_COMPARISON.bp_category : `value ${operator} ${threshold}`;
      }
    }
  }
  // A bare figure with its unit ("10,000 steps", "7 hours") keeps the metric's usual direction.
  const bare = text.match(
    new RegExp(
      String.raw`${NUM}\s*(?:steps|pasos|schritte|pas\b|hours?|h\b|horas|stunden|heures|bpm|%|percent|mmhg)`,
    ),
  );
  if (bare?.[1] !== undefined && metric !== "bp_category") {
    const threshold = toNumber(bare[1]);
    const operator = DEFAULT_COMPARISON[metric].split(" ")[1];
    if (Number.isFinite(threshold)) return `value ${operator} ${threshold}`;
  }
  return DEFAULT_COMPARISON[metric];
}

interface Terms {
  kind: "streak" | "count_hits_in_window" | "sustained_pattern";
  target: number;
  window_days: number;
}

function detectTerms(text: string): Terms {
  const inARow = text.match(new RegExp(String.raw`${NUM}\s+(?:days?\s+)?(?:in a row|consecutive|straight)`));
  if (inARow?.[1] !== undefined) {
    const target = toNumber(inARow[1]);
    return { kind: "streak", target, window_days: Math.max(30, target) };
  }
  const streak = text.match(new RegExp(String.raw`streak of\s+${NUM}`));
  if (streak?.[1] !== undefined) {
    const target = toNumber(streak[1]);
    return { kind: "streak", target, window_days: Math.max(30, target) };
  }
  const ofWindow = text.match(
    new RegExp(String.raw`${NUM}\s+(?:days?\s+)?(?:out\s+)?of\s+(?:the\s+)?(?:last\s+|next\s+)?${NUM}`),
  );
  if (ofWindow?.[1] !== undefined && ofWindow[2] !== undefined) {
    const target = toNumber(ofWindow[1]);
    const window = toNumber(ofWindow[2]);
    if (target <= window) return { kind: "count_hits_in_window", target, window_days: window };
  }
  const perWeek = text.match(new RegExp(String.raw`${NUM}\s+(?:days|times)\s+(?:a|per|each)\s+week`));
  if (perWeek?.[1] !== undefined) {
    return { kind: "count_hits_in_window", target: Math.min(7, toNumber(perWeek[1])), window_days: 7 };
  }
  const everyDay = text.match(/every (?:day|night) for\s+(\S+)\s+(days|weeks?|month)/);
  if (everyDay?.[1] !== undefined && everyDay[2] !== undefined) {
    const n = everyDay[1] === "a" ? 1 : toNumber(everyDay[1]);
    const days = everyDay[2].startsWith("week") ? n * 7 : everyDay[2] === "month" ? 30 : n;
    if (Number.isFinite(days) && days >= 1)
      return { kind: "sustained_pattern", target: days, window_days: days };
  }
  return { kind: "count_hits_in_window", target: 5, window_days: 7 };
}

function pipelineFor(metric: Metric, daypart: string | null): unknown[] {
  if (metric === "bp_category") {
    return [
      {
        $set: {
          value: {
            $switch: {
              branches: CATEGORIES.map((category, rank) => ({
                case: { $eq: ["$bp_category", category] },
                // biome-ignore lint/suspicious/noThenProperty: MongoDB's argument name, never awaited
                then: rank,
              })),
              default: null,
            },
          },
        },
      },
    ];
  }
  const path = `$${PATHS[metric]}`;
  if (daypart !== null && (metric === "last_reading_systolic" || metric === "last_reading_diastolic")) {
    return [{ $set: { value: { $cond: [{ $eq: ["$last_reading.daypart", daypart] }, path, null] } } }];
  }
  return [{ $set: { value: path } }];
}

function goalText(lastUserMessage: string): string {
  const start = lastUserMessage.indexOf(GOAL_PREFIX);
  const text = start === -1 ? lastUserMessage : lastUserMessage.slice(start + GOAL_PREFIX.length);
  // A retry repeats the goal, then the refusal: only the goal's own line is read.
  return (text.split("\n\n")[0] ?? "").trim();
}

/** The compiler's reply for the goal in the request (see src/goals/compile.ts for its schema). */
export function compileGoalReply(lastUserMessage: string): string {
  const description = goalText(lastUserMessage);
  const text = description.toLowerCase();
  const metric = detectMetric(text);
  if (metric === null) {
    return JSON.stringify({
      unsupported_reason:
        "I can track blood pressure, heart rate, sleep, steps or readings in target, but this goal names none of them.",
      title: "Goal",
      metric: "steps",
      pipeline_json: JSON.stringify([{ $set: { value: "$steps" } }]),
      comparison: "value >= 0",
      kind: "count_hits_in_window",
      target: 1,
      window_days: 7,
    });
  }
  const daypart = detectDaypart(text);
  const comparison = detectComparison(text, metric);
  const terms = detectTerms(text);
  const label =
    daypart && metric.startsWith("last_reading")
      ? `${capitalise(daypart)} ${LABELS[metric]}`
      : LABELS[metric];
  const rule =
    terms.kind === "streak"
      ? `${terms.target} days in a row`
      : `${terms.target} of ${terms.window_days} days`;
  return JSON.stringify({
    unsupported_reason: null,
    title: `${label} ${comparison.replace("value ", "")}, ${rule}`.slice(0, 60),
    metric,
    pipeline_json: JSON.stringify(pipelineFor(metric, daypart)),
    comparison,
    ...terms,
  });
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ---- the agent's goal tools ------------------------------------------------------------------------

export interface GoalCall {
  name: string;
  arguments: Record<string, unknown>;
}

type GoalIntent = "create" | "confirm" | "list" | "progress";

function goalIntent(text: string): GoalIntent | null {
  const lower = text.toLowerCase();
  const mentionsGoal = /\bgoals?\b|objetivo|\bmeta\b|\bziel|objectif/.test(lower);
  if (
    mentionsGoal &&
    /progress|how am i doing|how (is|are)|how's|going|on track|doing on|fortschritt|progreso|progr[eè]s/.test(
      lower,
    )
  ) {
    return "progress";
  }
  // "Can you confirm my reading was high?" is not about a goal: confirming needs a yes or a goal word.
  const confirming = /\bconfirm|start tracking|bestätig|confirmar|confirmer/.test(lower);
  if (
    confirming &&
    (mentionsGoal ||
      /\b(yes|yeah|sure|ok|okay|please|go ahead|sí|ja|oui)\b|\bconfirm (it|that|this)\b|start tracking/.test(
        lower,
      ))
  ) {
    return "confirm";
  }
  if (
    mentionsGoal &&
    /\b(list|show|which|what are)\b|my goals|meine ziele|mis objetivos|mes objectifs/.test(lower)
  ) {
    return "list";
  }
  const shaped =
    /\d+\s+(days?\s+)?(out\s+)?of\s+\d+|(out )?of (seven|ten|fourteen|thirty)|in a row|consecutive|streak|\b(times|days) a week/.test(
      lower,
    );
  if (
    mentionsGoal ||
    (shaped && /\b(keep|get|stay|walk|sleep|under|below|above|over|at least)\b/.test(lower))
  ) {
    return "create";
  }
  return null;
}

function goalRows(results: readonly ToolResult[]): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const result of results) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(result.content);
    } catch {
      continue;
    }
    const data = isRecord(parsed) && isRecord(parsed.data) ? parsed.data : parsed;
    const goals = isRecord(data) && Array.isArray(data.goals) ? data.goals : [];
    for (const goal of goals) if (isRecord(goal)) rows.push(goal);
  }
  return rows;
}

/**
 * The goal tool calls for this round, or null when the message is not about goals (the keyword rules
 * then apply). Confirming and progress take two rounds: list_goals first, then the goal it found.
 */
export function planGoalCalls(
  userText: string,
  tools: readonly ChatTool[],
  results: readonly ToolResult[],
): GoalCall[] | null {
  const intent = goalIntent(userText);
  if (intent === null) return null;
  const offered = new Set(tools.map((tool) => tool.name));
  const done = new Set(results.map((result) => result.name));
  const call = (name: string, args: Record<string, unknown>): GoalCall[] | null =>
    offered.has(name) && !done.has(name) ? [{ name, arguments: args }] : null;
  if (intent === "create") return call("create_goal", { description: userText.trim().slice(0, 500) });
  if (intent === "list") return call("list_goals", {});
  if (!done.has("list_goals")) return call("list_goals", {});
  const goals = goalRows(results.filter((result) => result.name === "list_goals"));
  if (intent === "confirm") {
    const waiting = goals.find((goal) => goal.status === "awaiting_confirmation");
    return typeof waiting?.goal_id === "string" ? call("confirm_goal", { goal_id: waiting.goal_id }) : null;
  }
  const followed = goals.find((goal) => goal.status === "active") ?? goals[0];
  return typeof followed?.goal_id === "string"
    ? call("get_goal_progress", { goal_id: followed.goal_id })
    : null;
}

/** The demo's answer after a goal tool ran, or null to leave it to the generic summary. */
export function goalAnswer(results: readonly ToolResult[]): string | null {
  const last = results.at(-1);
  if (last === undefined || !/_goals?(_|$)/.test(last.name)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(last.content);
  } catch {
    return null;
  }
  const data = isRecord(parsed) && isRecord(parsed.data) ? parsed.data : parsed;
  if (!isRecord(data)) return null;
  if (data.status === "could_not_compile") return `I could not set that goal up: ${String(data.reason)}`;
  if (last.name === "create_goal" && data.status === "awaiting_confirmation") {
    const preview = Array.isArray(data.preview) ? data.preview.filter(isRecord) : [];
    const withData = preview.filter((day) => typeof day.value === "number");
    const hits = withData.filter((day) => day.hit === true).length;
    return (
      `Here is the goal as I would track it: "${String(data.title)}". ${String(data.recipe)} ` +
      `Over the last ${preview.length} days it would have counted on ${hits} of the ${withData.length} days with data. ` +
      "Shall I start tracking it?"
    );
  }
  if (last.name === "confirm_goal") return `Done: "${String(data.title)}" is now being tracked from today.`;
  if (last.name === "get_goal_progress" && isRecord(data.progress)) {
    const progress = data.progress;
    return `"${String(data.title)}" is ${String(data.status)}: ${String(progress.hits)} day(s) counted so far, current streak ${String(progress.current_streak)}.`;
  }
  return null;
}
