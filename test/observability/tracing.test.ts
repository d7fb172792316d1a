// Langfuse tracing of model calls: off unless all three settings are set; when on, a streamed model call
// made inside a turn's scope reaches the configured Langfuse base URL as an OTLP trace export, with the
// project keys as Basic auth and the user, session and turn on the generation. Langfuse cannot run
// here, so the test listens on the base URL itself and records what arrives; the model call goes to
// the stack's OpenAI stand-in.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTracing, TRACING_OFF } from "../../src/infra/tracing";
import { testConfig } from "../support/stack";
import { script, standinOpenAI, testLlm, uniqueMatch } from "../support/standin";

interface Received {
  path: string;
  authorization: string | null;
  body: string;
}

const received: Received[] = [];
let sink: ReturnType<typeof Bun.serve>;

beforeAll(() => {
  sink = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      received.push({
        path: new URL(request.url).pathname,
        authorization: request.headers.get("authorization"),
        body: await request.text(),
      });
      return Response.json({});
    },
  });
});

afterAll(() => {
  sink.stop(true);
});

describe("tracing", () => {
  test("without all three Langfuse settings nothing is set up and calls use the client itself", async () => {
    const partial = testConfig({ LANGFUSE_PUBLIC_KEY: "pk-lf-test", LANGFUSE_SECRET_KEY: "sk-lf-test" });
    const tracing = await startTracing(partial);
    expect(tracing).toBe(TRACING_OFF);
    const openai = standinOpenAI();
    expect(tracing.observe(openai, { name: "agent_round" })).toBe(openai);
  });

  test("a streamed call in a turn's scope is exported to Langfuse with the user, session and turn", async () => {
    const config = testConfig({
      LANGFUSE_PUBLIC_KEY: "pk-lf-test",
      LANGFUSE_SECRET_KEY: "sk-lf-test",
      LANGFUSE_BASE_URL: `http://127.0.0.1:${sink.port}`,
    });
    const tracing = await startTracing(config);
    expect(tracing.enabled).toBe(true);
    const match = uniqueMatch("traced");
    await script(match, [{ content: "Traced reply." }]);
    const llm = testLlm({ tracing });
    const scope = { userId: `user-${match}`, sessionId: `session-${match}`, turnId: `turn-${match}` };
    let text = "";
    await tracing.inScope(scope, async () => {
      const stream = llm.streamChat(
        { model: "gpt-4o", messages: [{ role: "user", content: `Hello ${match}` }] },
        { signal: new AbortController().signal, trace: { name: "agent_round" } },
      );
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    });
    expect(text).toBe("Traced reply.");
    await tracing.shutdown(); // flushes what the span processor still holds

    const exports = received.filter((request) => request.path === "/api/public/otel/v1/traces");
    expect(exports.length).toBeGreaterThan(0);
    expect(exports[0]?.authorization).toBe(`Basic ${btoa("pk-lf-test:sk-lf-test")}`);
    const body = exports.map((request) => request.body).join("\n");
    for (const expected of [
      scope.userId,
      scope.sessionId,
      scope.turnId,
      "chat_turn",
      "agent_round",
      "Traced reply.",
    ]) {
      expect(body).toContain(expected);
    }
  });
});
