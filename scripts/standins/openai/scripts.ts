// Scripted replies registered by tests through POST /_standin/script. A rule's replies are consumed in
// order by successive matching requests, which is how one tool-calling turn (several requests sharing the
// same last user message) gets its tool round and then its final answer.
//
// A chat rule has a `format`: "chat" (the default) serves only requests without a structured
// response_format, "json" only requests with a json_schema / json_object one. Follow-up calls of a turn
// (suggestions, the safety judge) repeat the user's message, so without this split they would consume
// the replies scripted for the agent.
import { z } from "zod";

const delayMs = z.number().nonnegative().optional();
const tokenDelayMs = z.number().nonnegative().optional();

const errorSpec = z.object({
  status: z.number().int().min(400).max(599),
  message: z.string().optional(),
  retryAfterSeconds: z.number().nonnegative().optional(),
  type: z.string().optional(),
  code: z.string().nullable().optional(),
});

const hangReply = z.object({ hang: z.literal(true), delayMs });
const errorReply = z.object({ error: errorSpec, delayMs });
const toolCallsReply = z.object({
  tool_calls: z
    .array(
      z.object({
        name: z.string().min(1),
        // A string is sent verbatim, so tests can inject malformed JSON arguments on purpose.
        arguments: z.union([z.record(z.string(), z.unknown()), z.string()]).default({}),
      }),
    )
    .min(1),
  content: z.string().optional(),
  tokenDelayMs,
  delayMs,
});
const contentReply = z.object({ content: z.string(), tokenDelayMs, delayMs });
const delayOnlyReply = z.object({ delayMs: z.number().nonnegative() });

// Order matters: z.object strips unknown keys, so the most specific shapes must be tried first.
export const chatReplySchema = z.union([hangReply, errorReply, toolCallsReply, contentReply]);
export const embeddingsReplySchema = z.union([hangReply, errorReply, delayOnlyReply]);

export type ChatReply = z.infer<typeof chatReplySchema>;
export type EmbeddingsReply = z.infer<typeof embeddingsReplySchema>;
export type ErrorSpec = z.infer<typeof errorSpec>;

export const scriptRequestSchema = z.discriminatedUnion("endpoint", [
  z.object({
    endpoint: z.literal("chat"),
    match: z.string(),
    format: z.enum(["chat", "json"]).default("chat"),
    // Optional: serve only requests for this model (e.g. the judge's, where other JSON calls share a turn).
    model: z.string().min(1).optional(),
    replies: z.array(chatReplySchema).min(1),
  }),
  z.object({
    endpoint: z.literal("embeddings"),
    match: z.string(),
    replies: z.array(embeddingsReplySchema).min(1),
  }),
]);

export type ScriptRequest = z.infer<typeof scriptRequestSchema>;

/** Which chat requests a rule serves: plain chat, or structured (json_schema / json_object) replies. */
export type ChatFormat = "chat" | "json";

type Rule =
  | { id: number; endpoint: "chat"; match: string; format: ChatFormat; model?: string; replies: ChatReply[] }
  | { id: number; endpoint: "embeddings"; match: string; replies: EmbeddingsReply[] };

export interface RuleSummary {
  id: number;
  endpoint: "chat" | "embeddings";
  match: string;
  format?: ChatFormat;
  remaining: number;
}

export class ScriptBook {
  private rules: Rule[] = [];
  private nextId = 1;

  add(script: ScriptRequest): RuleSummary {
    const id = this.nextId++;
    const rule: Rule =
      script.endpoint === "chat"
        ? {
            id,
            endpoint: "chat",
            match: script.match,
            format: script.format,
            model: script.model,
            replies: [...script.replies],
          }
        : { id, endpoint: "embeddings", match: script.match, replies: [...script.replies] };
    this.rules.push(rule);
    return summarise(rule);
  }

  list(): RuleSummary[] {
    return this.rules.map(summarise);
  }

  clear(): void {
    this.rules = [];
    this.nextId = 1;
  }

  takeChat(
    lastUserMessage: string,
    format: ChatFormat,
    model: string,
  ): { match: string; reply: ChatReply } | undefined {
    const rule = this.findNewest(
      (r) =>
        r.endpoint === "chat" &&
        r.format === format &&
        (r.model === undefined || r.model === model) &&
        lastUserMessage.includes(r.match),
    );
    if (rule?.endpoint !== "chat") return undefined;
    const reply = rule.replies.shift();
    this.dropIfExhausted(rule);
    return reply === undefined ? undefined : { match: rule.match, reply };
  }

  takeEmbeddings(inputs: readonly string[]): { match: string; reply: EmbeddingsReply } | undefined {
    const rule = this.findNewest(
      (r) => r.endpoint === "embeddings" && inputs.some((input) => input.includes(r.match)),
    );
    if (rule?.endpoint !== "embeddings") return undefined;
    const reply = rule.replies.shift();
    this.dropIfExhausted(rule);
    return reply === undefined ? undefined : { match: rule.match, reply };
  }

  // Newest first, so a test can override a broader rule registered earlier (e.g. in a beforeEach).
  private findNewest(predicate: (rule: Rule) => boolean): Rule | undefined {
    for (let i = this.rules.length - 1; i >= 0; i--) {
      const rule = this.rules[i];
      if (rule !== undefined && predicate(rule)) return rule;
    }
    return undefined;
  }

  private dropIfExhausted(rule: Rule): void {
    if (rule.replies.length === 0) this.rules = this.rules.filter((r) => r.id !== rule.id);
  }
}

function summarise(rule: Rule): RuleSummary {
  const summary: RuleSummary = {
    id: rule.id,
    endpoint: rule.endpoint,
    match: rule.match,
    remaining: rule.replies.length,
  };
  if (rule.endpoint === "chat") summary.format = rule.format;
  return summary;
}
