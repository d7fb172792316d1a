// Call counters and request log behind GET /_standin/stats and /_standin/requests: tests assert how often
// and with what the backend called OpenAI, without the backend exposing any of that itself.

const SUMMARY_LIMIT = 200;
// Full bodies are large (system prompt + tools), so keep a bounded window that comfortably covers one test.
const BODY_LIMIT = 1000;
const PREVIEW_CHARS = 200;

export type Endpoint = "chat" | "embeddings";

export interface RequestSummary {
  endpoint: Endpoint;
  model: string;
  last_user_message: string;
  tools: string[];
  stream: boolean;
  at: string;
}

export interface StatsSnapshot {
  chat: number;
  embeddings: number;
  by_model: Record<string, number>;
  by_match: Record<string, number>;
  requests: RequestSummary[];
}

export class Recorder {
  private chat = 0;
  private embeddings = 0;
  private byModel = new Map<string, number>();
  private byMatch = new Map<string, number>();
  private summaries: RequestSummary[] = [];
  private chatBodies: { lastUserMessage: string; body: unknown }[] = [];

  record(entry: {
    endpoint: Endpoint;
    model: string;
    lastUserMessage: string;
    tools: string[];
    stream: boolean;
    body?: unknown;
  }): void {
    if (entry.endpoint === "chat") this.chat += 1;
    else this.embeddings += 1;
    this.byModel.set(entry.model, (this.byModel.get(entry.model) ?? 0) + 1);
    this.summaries.push({
      endpoint: entry.endpoint,
      model: entry.model,
      last_user_message: entry.lastUserMessage.slice(0, PREVIEW_CHARS),
      tools: entry.tools,
      stream: entry.stream,
      at: new Date().toISOString(),
    });
    if (this.summaries.length > SUMMARY_LIMIT)
      this.summaries.splice(0, this.summaries.length - SUMMARY_LIMIT);
    if (entry.endpoint === "chat") {
      this.chatBodies.push({ lastUserMessage: entry.lastUserMessage, body: entry.body });
      if (this.chatBodies.length > BODY_LIMIT) this.chatBodies.splice(0, this.chatBodies.length - BODY_LIMIT);
    }
  }

  recordMatch(match: string): void {
    this.byMatch.set(match, (this.byMatch.get(match) ?? 0) + 1);
  }

  chatBodiesMatching(match: string): unknown[] {
    return this.chatBodies
      .filter((entry) => entry.lastUserMessage.includes(match))
      .map((entry) => entry.body);
  }

  snapshot(): StatsSnapshot {
    return {
      chat: this.chat,
      embeddings: this.embeddings,
      by_model: Object.fromEntries(this.byModel),
      by_match: Object.fromEntries(this.byMatch),
      requests: [...this.summaries],
    };
  }

  reset(): void {
    this.chat = 0;
    this.embeddings = 0;
    this.byModel.clear();
    this.byMatch.clear();
    this.summaries = [];
    this.chatBodies = [];
  }
}
