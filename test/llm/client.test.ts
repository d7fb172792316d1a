// The model-call layer against the local OpenAI stand-in through the real openai SDK: retries (and when
// not to), Retry-After, the stream-before-first-chunk rule, the process-wide limiter and aborts.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { z } from "zod";
import type { Llm } from "../../src/llm/client";
import {
  ModelOutputError,
  ModelStreamInterruptedError,
  ModelStreamTruncatedError,
} from "../../src/llm/errors";
import { requestsMatching, script, standinOpenAI, testLlm, uniqueMatch } from "../support/standin";

const MODEL = "gpt-4o";

function ask(match: string) {
  return { model: MODEL, messages: [{ role: "user" as const, content: `please answer ${match}` }] };
}

async function collectText(stream: AsyncIterable<ChatCompletionChunk>): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
  return text;
}

function neverAborted(): { signal: AbortSignal } {
  return { signal: new AbortController().signal };
}

describe("retries", () => {
  test("a 429 is retried after the Retry-After the server sent, and the stream then succeeds", async () => {
    const match = uniqueMatch("ratelimited");
    await script(match, [{ error: { status: 429, retryAfterSeconds: 1 } }, { content: "after the wait" }]);
    const started = performance.now();
    const text = await collectText(testLlm().streamChat(ask(match), neverAborted()));
    const elapsed = performance.now() - started;
    expect(text).toBe("after the wait");
    // Our own backoff in testLlm is at most 100 ms: only the header explains a wait of a second.
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    expect(await requestsMatching(match)).toHaveLength(2);
  });

  test("a 429 on a JSON call honours retry-after too", async () => {
    const match = uniqueMatch("json-ratelimited");
    await script(
      match,
      [{ error: { status: 429, retryAfterSeconds: 0.5 } }, { content: '{"answer":"fine"}' }],
      "json",
    );
    const started = performance.now();
    const reply = await testLlm().completeJson(
      { ...ask(match), schemaName: "answer", schema: z.strictObject({ answer: z.string() }) },
      neverAborted(),
    );
    expect(reply).toEqual({ answer: "fine" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(500);
  });

  test("a 400 is not retried", async () => {
    const match = uniqueMatch("badrequest");
    await script(match, [{ error: { status: 400 } }, { content: "must never be served" }]);
    const error = await collectText(testLlm().streamChat(ask(match), neverAborted())).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(await requestsMatching(match)).toHaveLength(1);
  });

  test("500s are tried three times, then the last error is thrown", async () => {
    const match = uniqueMatch("fivehundred");
    await script(
      match,
      [
        { error: { status: 500, message: "first" } },
        { error: { status: 502, message: "second" } },
        { error: { status: 503, message: "third" } },
        { content: "a fourth attempt would get this" },
      ],
      "json",
    );
    const error = await testLlm()
      .completeJson(
        { ...ask(match), schemaName: "x", schema: z.strictObject({ x: z.string() }) },
        neverAborted(),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error instanceof Error ? error.message : "").toContain("third");
    expect(await requestsMatching(match)).toHaveLength(3);
  });

  test("a stream that fails before its first chunk is retried", async () => {
    const match = uniqueMatch("stream-503");
    await script(match, [{ error: { status: 503 } }, { content: "second time lucky" }]);
    expect(await collectText(testLlm().streamChat(ask(match), neverAborted()))).toBe("second time lucky");
    expect(await requestsMatching(match)).toHaveLength(2);
  });

  test("a stream that sends nothing within the idle timeout is abandoned and retried", async () => {
    const match = uniqueMatch("stream-hang");
    await script(match, [{ hang: true }, { content: "the retry answered" }]);
    const started = performance.now();
    const text = await collectText(
      testLlm({ streamIdleTimeoutMs: 200 }).streamChat(ask(match), neverAborted()),
    );
    expect(text).toBe("the retry answered");
    expect(performance.now() - started).toBeGreaterThanOrEqual(200);
    expect(await requestsMatching(match)).toHaveLength(2);
  });

  test("a wait longer than the cap is not sat out", async () => {
    const match = uniqueMatch("long-retry-after");
    await script(match, [{ error: { status: 429, retryAfterSeconds: 60 } }, { content: "never" }]);
    const started = performance.now();
    const error = await collectText(testLlm().streamChat(ask(match), neverAborted())).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await requestsMatching(match)).toHaveLength(1);
  });
});

describe("streams that fail after the first chunk", () => {
  // The stand-in only fails before a stream starts. This raw TCP server sends one chunk of a chunked
  // SSE response, then either drops the connection ("reset") or ends the body cleanly without a finish
  // reason ("close").
  let server: Bun.TCPSocketListener;
  let requests = 0;
  const sse = `data: ${JSON.stringify({
    id: "c",
    object: "chat.completion.chunk",
    created: 1,
    model: MODEL,
    choices: [{ index: 0, delta: { role: "assistant", content: "Hello" }, finish_reason: null }],
  })}\n\n`;
  const httpChunk = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;

  beforeAll(() => {
    server = Bun.listen({
      hostname: "127.0.0.1",
      port: 0,
      socket: {
        data(socket, data) {
          const head = data.toString();
          if (!head.startsWith("POST")) return;
          requests += 1;
          socket.write(
            "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n" +
              `connection: close\r\n\r\n${httpChunk(sse)}`,
          );
          const mode = head.includes("/reset/") ? "reset" : "close";
          setTimeout(() => {
            if (mode === "close") socket.write("0\r\n\r\n");
            socket.end();
          }, 30);
        },
      },
    });
  });

  afterAll(() => {
    server.stop(true);
  });

  for (const mode of ["reset", "close"] as const) {
    test(`a ${mode} after tokens were delivered fails without a retry`, async () => {
      requests = 0;
      const openai = new OpenAI({
        baseURL: `http://127.0.0.1:${server.port}/${mode}/v1`,
        apiKey: "x",
        maxRetries: 0,
      });
      const seen: string[] = [];
      const error = await (async () => {
        for await (const c of testLlm({ openai }).streamChat(ask("x"), neverAborted())) {
          seen.push(c.choices[0]?.delta.content ?? "");
        }
      })().catch((e: unknown) => e);
      expect(seen).toEqual(["Hello"]);
      expect(error).toBeInstanceOf(ModelStreamInterruptedError);
      if (error instanceof Error && mode === "close")
        expect(error.cause).toBeInstanceOf(ModelStreamTruncatedError);
      if (error instanceof Error && mode === "reset")
        expect(error.cause).toHaveProperty("code", "ECONNRESET");
      expect(requests).toBe(1);
    });
  }
});

describe("the process-wide limiter", () => {
  test("concurrent HTTP requests never exceed the limiter's size", async () => {
    let inFlight = 0;
    let peak = 0;
    const countingFetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      try {
        return await fetch(input, init);
      } finally {
        inFlight -= 1;
      }
    }) as typeof fetch;
    const llm = testLlm({ openai: standinOpenAI({ fetch: countingFetch }), maxConcurrent: 2 });
    const match = uniqueMatch("limited");
    await script(
      match,
      Array.from({ length: 6 }, () => ({ content: '{"ok":true}', delayMs: 150 })),
      "json",
    );
    const started = performance.now();
    const replies = await Promise.all(
      Array.from({ length: 6 }, () =>
        llm.completeJson(
          { ...ask(match), schemaName: "ok", schema: z.strictObject({ ok: z.boolean() }) },
          neverAborted(),
        ),
      ),
    );
    expect(replies).toEqual(Array.from({ length: 6 }, () => ({ ok: true })));
    expect(peak).toBe(2);
    // Six calls of 150 ms, two at a time: three waves.
    expect(performance.now() - started).toBeGreaterThanOrEqual(440);
  });

  test("a stream holds its slot until the caller has read it to the end", async () => {
    const llm = testLlm({ maxConcurrent: 2 });
    const match = uniqueMatch("limited-stream");
    await script(
      match,
      Array.from({ length: 5 }, () => ({ content: "one two three four", tokenDelayMs: 20 })),
    );
    let open = 0;
    let peak = 0;
    const read = async () => {
      let first = true;
      for await (const _chunk of llm.streamChat(ask(match), neverAborted())) {
        if (first) {
          open += 1;
          peak = Math.max(peak, open);
          first = false;
        }
      }
      open -= 1;
    };
    await Promise.all(Array.from({ length: 5 }, read));
    expect(peak).toBe(2);
    expect(llm.limiter.active).toBe(0);
  });

  test("a call aborted while queued leaves the queue and never reaches the model", async () => {
    const llm = testLlm({ maxConcurrent: 1 });
    const busy = uniqueMatch("busy");
    const queued = uniqueMatch("queued");
    await script(busy, [{ content: "slow", delayMs: 400 }]);
    await script(queued, [{ content: "never" }]);
    const holding = collectText(llm.streamChat(ask(busy), neverAborted()));
    await Bun.sleep(20);
    const controller = new AbortController();
    const started = performance.now();
    const waiting = collectText(llm.streamChat(ask(queued), { signal: controller.signal })).catch(
      (e: unknown) => e,
    );
    await Bun.sleep(20);
    expect(llm.limiter.queued).toBe(1);
    const reason = new Error("turn budget spent");
    controller.abort(reason);
    expect(await waiting).toBe(reason);
    expect(performance.now() - started).toBeLessThan(200);
    expect(llm.limiter.queued).toBe(0);
    expect(await holding).toBe("slow");
    expect(await requestsMatching(queued)).toHaveLength(0);
  });
});

