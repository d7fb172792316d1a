// Offline tool selection for the demo: keyword rules map the user's words onto the tools the backend
// actually offered, and arguments come from each tool's JSON schema so the backend's validation passes.
import type { ChatTool } from "./chat-request";
import { isRecord, type JsonObject } from "./http";
import { sampleFromSchema } from "./json-schema";
import { topicPhrase } from "./offline-text";

interface ToolRule {
  pattern: RegExp;
  // The first offered name wins, so one rule covers backends exposing either of two equivalent tools.
  names: string[];
}

const RULES: ToolRule[] = [
  { pattern: /\b(time|date|today|now)\b|what day/, names: ["get_current_datetime"] },
  {
    pattern: /pressure|\bbp\b|blood|systolic|diastolic|hypertens/,
    names: ["summarize_last_n_days", "get_bp_metrics_summary"],
  },
  { pattern: /sleep|slept/, names: ["get_user_sleep_metrics"] },
  { pattern: /\bsteps?\b|walk/, names: ["get_user_step_metrics"] },
  { pattern: /heart|pulse/, names: ["get_user_heart_rate_metrics"] },
  { pattern: /charg|battery|\bapp\b|calibrat|how do i/, names: ["search_faq"] },
  { pattern: /\bremember\b|note that/, names: ["save_memory"] },
  // Offered only when the backend has Intercom configured; it answers faq_first until the FAQ failed.
  { pattern: /\bsupport\b|\bhuman\b|real person/, names: ["handover_to_intercom_fin"] },
];

const NUMBER = String.raw`\d+(?:\.\d+)?`;
const OPERATOR = "(?:[-+*/^%x×÷]|times|plus|minus|divided by|multiplied by)";
const EXPRESSION = new RegExp(String.raw`\(?-?${NUMBER}(?:\s*${OPERATOR}\s*\(?-?${NUMBER}\)?)+`);

// Only treated as arithmetic when it clearly is: a date like 2024-05-01 must not trigger `calculate`.
export function extractExpression(text: string): string | undefined {
  const lower = text.toLowerCase();
  const found = lower.match(EXPRESSION)?.[0];
  if (found === undefined) return undefined;
  const asksForMath = /calculat|compute|what is|what's|how much/.test(lower);
  if (!asksForMath && !/[*/+×÷^]|times|plus|divided|multiplied/.test(found)) return undefined;
  return found
    .replace(/divided by/g, "/")
    .replace(/multiplied by|times|×|(?<=\d)\s*x\s*(?=\d)/g, "*")
    .replace(/plus/g, "+")
    .replace(/minus/g, "-")
    .replace(/÷/g, "/")
    .replace(/\s+/g, " ")
    .trim();
}

// "last 30 days", "past two weeks", "this month": fall back to a week, the app's default view.
export function requestedDays(text: string): number {
  const lower = text.toLowerCase();
  const explicit = lower.match(/(\d{1,3})\s*days?/);
  if (explicit?.[1] !== undefined) return Number(explicit[1]);
  const weeks = lower.match(/(\d{1,2}|two|three|four)\s*weeks?/);
  if (weeks?.[1] !== undefined) {
    const n = { two: 2, three: 3, four: 4 }[weeks[1]] ?? Number(weeks[1]);
    return n * 7;
  }
  if (/fortnight/.test(lower)) return 14;
  if (/month/.test(lower)) return 30;
  if (/yesterday|last night|today/.test(lower)) return 1;
  return 7;
}

function memoryText(text: string): string {
  const match = text.match(/(?:remember|note)\s+(?:that\s+)?(.+)/is);
  return (match?.[1] ?? text).trim();
}

function daysBefore(today: string, days: number): string {
  const date = new Date(`${today}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - days);
  return date.toISOString().slice(0, 10);
}

function argumentsFor(tool: ChatTool, userText: string, today: string): JsonObject {
  const days = requestedDays(userText);
  const expression = extractExpression(userText);
  const override = (key: string, schema: JsonObject): unknown => {
    const k = key.toLowerCase();
    const numeric = schema.type === "integer" || schema.type === "number";
    const isDate = schema.format === "date" || schema.format === "date-time" || /date|day$/.test(k);
    if (schema.type === "string" && isDate) {
      // A date range covering the requested window, ending today.
      const date = /start|from|since|begin/.test(k) ? daysBefore(today, Math.max(days - 1, 0)) : today;
      return schema.format === "date-time" ? `${date}T00:00:00Z` : date;
    }
    if (numeric && /day|window|period/.test(k)) return days;
    if (numeric && /^(n|k|top_?k|count|limit|max_results)$/.test(k)) return /day/.test(tool.name) ? days : 5;
    if (/expression|expr|formula/.test(k)) return expression ?? userText;
    if (tool.name === "save_memory" && /content|memory|note|fact|text|value/.test(k))
      return memoryText(userText);
    if (/query|question|search|^q$|text|topic/.test(k)) return userText;
    if (/timezone|^tz$/.test(k)) return "UTC";
    if (/locale|lang/.test(k)) return "en";
    return undefined;
  };
  const sampled = sampleFromSchema(tool.parameters ?? { type: "object", properties: {} }, {
    includeOptional: false,
    override,
    phrase: () => topicPhrase(userText, 12) || "general",
    stringList: () => [],
    today,
  });
  return isRecord(sampled) ? sampled : {};
}

export interface PlannedCall {
  name: string;
  arguments: JsonObject;
}

export function planToolCalls(userText: string, tools: readonly ChatTool[], today: string): PlannedCall[] {
  const lower = userText.toLowerCase();
  const offered = new Map(tools.map((t) => [t.name, t]));
  const chosen: ChatTool[] = [];
  const pick = (name: string): boolean => {
    const tool = offered.get(name);
    if (tool === undefined) return false;
    if (!chosen.includes(tool)) chosen.push(tool);
    return true;
  };
  for (const rule of RULES) {
    if (rule.pattern.test(lower)) rule.names.some(pick);
  }
  if (extractExpression(userText) !== undefined) pick("calculate");
  return chosen.map((tool) => ({ name: tool.name, arguments: argumentsFor(tool, userText, today) }));
}
