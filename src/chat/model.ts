// Request and response schemas of the chat routes: the contract the mobile apps build against.
import { z } from "zod";
import { hasVisibleText } from "../safety/normalise";

export const MESSAGE_MAX_CHARS = 4_000;

// Any string routes here; one that is not an id we issued is a 404 before any query (routes.ts).
export const sessionParams = z.object({ id: z.string() });
export const turnParams = z.object({ id: z.string(), turnId: z.string() });

export const pageQuery = z.object({
  cursor: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const sendBody = z.object({
  message: z
    .string()
    .trim()
    .min(1, { error: "message must not be empty", abort: true })
    .refine(hasVisibleText, "message must contain visible text")
    .refine(
      (text) => Array.from(text).length <= MESSAGE_MAX_CHARS,
      `message must be at most ${MESSAGE_MAX_CHARS} characters`,
    ),
});

// Checked as a stream id by the route (invalid_header, like the Last-Event-ID header it stands for).
export const eventsQuery = z.object({ last_event_id: z.string().optional() });

export const createdSession = z.object({ session_id: z.string(), created_at: z.string() });

export const sessionList = z.object({
  sessions: z.array(
    z.object({
      session_id: z.string(),
      title: z.string().nullable(),
      created_at: z.string(),
      last_activity_at: z.string(),
    }),
  ),
  next_cursor: z.string().nullable(),
});

export const messageList = z.object({
  messages: z.array(
    z.object({
      message_id: z.string(),
      // `support`: a reply from the support team after a handover (GET /v1/handovers); no turn_id.
      role: z.enum(["user", "assistant", "support"]),
      content: z.string(),
      turn_id: z.string().nullable(),
      // The support reply's author as Intercom names them; null for user and assistant messages.
      author: z.string().nullable(),
      created_at: z.string(),
    }),
  ),
  next_cursor: z.string().nullable(),
});

export const turnStatus = z.object({
  turn_id: z.string(),
  session_id: z.string(),
  status: z.enum(["running", "done", "failed"]),
  answer: z.string().optional(),
});

export const acceptedTurn = z.object({
  session_id: z.string(),
  turn_id: z.string(),
  status: z.enum(["thinking", "done", "failed"]),
});
