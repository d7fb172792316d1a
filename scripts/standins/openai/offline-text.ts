// Deterministic wording for the offline demo: a short topic-aware answer, follow-up suggestions, and a
// summary of tool results that only quotes values present in them, so the demo never shows made-up numbers.
import type { ToolResult } from "./chat-request";
import { isRecord } from "./http";

const MAX_ANSWER_WORDS = 80;
const MAX_FACTS = 8;

interface Topic {
  pattern: RegExp;
  advice: string;
  followUps: string[];
}

const TOPICS: Topic[] = [
  {
    pattern: /pressure|\bbp\b|blood|systolic|diastolic|hypertens/,
    advice:
      "Blood pressure naturally varies through the day, so readings taken at the same times, seated and relaxed, are the easiest to compare.",
    followUps: [
      "How did my blood pressure change this week?",
      "When is my blood pressure usually highest?",
      "What habits can help lower blood pressure?",
    ],
  },
  {
    pattern: /sleep|slept|\bnap/,
    advice: "Regular bedtimes and a calm evening routine tend to help sleep more than any single trick.",
    followUps: [
      "How much did I sleep last week?",
      "Does my sleep affect my blood pressure?",
      "What is a healthy amount of sleep?",
    ],
  },
  {
    pattern: /\bsteps?\b|walk|activity|exercise/,
    advice: "Short, regular walks spread over the day add up and are kind to your heart.",
    followUps: [
      "How many steps did I take this week?",
      "How does activity affect my blood pressure?",
      "What is a good daily step goal?",
    ],
  },
  {
    pattern: /heart|pulse|\bhr\b|bpm/,
    advice: "Resting heart rate is best compared when measured at rest at similar times of day.",
    followUps: [
      "What was my average heart rate this week?",
      "Is my resting heart rate normal?",
      "How does stress affect my pulse?",
    ],
  },
  {
    pattern: /charg|battery|\bapp\b|calibrat|sync|bluetooth|strap|watch/,
    advice:
      "Most watch questions are covered in the Hilo help centre, and keeping the app and watch up to date solves many issues.",
    followUps: [
      "How long does the battery last?",
      "How do I calibrate my Hilo watch?",
      "Why is my watch not syncing?",
    ],
  },
];

const GENERIC_FOLLOW_UPS = [
  "What were my blood pressure readings this week?",
  "How did I sleep recently?",
  "How can I make my readings more reliable?",
];

function topicFor(text: string): Topic | undefined {
  const lower = text.toLowerCase();
  return TOPICS.find((topic) => topic.pattern.test(lower));
}

export function limitWords(text: string, max = MAX_ANSWER_WORDS): string {
  const words = text.split(/\s+/).filter((w) => w !== "");
  return words.length <= max ? text : `${words.slice(0, max).join(" ")}…`;
}

export function topicPhrase(text: string, maxWords = 10): string {
  const words = text
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[?.!]+$/, "")
    .split(" ");
  const phrase = words.slice(0, maxWords).join(" ");
  return words.length > maxWords ? `${phrase}…` : phrase;
}

export function friendlyAnswer(lastUserMessage: string): string {
  const topic = topicFor(lastUserMessage);
  const echo = topicPhrase(lastUserMessage);
  const opening = echo === "" ? "Hello! I'm here to help." : `Thanks for asking about "${echo}".`;
  const body =
    topic?.advice ??
    "I can help with your blood pressure, sleep, activity and heart-rate data, or questions about the watch.";
  return limitWords(`${opening} ${body} For medical concerns, please talk to your doctor.`);
}

export function followUpQuestions(lastUserMessage: string): string[] {
  return [...(topicFor(lastUserMessage)?.followUps ?? GENERIC_FOLLOW_UPS)];
}

export function keywords(text: string, max = 3): string[] {
  const seen = new Set<string>();
  for (const word of text.toLowerCase().match(/[\p{L}]{4,}/gu) ?? []) {
    if (
      !["what", "when", "where", "which", "with", "that", "this", "have", "does", "about", "your"].includes(
        word,
      )
    ) {
      seen.add(word);
    }
    if (seen.size >= max) break;
  }
  return [...seen];
}

function humanise(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_\-.]+/g, " ")
    .toLowerCase()
    .trim();
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// Array items are labelled by their date/day/name field so "systolic 120" stays attributable to a day.
function itemLabel(item: Record<string, unknown>): string | undefined {
  for (const [key, value] of Object.entries(item)) {
    if (typeof value === "string" && /date|day|time|label|name|period/i.test(key) && value.length <= 32)
      return value;
  }
  return undefined;
}

function collectFacts(value: unknown, path: string[], context: string | undefined, out: Fact[]): void {
  if (out.length >= MAX_FACTS * 4) return;
  if (Array.isArray(value)) {
    for (const item of value) {
      const label = isRecord(item) ? itemLabel(item) : undefined;
      // A labelled item ("2024-05-01") names itself, so the array's own key would only add noise.
      collectFacts(item, label === undefined ? path : [], label ?? context, out);
    }
    return;
  }
  if (isRecord(value)) {
    for (const [key, child] of Object.entries(value)) collectFacts(child, [...path, key], context, out);
    return;
  }
  const label = [context, ...path.slice(-2).map(humanise)]
    .filter((p) => p !== undefined && p !== "")
    .join(" ");
  if (typeof value === "number" && Number.isFinite(value))
    out.push({ label, text: String(value), numeric: true });
  else if (typeof value === "string" && value.length > 0 && value.length <= 40 && value !== context) {
    out.push({ label, text: value, numeric: false });
  }
}

interface Fact {
  label: string;
  text: string;
  numeric: boolean;
}

function summariseOne(result: ToolResult): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(result.content);
  } catch {
    return topicPhrase(result.content, 20) || "no details";
  }
  const facts: Fact[] = [];
  collectFacts(parsed, [], undefined, facts);
  const numeric = facts.filter((f) => f.numeric);
  // Numbers are what people ask the watch about; strings are only quoted when a tool returned none.
  const chosen = (numeric.length > 0 ? numeric : facts).slice(0, numeric.length > 0 ? MAX_FACTS : 4);
  if (chosen.length === 0) return "no details";
  return chosen.map((f) => (f.label === "" ? f.text : `${f.label} ${f.text}`)).join(", ");
}

export function summariseToolResults(results: readonly ToolResult[]): string {
  const parts =
    results.length === 1 && results[0] !== undefined
      ? [`Here is what I found: ${summariseOne(results[0])}.`]
      : [
          "Here is what I found.",
          ...results.map(
            (r) => `${capitalise(humanise(r.name.replace(/^get_(user_)?/, "")))}: ${summariseOne(r)}.`,
          ),
        ];
  return `${limitWords(parts.join(" "), MAX_ANSWER_WORDS - 10)} Let me know if you would like more detail.`;
}
