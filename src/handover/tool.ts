// `handover_to_intercom_fin`: the agent's way to hand a product or support question to a person.
// Offered only when Intercom is configured (chat/tools.ts). The description carries the policy; the
// server enforces its checkable half (a failed FAQ lookup in this session) in requestHandover. The
// user and session come from the turn, never from the arguments.
import { z } from "zod";
import { defineTool, type ToolDefinition } from "../agent/tool";
import { requestHandover } from "./handover";
import type { IntercomSettings } from "./intercom-api";
import { QUESTION_MAX_CHARS } from "./summary";

export const HANDOVER_TOOL_NAME = "handover_to_intercom_fin";

const HandoverInput = z.strictObject({
  question: z
    .string()
    .trim()
    .min(1)
    .max(QUESTION_MAX_CHARS)
    .describe(
      "The user's product or support question as one standalone question for the support team, e.g. 'Can I move my Hilo Plus subscription to another account?'",
    ),
});

/** What the model is told after a call; `message` says what to tell the user. */
export type HandoverToolResult =
  | { status: "faq_first"; message: string }
  | { status: "accepted"; handover_id: string; message: string }
  | { status: "failed"; handover_id: string | null; message: string };

export function handoverTool(intercom: IntercomSettings): ToolDefinition<typeof HandoverInput> {
  return defineTool({
    name: HANDOVER_TOOL_NAME,
    description: [
      "Hands the user's product or support question to the Hilo support team (Intercom; an agent or Fin answers), whose reply appears later in this chat.",
      "Call it only when all of these hold: the question is about the product, the app, the watch, the account or the subscription; search_faq was tried in this conversation and found no answer; you offered to connect the user with support and the user explicitly said yes.",
      "Never for medical questions (symptoms, medication, dosage, diagnosis, readings): those are answered by the safety guidance, never by support.",
      'Returns {status:"accepted"}: tell the user support has their question and will reply in this chat. {status:"faq_first"}: search the FAQ first. {status:"failed"}: apologise in one short clause that support could not be reached right now and carry on.',
    ].join("\n"),
    input: HandoverInput,
    handler: async (input, ctx): Promise<HandoverToolResult> => {
      const outcome = await requestHandover({
        ctx: {
          deps: ctx.deps,
          intercom,
          userId: ctx.userId,
          sessionId: ctx.sessionId,
          turnId: ctx.turnId,
          log: ctx.log,
          signal: ctx.signal,
        },
        input: { question: input.question },
      });
      switch (outcome.status) {
        case "faq_first":
          return {
            status: "faq_first",
            message: "No failed FAQ search in this conversation yet: search the FAQ with search_faq first.",
          };
        case "accepted":
          return {
            status: "accepted",
            handover_id: outcome.handover_id,
            message: "The support team has the question; their reply will appear in this chat.",
          };
        case "failed":
          return {
            status: "failed",
            handover_id: outcome.handover_id,
            message: "Support could not be reached right now: apologise in one short clause and carry on.",
          };
      }
    },
  });
}
