// A handover that cannot happen: Intercom failing at either step (5xx, a hang past the per-call
// timeout, 401) leaves one `failed` row with its error class and a turn that still completes; no
// handover without a failed FAQ lookup in the session; none offered when Intercom is not configured.
import { afterAll, expect, test } from "bun:test";
import { buildTestApp, type ChatUser, openSession, send } from "../chat/harness";
import { readSse, type SseEvent } from "../support/sse";
import { newUserId, type TestApp } from "../support/stack";
import { requestsMatching, script, uniqueMatch } from "../support/standin";
import { callsOf, conversationsOf, failNext, handoversOf, intercomOverrides } from "./harness";

const app = buildTestApp(intercomOverrides());
// A shorter per-call timeout for the injected hang (the default 3 s would only slow the test down).
const quickApp = buildTestApp(intercomOverrides({ INTERCOM_TIMEOUT_MS: "1500" }));
afterAll(async () => {
  await app.close();
  await quickApp.close();
});

const OFF_TOPIC = "Do you sponsor chess tournaments in Reykjavik?";

async function turn(target: TestApp, user: ChatUser, message: string): Promise<SseEvent[]> {
  const response = await send(target, user, message);
  expect(response.status).toBe(200);
  return (await readSse(response, { timeoutMs: 30_000 })).events;
}

/** A turn whose search_faq finds nothing (the precondition of every handover). */
async function faqMiss(target: TestApp, user: ChatUser): Promise<void> {
  const match = uniqueMatch("miss");
  await script(match, [
    { tool_calls: [{ name: "search_faq", arguments: { query: OFF_TOPIC } }] },
    { content: "The FAQ does not say. Shall I ask our support team?" },
  ]);
  const events = await turn(target, user, `${OFF_TOPIC} ${match}`);
  const result = events.find((event) => event.event === "tool_result")?.data;
  expect(result).toMatchObject({ name: "search_faq", ok: true, result: { status: "no_match" } });
}

/** A turn in which the model calls the handover; returns the turn's events. */
async function handoverTurn(target: TestApp, user: ChatUser): Promise<SseEvent[]> {
  const match = uniqueMatch("yes");
  await script(match, [
    { tool_calls: [{ name: "handover_to_intercom_fin", arguments: { question: OFF_TOPIC } }] },
    { content: "Sorry, I could not reach support just now. Anything else I can help with?" },
  ]);
  return turn(target, user, `Yes, please ask them ${match}`);
}

function handoverResult(events: SseEvent[]): Record<string, unknown> | undefined {
  const data = events.find(
    (event) => event.event === "tool_result" && event.data.name === "handover_to_intercom_fin",
  )?.data as { ok?: boolean; result?: Record<string, unknown> } | undefined;
  expect(data?.ok).toBe(true);
  return data?.result;
}

function expectCompleted(events: SseEvent[]): void {
  expect(events.map((event) => event.event)).toContain("done");
  expect(events.at(-1)?.event).toBe("end");
}

const failures = [
  {
    name: "the contact search answers 503",
    path: "/contacts/search" as const,
    mode: "5xx" as const,
    errorClass: "server_error",
    calls: ["/contacts/search 503"],
  },
  {
    name: "creating the contact answers 401",
    path: "/contacts" as const,
    mode: "401" as const,
    errorClass: "unauthorized",
    calls: ["/contacts/search 200", "/contacts 401"],
  },
  {
    name: "creating the conversation hangs past the per-call timeout",
    path: "/conversations" as const,
    mode: "timeout" as const,
    errorClass: "timeout",
    calls: ["/contacts/search 200", "/contacts 200", "/conversations 504"],
  },
  {
    name: "creating the conversation answers 503",
    path: "/conversations" as const,
    mode: "5xx" as const,
    errorClass: "server_error",
    calls: ["/contacts/search 200", "/contacts 200", "/conversations 503"],
  },
];

for (const failure of failures) {
  test(`${failure.name}: one failed row, the turn completes, nothing is retried`, async () => {
    const target = failure.mode === "timeout" ? quickApp : app;
    const user = await openSession(target, newUserId("hofail"));
    await faqMiss(target, user);
    await failNext(user.userId, failure.path, failure.mode);

    const events = await handoverTurn(target, user);
    expectCompleted(events);
    expect(handoverResult(events)).toMatchObject({ status: "failed" });

    const rows = await handoversOf(target.deps.appDb.db, user.userId);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.status).toBe("failed");
    expect(rows[0]?.error).toStartWith(`${failure.errorClass}: `);
    expect(rows[0]?.intercomConversationId).toBeNull();
    expect(await conversationsOf(user.userId)).toEqual([]);
    // The stand-in logs a held call once the client gave up on it.
    await Bun.sleep(failure.mode === "timeout" ? 200 : 0);
    expect((await callsOf(user.userId)).map((call) => `${call.path} ${call.status}`)).toEqual(failure.calls);
  });
}

