// FAQ search as a verb: embed only the question, let PostgreSQL rank and filter. Used by the
// `search_faq` tool and the benchmark.
import type postgres from "postgres";
import type { Llm } from "../llm/client";
import type { FaqEmbeddingSpec } from "./schema";
import { type FaqMatch, nearestFaqEntries } from "./store";

export interface SearchFaqInput {
  sql: postgres.Sql;
  llm: Llm;
  embedding: FaqEmbeddingSpec;
  query: string;
  limit: number;
  /** HILO_FAQ_MATCH_THRESHOLD: matches below this cosine similarity are left out. */
  minSimilarity: number;
  signal: AbortSignal;
}

/** The best matches above the threshold, best first; empty when nothing is close enough. */
export async function searchFaq(input: SearchFaqInput): Promise<FaqMatch[]> {
  const [vector] = await input.llm.embed(
    { ...input.embedding, input: [input.query] },
    { signal: input.signal },
  );
  if (vector === undefined) throw new Error("the embedding model returned no vector for the query");
  return nearestFaqEntries(input.sql, vector, { limit: input.limit, minSimilarity: input.minSimilarity });
}
