// Up to three follow-up questions the user could ask next, shown as chips after a turn's `done`.
// Fail-open: any failure or timeout gives an empty list. The answer is already with the user, and a
// missing chip must never become an error on the turn.
import { z } from "zod";
import type { Llm } from "../llm/client";
import type { Logger } from "../observability/logger";

export const MAX_SUGGESTIONS = 3;
/** Suggestions run after `done`; past this the client has moved on and they are not worth waiting for. */
export const SUGGESTIONS_TIMEOUT_MS = 8_000;
const MAX_SUGGESTION_CHARS = 120;
// Bounds the cost of the call; the gist of a long answer is in its first few thousand characters.
const MAX_ANSWER_CHARS = 4_000;

const suggestionsSchema = z.strictObject({ suggestions: z.array(z.string()) });

const INSTRUCTIONS = `You write follow-up suggestions for Ask Hilo, the health coach in the Hilo app that reads the user's watch data (blood pressure, heart rate, sleep, steps) and answers questions about the app.

Given the user's question and Ask Hilo's answer, suggest up to ${MAX_SUGGESTIONS} short questions the user could ask Ask Hilo next.
- Write them as the user would, in the first person ("How did I sleep last week?").
- Each is one short question, under 80 characters, and different from the question just asked.
- Only questions Ask Hilo can answer from the user's data or about the app, or a health goal they could set or follow ("Can you set me a goal of 8,000 steps 5 days a week?", "How is my steps goal going?"). No questions about diagnosis, medication or doses.
- No numbering, no quotes, no emoji.
Reply with JSON: {"suggestions": ["...", "..."]}.`;

export interface GenerateSuggestionsInput {
  llm: Llm;
  model: string;
  question: string;
  answer: string;
  signal: AbortSignal;
  log?: Logger;
  timeoutMs?: number;
}

/** Never throws: failures, timeouts and aborts all give []. */
export async function generateSuggestions(input: GenerateSuggestionsInput): Promise<string[]> {
  const timeoutMs = input.timeoutMs ?? SUGGESTIONS_TIMEOUT_MS;
  const signal = AbortSignal.any([input.signal, AbortSignal.timeout(timeoutMs)]);
  try {
    const reply = await input.llm.completeJson(
      {
        model: input.model,
        schemaName: "follow_up_suggestions",
        schema: suggestionsSchema,
        messages: [
          { role: "system", content: INSTRUCTIONS },
          {
            role: "user",
            content: `The user asked:\n${input.question}\n\nAsk Hilo answered:\n${input.answer.slice(0, MAX_ANSWER_CHARS)}`,
          },
        ],
      },
      { signal, deadlineMs: Date.now() + timeoutMs },
    );
    return cleanSuggestions(reply.suggestions, input.question);
  } catch (error) {
    // Fail-open (see the file header); logged so a broken suggestions call is visible, never raised.
    input.log?.warn("follow-up suggestions failed", { error });
    return [];
  }
}

/** Trims, drops list markers, empties, over-long items, repeats of the question and duplicates; keeps 3. */
export function cleanSuggestions(raw: readonly string[], question: string): string[] {
  const seen = new Set([normalise(question)]);
  const cleaned: string[] = [];
  for (const item of raw) {
    const text = item
      .replace(/\s+/g, " ")
      .replace(/^\s*(?:[-*•]|\d+[.)])\s*/, "")
      .replace(/^["'“”]+|["'“”]+$/g, "")
      .trim();
    if (text === "" || text.length > MAX_SUGGESTION_CHARS) continue;
    const key = normalise(text);
    if (seen.has(key)) continue;
    seen.add(key);
    cleaned.push(text);
    if (cleaned.length === MAX_SUGGESTIONS) break;
  }
  return cleaned;
}

function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}
