// Request and response schemas of the memory routes: the contract the mobile apps build against.
import { z } from "zod";

export const MEMORY_PAGE_DEFAULT_LIMIT = 20;
export const MEMORY_PAGE_MAX_LIMIT = 100;

export const memoryPageQuery = z.object({
  cursor: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(MEMORY_PAGE_MAX_LIMIT).default(MEMORY_PAGE_DEFAULT_LIMIT),
});

// Any string routes here; one that is not an id we issued is a 404 before any query (routes.ts).
export const memoryParams = z.object({ id: z.string() });

export const memoryList = z.object({
  memories: z.array(
    z.object({
      memory_id: z.string(),
      content: z.string(),
      created_at: z.string(),
      updated_at: z.string(),
    }),
  ),
  next_cursor: z.string().nullable(),
});
