// save_memory and recall_memory: the only way facts enter or leave the user's memory from a chat.
// The save policy lives in the description the model reads (seed §7: writes are tool-driven only).
import { z } from "zod";
import { defineTool, type ToolContext, type ToolDefinition } from "../agent/tool";
import { roundHalfAwayFromZero } from "../readings/rounding";
import type { MemoryPoolCache } from "./cache";
import {
  llmEmbedder,
  MEMORY_MAX_CHARS,
  type MemorySearchCtx,
  memoryThresholds,
  RECALL_DEFAULT_LIMIT,
  RECALL_MAX_LIMIT,
  RECALL_QUERY_MAX_CHARS,
  recallMemories,
  saveMemory,
} from "./service";

const SIMILARITY_DECIMALS = 3;

export interface SaveMemoryResult {
  status: "saved" | "updated";
  memory_id: string;
  content: string;
}

export interface RecallMemoryResult {
  matches: {
    content: string;
    /** Cosine similarity with the query, 3 decimals. */
    similarity: number;
    /** Day the fact was saved or last updated (UTC, as in the system prompt's list). */
    saved_on: string;
  }[];
}

const saveMemoryTool = (cache: MemoryPoolCache) =>
  defineTool({
    name: "save_memory",
    description: [
      "Remember one durable fact about the user for future conversations.",
      "Save only facts that stay true for weeks or longer: instructions from their doctor or nurse, medications",
      "they take (as they describe them), dietary preferences or restrictions, the outcome of an experiment",
      "they tried (e.g. 'walking after dinner lowered their evening readings'), and significant health events",
      "(a hospital stay, a new diagnosis they tell you about).",
      "NEVER save blood-pressure readings, heart rate, sleep, steps, weight or any other measurement, nor progress",
      "towards a goal: those are kept elsewhere and read with the other tools. Never save small talk, passing",
      "moods, your own advice, or anything the user asks you not to remember.",
      "One fact per call, as one short sentence in the user's own words; third person is fine ('Takes",
      "lisinopril 10 mg every morning.'). A fact that is already remembered is updated instead of saved twice,",
      "so save a corrected version directly. Returns status 'saved' (new) or 'updated' (replaced a close match).",
    ].join("\n"),
    input: z.strictObject({
      content: z
        .string()
        .trim()
        .min(1)
        .max(MEMORY_MAX_CHARS)
        .describe("The fact, one short sentence, e.g. 'Doctor asked them to keep salt under 5 g a day.'"),
    }),
    handler: async ({ content }, ctx): Promise<SaveMemoryResult> => {
      const saved = await saveMemory({ ctx: memorySearchCtx(ctx, cache), input: { content } });
      return { status: saved.status, memory_id: saved.memoryId, content: saved.content };
    },
  });

const recallMemoryTool = (cache: MemoryPoolCache) =>
  defineTool({
    name: "recall_memory",
    description: [
      "Search the facts saved about the user in earlier conversations, by meaning.",
      "The most recent facts are already listed in your instructions; call this for older or more specific",
      "ones (doctor's instructions, medications, diet, experiments, health events), e.g. 'what did my doctor",
      "say about salt?'. Returns the closest matches, best first, with the day each was saved. An empty list",
      "means nothing relevant is saved: say you do not know rather than guessing.",
    ].join("\n"),
    input: z.strictObject({
      query: z
        .string()
        .trim()
        .min(1)
        .max(RECALL_QUERY_MAX_CHARS)
        .describe("What to look for, in a few words or a question, e.g. 'doctor's advice on salt'."),
      limit: z
        .number()
        .int()
        .min(1)
        .max(RECALL_MAX_LIMIT)
        .default(RECALL_DEFAULT_LIMIT)
        .describe(`Most matches to return (1-${RECALL_MAX_LIMIT}). Default ${RECALL_DEFAULT_LIMIT}.`),
    }),
    handler: async ({ query, limit }, ctx): Promise<RecallMemoryResult> => {
      const matches = await recallMemories({ ctx: memorySearchCtx(ctx, cache), input: { query, limit } });
      return {
        matches: matches.map((match) => ({
          content: match.content,
          similarity: roundHalfAwayFromZero(match.similarity, SIMILARITY_DECIMALS),
          saved_on: match.savedAt.toISOString().slice(0, 10),
        })),
      };
    },
  });

/** The memory tools over one process's recall cache (shared with the memory routes, so a delete is
 * never recalled afterwards by this process). */
export function memoryTools(cache: MemoryPoolCache): readonly ToolDefinition[] {
  return [saveMemoryTool(cache), recallMemoryTool(cache)];
}

function memorySearchCtx(ctx: ToolContext, cache: MemoryPoolCache): MemorySearchCtx {
  const { config } = ctx.deps;
  return {
    userId: ctx.userId,
    db: ctx.deps.appDb.db,
    cache,
    embedder: llmEmbedder(ctx.llm, config),
    thresholds: memoryThresholds(config),
    signal: ctx.signal,
    sessionId: ctx.sessionId,
  };
}