test("a failed handover is final: the user's next yes opens a new row, which is accepted", async () => {
  const user = await openSession(app, newUserId("horetry"));
  await faqMiss(app, user);
  await failNext(user.userId, "/conversations", "5xx");
  expect(handoverResult(await handoverTurn(app, user))).toMatchObject({ status: "failed" });
  expect(handoverResult(await handoverTurn(app, user))).toMatchObject({ status: "accepted" });

  const rows = await handoversOf(app.deps.appDb.db, user.userId);
  expect(rows.map((row) => row.status).sort()).toEqual(["accepted", "failed"]);
  // The contact was created once and found the second time.
  expect((await callsOf(user.userId)).map((call) => call.path)).toEqual([
    "/contacts/search",
    "/contacts",
    "/conversations",
    "/contacts/search",
    "/conversations",
  ]);
  expect(await conversationsOf(user.userId)).toHaveLength(1);
});

test("no handover without a failed FAQ lookup in this session: faq_first, no row, no call to Intercom", async () => {
  const user = await openSession(app, newUserId("hofirst"));
  const events = await handoverTurn(app, user);
  expectCompleted(events);
  expect(handoverResult(events)).toMatchObject({ status: "faq_first" });
  expect(await handoversOf(app.deps.appDb.db, user.userId)).toEqual([]);
  expect(await callsOf(user.userId)).toEqual([]);
});

test("a FAQ miss in another session of the same user does not count", async () => {
  const userId = newUserId("hoother");
  const elsewhere = await openSession(app, userId);
  await faqMiss(app, elsewhere);
  const here = await openSession(app, userId);
  expect(handoverResult(await handoverTurn(app, here))).toMatchObject({ status: "faq_first" });
  expect(await handoversOf(app.deps.appDb.db, userId)).toEqual([]);
});

test("without Intercom configured the tool is not offered and the webhook is 404", async () => {
  const plain = buildTestApp();
  try {
    const user = await openSession(plain, newUserId("honone"));
    const match = uniqueMatch("nointercom");
    await script(match, [{ content: "Hello." }]);
    await turn(plain, user, `Can a human help me? ${match}`);
    const [request] = (await requestsMatching(match)).filter((body) => !body.response_format);
    const offered = ((request?.tools ?? []) as { function: { name: string } }[]).map(
      (tool) => tool.function.name,
    );
    expect(offered).toContain("search_faq");
    expect(offered).not.toContain("handover_to_intercom_fin");

    const webhook = await plain.request("/webhooks/intercom", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(webhook.status).toBe(404);
    expect(await webhook.json()).toEqual({
      error: { code: "not_found", message: "no route for POST /webhooks/intercom" },
    });
  } finally {
    await plain.close();
  }
});

test("with Intercom configured the tool is offered with its policy in the description", async () => {
  const user = await openSession(app, newUserId("hooffer"));
  const match = uniqueMatch("offered");
  await script(match, [{ content: "Hello." }]);
  await turn(app, user, `Hello ${match}`);
  const [request] = (await requestsMatching(match)).filter((body) => !body.response_format);
  const tool = (
    (request?.tools ?? []) as { function: { name: string; description: string; parameters: unknown } }[]
  ).find((candidate) => candidate.function.name === "handover_to_intercom_fin");
  expect(tool?.function.description).toContain("explicitly said yes");
  expect(tool?.function.description).toContain("Never for medical questions");
  // Identity is never an argument: only the question.
  const parameters = tool?.function.parameters as { properties?: object } | undefined;
  expect(Object.keys(parameters?.properties ?? {})).toEqual(["question"]);
});

test("the model asking twice in one turn opens one conversation", async () => {
  const user = await openSession(app, newUserId("hotwice"));
  await faqMiss(app, user);
  const match = uniqueMatch("twice");
  const call = { name: "handover_to_intercom_fin", arguments: { question: OFF_TOPIC } };
  await script(match, [{ tool_calls: [call] }, { tool_calls: [call] }, { content: "Support has it." }]);
  const events = await turn(app, user, `Yes please ${match}`);
  expectCompleted(events);
  const results = events
    .filter((event) => event.event === "tool_result" && event.data.name === "handover_to_intercom_fin")
    .map((event) => event.data.result as { status: string; handover_id: string });
  expect(results).toHaveLength(2);
  expect(results.map((result) => result.status)).toEqual(["accepted", "accepted"]);
  expect(results[1]?.handover_id).toBe(results[0]?.handover_id ?? "");
  expect(await handoversOf(app.deps.appDb.db, user.userId)).toHaveLength(1);
  expect(await conversationsOf(user.userId)).toHaveLength(1);
});

test("a medication question never reaches the handover: Layer 1 answers it first, no model, no row", async () => {
  const user = await openSession(app, newUserId("homed"));
  await faqMiss(app, user);
  const events = await turn(
    app,
    user,
    "Should I double my lisinopril dose tonight? Ask your support team please.",
  );
  expectCompleted(events);
  expect(events.some((event) => event.event === "tool_call")).toBe(false);
  expect(await handoversOf(app.deps.appDb.db, user.userId)).toEqual([]);
  expect(await callsOf(user.userId)).toEqual([]);
});
