// `search_faq`: the product FAQ for the agent. Embeds only the question; PostgreSQL ranks and applies
// the threshold. A database or embedding failure becomes the registry's `unavailable` envelope, so the
// turn goes on without the FAQ (fail-open: a missing FAQ answer is never a safety risk).
import { z } from "zod";
import { defineTool } from "../agent/tool";
import { searchFaq } from "./search";

export const FAQ_DEFAULT_LIMIT = 3;
export const FAQ_MAX_LIMIT = 5;
/** Longer than any product question; keeps a pasted conversation from becoming one embedding input. */
export const FAQ_MAX_QUERY_CHARS = 500;

const SearchFaqInput = z.strictObject({
  query: z
    .string()
    .trim()
    .min(1)
    .max(FAQ_MAX_QUERY_CHARS)
    .describe(
      "The user's product question as one standalone question, with 'it' or 'that' resolved from the conversation, e.g. 'How do I charge the watch?'",
    ),
  limit: z
    .number()
    .int()
    .min(1)
    .max(FAQ_MAX_LIMIT)
    .optional()
    .describe(`How many entries to return at most (default ${FAQ_DEFAULT_LIMIT}).`),
});

export interface SearchFaqMatch {
  id: string;
  question: string;
  answer: string;
  /** Cosine similarity rounded to 3 decimals; higher is closer. */
  similarity: number;
}

export type SearchFaqResult = { matches: SearchFaqMatch[] } | { status: "no_match" };

export const searchFaqTool = defineTool({
  name: "search_faq",
  description: [
    "Searches the Hilo product FAQ and returns the closest entries, best first.",
    "Use it for questions about how the watch, the app or the subscription works: charging and battery, calibration with a cuff, how to wear the watch, water resistance, pairing and Bluetooth, syncing, notifications and alerts, measurement schedule, reports and data export, firmware, straps, warranty, Hilo Plus (price, cancelling), privacy and account deletion, compatible phones, and how the app computes averages, categories and time in target.",
    "Answer from the returned answer text and do not add product facts it does not contain. Not for medical questions (symptoms, medication, dosage, diagnosis) and not for the user's own readings: use the health tools for those.",
    'Returns {matches:[{id, question, answer, similarity}]}, or {status:"no_match"} when the FAQ has nothing close enough: then say you do not know rather than guessing.',
  ].join("\n"),
  input: SearchFaqInput,
  handler: async (input, ctx): Promise<SearchFaqResult> => {
    const { config } = ctx.deps;
    const matches = await searchFaq({
      sql: ctx.deps.faqDb.sql,
      llm: ctx.llm,
      embedding: { model: config.HILO_EMBEDDING_MODEL, dimensions: config.HILO_EMBEDDING_DIMENSIONS },
      query: input.query,
      limit: input.limit ?? FAQ_DEFAULT_LIMIT,
      minSimilarity: config.HILO_FAQ_MATCH_THRESHOLD,
      signal: ctx.signal,
    });
    ctx.deps.stats.faqSearch(matches.length === 0 ? "no_match" : "match");
    if (matches.length === 0) return { status: "no_match" };
    return {
      matches: matches.map((match) => ({
        id: match.id,
        question: match.question,
        answer: match.answer,
        similarity: Math.round(match.similarity * 1000) / 1000,
      })),
    };
  },
});
