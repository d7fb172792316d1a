// What a handover sends to Intercom: the user's question and a short summary of the session, both
// passed through Layer 1's personal-information redaction. The summary quotes only the user's own
// recent messages (already redacted when they were stored; redacted again here, as the agent's
// phrasing of the question is not): support needs what the user asked, not the assistant's answers,
// which carry the user's health readings.
import { recentUserMessages } from "../chat/sessions";
import type { AppDb } from "../infra/app-db";
import { redactPersonalInfo } from "../safety";

/** How many of the user's recent messages the summary quotes. */
export const SUMMARY_USER_MESSAGES = 5;
/** Each quoted message is cut to this many characters: a summary, not a transcript. */
export const SUMMARY_MESSAGE_MAX_CHARS = 300;
export const QUESTION_MAX_CHARS = 1_000;

export interface HandoverText {
  question: string;
  summary: string;
  /** The conversation's first message in Intercom (plain text: Intercom takes no HTML there). */
  body: string;
}

export async function handoverText(
  db: AppDb,
  input: { userId: string; sessionId: string; question: string },
): Promise<HandoverText> {
  const recent = await recentUserMessages(db, input, SUMMARY_USER_MESSAGES);
  return composeHandoverText(input.question, recent.map((row) => row.content).reverse());
}

/** Pure: the redacted question, summary and body from the question and the user's messages (oldest first). */
export function composeHandoverText(question: string, userMessages: readonly string[]): HandoverText {
  const redactedQuestion = cut(redactPersonalInfo(question.trim()).text, QUESTION_MAX_CHARS);
  const lines = userMessages.map(
    (message) => `- ${cut(redactPersonalInfo(oneLine(message)).text, SUMMARY_MESSAGE_MAX_CHARS)}`,
  );
  const summary =
    lines.length === 0
      ? "The user asked for help from the support team in Ask Hilo."
      : `The user's recent messages in Ask Hilo (oldest first; personal details redacted):\n${lines.join("\n")}`;
  const body = [
    "Handover from the Ask Hilo assistant: the FAQ had no answer and the user asked to be put in touch with support.",
    "",
    `Question: ${redactedQuestion}`,
    "",
    summary,
  ].join("\n");
  return { question: redactedQuestion, summary, body };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Cuts by code points so a surrogate pair is never split. */
function cut(text: string, maxChars: number): string {
  const chars = Array.from(text);
  return chars.length <= maxChars ? text : `${chars.slice(0, maxChars - 1).join("")}…`;
}