describe("aborts and structured replies", () => {
  test("aborting mid-stream throws the signal's reason promptly", async () => {
    const llm: Llm = testLlm();
    const match = uniqueMatch("abort-mid");
    await script(match, [{ content: "a b c d e f g h i j k l m n o p", tokenDelayMs: 100 }]);
    const controller = new AbortController();
    const reason = new Error("stop now");
    let tokens = 0;
    let abortedAt = 0;
    const error = await (async () => {
      for await (const c of llm.streamChat(ask(match), { signal: controller.signal })) {
        if (c.choices[0]?.delta.content) tokens += 1;
        if (tokens === 2) {
          abortedAt = performance.now();
          controller.abort(reason);
        }
      }
    })().catch((e: unknown) => e);
    expect(error).toBe(reason);
    expect(performance.now() - abortedAt).toBeLessThan(100);
    expect(llm.limiter.active).toBe(0);
  });

  test("a reply that does not match the schema is a ModelOutputError, not retried", async () => {
    const match = uniqueMatch("bad-json");
    await script(match, [{ content: '{"answer": 42}' }, { content: "not json at all" }], "json");
    const llm = testLlm();
    const schema = z.strictObject({ answer: z.string() });
    const mismatch = await llm
      .completeJson({ ...ask(match), schemaName: "a", schema }, neverAborted())
      .catch((e: unknown) => e);
    expect(mismatch).toBeInstanceOf(ModelOutputError);
    const notJson = await llm
      .completeJson({ ...ask(match), schemaName: "a", schema }, neverAborted())
      .catch((e: unknown) => e);
    expect(notJson).toBeInstanceOf(ModelOutputError);
    expect(await requestsMatching(match)).toHaveLength(2);
  });

  test("the request carries a strict json_schema built from the zod schema", async () => {
    const match = uniqueMatch("schema-sent");
    await script(match, [{ content: '{"n":1}' }], "json");
    await testLlm().completeJson(
      { ...ask(match), schemaName: "numbers", schema: z.strictObject({ n: z.number() }) },
      neverAborted(),
    );
    const [body] = await requestsMatching(match);
    expect(body?.response_format).toEqual({
      type: "json_schema",
      json_schema: {
        name: "numbers",
        strict: true,
        schema: {
          type: "object",
          properties: { n: { type: "number" } },
          required: ["n"],
          additionalProperties: false,
        },
      },
    });
    expect(body?.stream).toBe(false);
  });
});
