// Request and response schemas of the handover routes: the app's list of handovers, and what the
// Intercom webhook answers.
import { z } from "zod";

export const HANDOVER_PAGE_DEFAULT_LIMIT = 20;
export const HANDOVER_PAGE_MAX_LIMIT = 100;

export const handoverPageQuery = z.object({
  cursor: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(HANDOVER_PAGE_MAX_LIMIT).default(HANDOVER_PAGE_DEFAULT_LIMIT),
});

export const handoverList = z.object({
  handovers: z.array(
    z.object({
      handover_id: z.string(),
      session_id: z.string(),
      status: z.enum(["pending", "accepted", "failed"]),
      created_at: z.string(),
      updated_at: z.string(),
      last_reply: z
        .object({
          message_id: z.string(),
          author: z.string().nullable(),
          content: z.string(),
          created_at: z.string(),
        })
        .nullable(),
    }),
  ),
  next_cursor: z.string().nullable(),
});

export const webhookAnswer = z.object({
  status: z.enum(["pong", "duplicate", "ignored", "stored"]),
  reason: z.string().optional(),
  stored: z.number().int().optional(),
});
