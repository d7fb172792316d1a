// Drives the OpenAI stand-in with the real openai SDK, so any drift from the wire format the SDK expects
// (chunk sequence, tool-call deltas, error envelopes, base64 embeddings) fails here first.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import type { ChatCompletionChunk, ChatCompletionTool } from "openai/resources/chat/completions";
import { z } from "zod";
import { cosineSimilarity } from "../../scripts/standins/openai/embeddings";
import { type OpenAIStandin, startOpenAIStandin } from "../../scripts/standins/openai/server";

let standin: OpenAIStandin;
let client: OpenAI;
let root: string;

beforeAll(async () => {
  standin = await startOpenAIStandin({ port: 0 });
  client = new OpenAI({ apiKey: "test", baseURL: standin.url, maxRetries: 0 });
  root = standin.url.replace(/\/v1$/, "");
});

afterAll(async () => {
  await standin.close();
});

beforeEach(async () => {
  await control("POST", "/_standin/reset");
});

async function control(method: "GET" | "POST", path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${root}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.headers.get("content-type")).toContain("application/json");
  return res.json();
}

function script(match: string, replies: unknown[], endpoint?: "chat" | "embeddings"): Promise<unknown> {
  return control("POST", "/_standin/script", { match, replies, ...(endpoint ? { endpoint } : {}) });
}

const statsSchema = z.object({
  chat: z.number(),
  embeddings: z.number(),
  by_model: z.record(z.string(), z.number()),
  by_match: z.record(z.string(), z.number()),
  requests: z.array(
    z.object({
      endpoint: z.enum(["chat", "embeddings"]),
      model: z.string(),
      last_user_message: z.string(),
      tools: z.array(z.string()),
      stream: z.boolean(),
      at: z.string(),
    }),
  ),
});

async function stats() {
  return statsSchema.parse(await control("GET", "/_standin/stats"));
}

function tool(name: string, parameters: Record<string, unknown> = { type: "object", properties: {} }) {
  return {
    type: "function",
    function: { name, description: `${name} tool`, parameters },
  } satisfies ChatCompletionTool;
}

const HEALTH_TOOLS = [
  tool("get_current_datetime", {
    type: "object",
    properties: { timezone: { type: "string" } },
    required: [],
  }),
  tool("get_bp_metrics_summary", {
    type: "object",
    properties: { days: { type: "integer", minimum: 1, maximum: 90 } },
    required: ["days"],
    additionalProperties: false,
  }),
  tool("get_user_sleep_metrics", {
    type: "object",
    properties: { days: { type: "integer" } },
    required: ["days"],
  }),
  tool("search_faq", { type: "object", properties: { query: { type: "string" } }, required: ["query"] }),
  tool("calculate", {
    type: "object",
    properties: { expression: { type: "string" } },
    required: ["expression"],
  }),
];

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

