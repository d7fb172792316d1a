// Request schemas of the dev routes (the contract is written out at the top of routes.ts).
import { z } from "zod";
import { QA_MAX_QUESTIONS } from "../qa/csv";

export const devLoginBody = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
});

/** What src/dev/upload.ts made of the body; anything else never came through that reader. */
export const qaUploadBody = z.object({
  csv: z.string(),
  filename: z.string().max(200).nullable(),
});

export const qaRunListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** A page of a run's results: positions after `after`, at most `limit` (default: every question). */
export const qaRunResultsQuery = z.object({
  after: z.coerce.number().int().min(0).max(QA_MAX_QUESTIONS).default(0),
  limit: z.coerce.number().int().min(1).max(QA_MAX_QUESTIONS).default(QA_MAX_QUESTIONS),
});
