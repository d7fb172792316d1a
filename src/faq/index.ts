// The FAQ capability's public surface: the CSV format, the schema `hilo migrate` owns and start-up
// checks, the idempotent ingest, the search verb and the agent's `search_faq` tool.
export { type CsvProblem, type FaqRow, parseFaqCsv } from "./csv";
export { type FaqIngestCounts, ingestFaq } from "./ingest";
export {
  checkFaqSchema,
  ensureFaqSchema,
  type FaqEmbeddingSpec,
  FaqSchemaError,
} from "./schema";
export { searchFaq } from "./search";
export { FaqChangedDuringIngestError, type FaqMatch } from "./store";
export { searchFaqTool } from "./tool";