describe("chat completions", () => {
  test("streamed text is reassembled exactly, with role first, stop last and usage", async () => {
    const text = "Your average  systolic was 128 mmHg.\nThat's within range — keep it up!  ";
    await script("stream me", [{ content: text }]);
    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "please stream me something" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = await collect(stream);
    expect(chunks[0]?.choices[0]?.delta.role).toBe("assistant");
    expect(chunks.every((c) => c.object === "chat.completion.chunk")).toBe(true);
    const content = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    expect(content).toBe(text);
    expect(chunks.filter((c) => (c.choices[0]?.delta.content ?? "") !== "").length).toBeGreaterThan(5);
    const finishes = chunks
      .map((c) => c.choices[0]?.finish_reason)
      .filter((f) => f !== null && f !== undefined);
    expect(finishes).toEqual(["stop"]);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage?.total_tokens).toBeGreaterThan(0);
  });

  test("scripted tool calls arrive through the SDK stream with names and parseable arguments", async () => {
    const args = {
      days: 14,
      metrics: ["systolic", "diastolic"],
      note: "a fairly long note to force fragments",
    };
    await script("my bp", [
      {
        tool_calls: [
          { name: "get_bp_metrics_summary", arguments: args },
          { name: "get_current_datetime", arguments: {} },
        ],
      },
    ]);
    const raw = await collect(
      await client.chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "how is my bp?" }],
        tools: HEALTH_TOOLS,
        stream: true,
      }),
    );
    const argumentFragments = raw
      .flatMap((c) => c.choices[0]?.delta.tool_calls ?? [])
      .filter((d) => d.index === 0);
    expect(argumentFragments[0]?.id).toMatch(/^call_/);
    expect(argumentFragments[0]?.type).toBe("function");
    expect(argumentFragments[0]?.function?.name).toBe("get_bp_metrics_summary");
    expect(argumentFragments.length).toBeGreaterThan(2);
    expect(raw.at(-1)?.choices[0]?.finish_reason).toBe("tool_calls");

    // Same script again, consumed through the SDK's strict stream accumulator.
    await script("my bp", [
      {
        tool_calls: [
          { name: "get_bp_metrics_summary", arguments: args },
          { name: "get_current_datetime", arguments: {} },
        ],
      },
    ]);
    const helper = client.chat.completions.stream({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "how is my bp?" }],
      tools: HEALTH_TOOLS,
    });
    const final = await helper.finalChatCompletion();
    const calls = final.choices[0]?.message.tool_calls ?? [];
    expect(final.choices[0]?.finish_reason).toBe("tool_calls");
    expect(calls.map((c) => (c.type === "function" ? c.function.name : c.type))).toEqual([
      "get_bp_metrics_summary",
      "get_current_datetime",
    ]);
    const first = calls[0];
    expect(first?.type === "function" ? JSON.parse(first.function.arguments) : undefined).toEqual(args);
    expect(new Set(calls.map((c) => c.id)).size).toBe(2);
  });

  test("non-streaming completion", async () => {
    await script("plain", [{ content: "Hello from the stand-in." }]);
    const completion = await client.chat.completions.create({
      model: "gpt-4.1-mini",
      messages: [
        { role: "system", content: "You are Hilo." },
        { role: "user", content: "plain answer please" },
      ],
    });
    expect(completion.object).toBe("chat.completion");
    expect(completion.model).toBe("gpt-4.1-mini");
    expect(completion.choices[0]?.message).toMatchObject({
      role: "assistant",
      content: "Hello from the stand-in.",
    });
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);
  });

  test("a rule serves successive rounds of one turn, then falls back to offline behaviour", async () => {
    await script("weekly summary", [
      { tool_calls: [{ name: "get_bp_metrics_summary", arguments: { days: 7 } }] },
      { content: "Your week looked steady." },
    ]);
    const user = { role: "user" as const, content: "give me my weekly summary" };
    const round1 = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [user],
      tools: HEALTH_TOOLS,
    });
    const call = round1.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === "function" ? call.function.name : undefined).toBe("get_bp_metrics_summary");
    if (call === undefined) throw new Error("expected a tool call");

    const round2 = await client.chat.completions.create({
      model: "gpt-4o-mini",
      tools: HEALTH_TOOLS,
      messages: [
        user,
        { role: "assistant", content: null, tool_calls: [call] },
        {
          role: "tool",
          tool_call_id: call.id,
          content: JSON.stringify({ avg_systolic: 121, avg_diastolic: 79 }),
        },
      ],
    });
    expect(round2.choices[0]?.message.content).toBe("Your week looked steady.");
    expect(await control("GET", "/_standin/scripts")).toEqual({ scripts: [] });

    // Exhausted: the offline summariser answers, quoting only the numbers in the tool result.
    const round3 = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [
        user,
        { role: "assistant", content: null, tool_calls: [call] },
        {
          role: "tool",
          tool_call_id: call.id,
          content: JSON.stringify({ avg_systolic: 121, avg_diastolic: 79 }),
        },
      ],
    });
    expect(round3.choices[0]?.message.content).toContain("avg systolic 121");
    expect(round3.choices[0]?.message.content).toContain("avg diastolic 79");
    expect((await stats()).by_match).toEqual({ "weekly summary": 2 });
  });

  test("newest matching rule wins", async () => {
    await script("hello", [{ content: "older" }]);
    await script("hello", [{ content: "newer" }]);
    const ask = async () =>
      (
        await client.chat.completions.create({
          model: "m",
          messages: [{ role: "user", content: "hello there" }],
        })
      ).choices[0]?.message.content;
    expect(await ask()).toBe("newer");
    expect(await ask()).toBe("older");
  });

  test("chat rules skip structured (json) requests; format: json rules serve only those", async () => {
    const jsonFormat = {
      type: "json_schema" as const,
      json_schema: {
        name: "suggestions",
        strict: true,
        schema: z.toJSONSchema(z.strictObject({ suggestions: z.array(z.string()) })),
      },
    };
    const ask = (extra: Record<string, unknown> = {}) =>
      client.chat.completions
        .create({ model: "m", messages: [{ role: "user", content: "format split please" }], ...extra })
        .then((reply) => reply.choices[0]?.message.content);
    await control("POST", "/_standin/script", {
      match: "format split",
      replies: [{ content: "agent reply" }],
    });
    await control("POST", "/_standin/script", {
      match: "format split",
      format: "json",
      replies: [{ content: '{"suggestions":["scripted?"]}' }],
    });

    // The json rule is newer but does not serve the plain request; the chat rule does not serve the
    // structured ones (json_schema or json_object).
    expect(await ask()).toBe("agent reply");
    expect(await ask({ response_format: jsonFormat })).toBe('{"suggestions":["scripted?"]}');
    const unscripted = await ask({ response_format: jsonFormat });
    expect(JSON.parse(unscripted ?? "")).toHaveProperty("suggestions");
    expect(unscripted).not.toContain("scripted?");
    await script("format split", [{ content: "agent again" }]);
    expect(JSON.parse((await ask({ response_format: { type: "json_object" } })) ?? "")).toHaveProperty(
      "answer",
    );
    expect(await ask()).toBe("agent again");
    expect((await stats()).by_match).toEqual({ "format split": 3 });
  });

  test("429 surfaces as RateLimitError with Retry-After", async () => {
    await script("rate", [{ error: { status: 429, retryAfterSeconds: 7 } }]);
    const error = await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "rate limit me" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    if (!(error instanceof OpenAI.RateLimitError)) throw error;
    expect(error.status).toBe(429);
    expect(error.headers?.get("retry-after")).toBe("7");
    expect(error.code).toBe("rate_limit_exceeded");
  });

  test("500 surfaces as InternalServerError, also for streaming requests", async () => {
    await script("boom", [
      { error: { status: 500, message: "upstream exploded" } },
      { error: { status: 500 } },
    ]);
    const plain = await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "boom" }] })
      .catch((e: unknown) => e);
    expect(plain).toBeInstanceOf(OpenAI.InternalServerError);
    expect(plain instanceof Error ? plain.message : "").toContain("upstream exploded");
    const streamed = await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "boom" }], stream: true })
      .catch((e: unknown) => e);
    expect(streamed).toBeInstanceOf(OpenAI.InternalServerError);
  });

  test("a hang is ended by the client's timeout or AbortSignal", async () => {
    await script("stuck", [{ hang: true }, { hang: true }]);
    const started = Date.now();
    const timedOut = await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "stuck" }] }, { timeout: 200 })
      .catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);

    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const aborted = await client.chat.completions
      .create(
        { model: "gpt-4o-mini", messages: [{ role: "user", content: "stuck" }], stream: true },
        { signal: controller.signal },
      )
      .catch((e: unknown) => e);
    expect(aborted).toBeInstanceOf(OpenAI.APIUserAbortError);
    expect(Date.now() - started).toBeLessThan(5000);
    // The server is still responsive after abandoned requests.
    expect((await stats()).chat).toBe(2);
  });

  test("delayMs and tokenDelayMs pace the reply", async () => {
    await script("slow", [{ content: "one two three four", delayMs: 80, tokenDelayMs: 25 }]);
    const started = Date.now();
    const chunks = await collect(
      await client.chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "slow please" }],
        stream: true,
      }),
    );
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe("one two three four");
    // 80ms before the first byte, then 25ms between each of the 5 following chunks.
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
  });

  test("invalid bodies get OpenAI-shaped 400s and unknown routes 404", async () => {
    const bad = await fetch(`${standin.url}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o-mini" }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { type: "invalid_request_error", param: "messages" } });
    const missing = await fetch(`${root}/v1/nothing-here`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { message: expect.any(String) } });
    const badScript = await fetch(`${root}/_standin/script`, {
      method: "POST",
      body: JSON.stringify({ match: "x", replies: [{ text: "not a reply shape" }] }),
    });
    expect(badScript.status).toBe(400);
  });

  test("models are listed", async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toContain("gpt-4o-mini");
    expect(ids).toContain("text-embedding-3-small");
  });
});

describe("embeddings", () => {
  async function embed(input: string, dimensions?: number): Promise<number[]> {
    const res = await client.embeddings.create({ model: "text-embedding-3-small", input, dimensions });
    const vector = res.data[0]?.embedding;
    if (vector === undefined) throw new Error("no embedding returned");
    return vector;
  }

  test("deterministic and similarity-preserving", async () => {
    const a = await embed("how do I charge my watch");
    expect(a).toHaveLength(1536);
    expect(await embed("how do I charge my watch")).toEqual(a);
    const paraphrase = await embed("charging the Hilo watch battery");
    const unrelated = await embed("my blood pressure was high at night");
    expect(cosineSimilarity(a, paraphrase)).toBeGreaterThan(cosineSimilarity(a, unrelated) + 0.15);
    expect(Math.abs(cosineSimilarity(a, a) - 1)).toBeLessThan(1e-5);
  });

  test("dimensions are honoured and base64 (SDK default) decodes to the float vector", async () => {
    const small = await embed("sleep quality last week", 256);
    expect(small).toHaveLength(256);
    const float = await client.embeddings.create({
      model: "text-embedding-3-small",
      input: ["sleep quality last week", "steps"],
      dimensions: 256,
      encoding_format: "float",
    });
    expect(float.data.map((d) => d.index)).toEqual([0, 1]);
    expect(float.data[0]?.embedding).toEqual(small);
    const base64 = await client.embeddings.create({
      model: "text-embedding-3-small",
      input: "sleep quality last week",
      dimensions: 256,
      encoding_format: "base64",
    });
    expect(typeof base64.data[0]?.embedding).toBe("string");
  });

  test("scripted embeddings failures", async () => {
    await script("poison", [{ error: { status: 503 } }, { hang: true }], "embeddings");
    const failed = await client.embeddings
      .create({ model: "text-embedding-3-small", input: ["fine", "poison pill"] })
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(OpenAI.InternalServerError);
    expect(failed instanceof OpenAI.APIError ? failed.status : 0).toBe(503);
    const hung = await client.embeddings
      .create({ model: "text-embedding-3-small", input: "poison pill" }, { timeout: 150 })
      .catch((e: unknown) => e);
    expect(hung).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect(await embed("poison pill")).toHaveLength(1536);
  });
});

describe("control API", () => {
  test("stats count calls and requests returns full bodies; reset clears", async () => {
    await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [
        { role: "system", content: "SYSTEM PROMPT v1" },
        { role: "user", content: "hi, I am [REDACTED_NAME]" },
      ],
      tools: HEALTH_TOOLS,
    });
    await client.embeddings.create({ model: "text-embedding-3-large", input: "hello" });
    await script("never used", [{ content: "x" }]);

    const before = await stats();
    expect(before.chat).toBe(1);
    expect(before.embeddings).toBe(1);
    expect(before.by_model).toEqual({ "gpt-4o-mini": 1, "text-embedding-3-large": 1 });
    expect(before.requests[0]).toMatchObject({
      endpoint: "chat",
      last_user_message: "hi, I am [REDACTED_NAME]",
      tools: HEALTH_TOOLS.map((t) => t.function.name),
      stream: false,
    });
    expect(before.requests[1]).toMatchObject({ endpoint: "embeddings", last_user_message: "hello" });

    const bodies = await control("GET", `/_standin/requests?match=${encodeURIComponent("[REDACTED_NAME]")}`);
    expect(bodies).toEqual([expect.objectContaining({ model: "gpt-4o-mini" })]);
    expect(JSON.stringify(bodies)).toContain("SYSTEM PROMPT v1");
    expect(await control("GET", "/_standin/requests?match=nobody-said-this")).toEqual([]);

    await control("POST", "/_standin/reset");
    const after = await stats();
    expect(after).toEqual({ chat: 0, embeddings: 0, by_model: {}, by_match: {}, requests: [] });
    expect(await control("GET", "/_standin/scripts")).toEqual({ scripts: [] });
  });
});

describe("offline behaviour", () => {
  test("asks for get_current_datetime when asked what day it is", async () => {
    const completion = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "what day is it today?" }],
      tools: HEALTH_TOOLS,
    });
    const calls = completion.choices[0]?.message.tool_calls ?? [];
    expect(calls.map((c) => (c.type === "function" ? c.function.name : c.type))).toEqual([
      "get_current_datetime",
    ]);
    expect(completion.choices[0]?.finish_reason).toBe("tool_calls");
  });

  test("picks several tools with schema-derived arguments, and answers plainly without tools", async () => {
    const completion = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [
        { role: "user", content: "How was my blood pressure over the last 30 days, and what is 12*7?" },
      ],
      tools: HEALTH_TOOLS,
    });
    const calls = (completion.choices[0]?.message.tool_calls ?? []).flatMap((c) =>
      c.type === "function" ? [{ name: c.function.name, args: JSON.parse(c.function.arguments) }] : [],
    );
    expect(calls).toEqual([
      { name: "get_bp_metrics_summary", args: { days: 30 } },
      { name: "calculate", args: { expression: "12*7" } },
    ]);

    const plain = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Tell me a joke" }],
      tools: HEALTH_TOOLS,
    });
    expect(plain.choices[0]?.message.tool_calls).toBeUndefined();
    expect(plain.choices[0]?.message.content).toContain("Tell me a joke");
    expect((plain.choices[0]?.message.content ?? "").split(/\s+/).length).toBeLessThanOrEqual(80);
  });

  test("json_schema response_format yields conforming JSON, deterministically", async () => {
    const Suggestions = z.object({
      title: z.string().max(40),
      follow_up_questions: z.array(z.string()).min(1).max(3),
      tone: z.enum(["reassuring", "neutral"]),
      confidence: z.number().min(0).max(1),
      source: z.object({ kind: z.literal("offline"), count: z.int().min(2) }).nullable(),
    });
    const request = {
      model: "gpt-4o-mini",
      messages: [{ role: "user" as const, content: "Why is my blood pressure higher in the morning?" }],
      response_format: {
        type: "json_schema" as const,
        json_schema: { name: "suggestions", strict: true, schema: z.toJSONSchema(Suggestions) },
      },
    };
    const first = await client.chat.completions.create(request);
    const parsed = Suggestions.parse(JSON.parse(first.choices[0]?.message.content ?? ""));
    expect(parsed.follow_up_questions.join(" ")).toContain("blood pressure");
    expect(parsed.source?.count).toBe(2);
    const second = await client.chat.completions.create(request);
    expect(second.choices[0]?.message.content).toBe(first.choices[0]?.message.content);
  });
});
