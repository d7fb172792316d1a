// Only a FAQ search that found nothing opens the way to a handover: one that found an answer does
// not. Runs on a scratch PostgreSQL with one FAQ entry, so the match does not depend on what the
// stack's FAQ holds.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { ingestFaq } from "../../src/faq/ingest";
import { ensureFaqSchema } from "../../src/faq/schema";
import { buildTestApp, openSession, send } from "../chat/harness";
import { type ScratchPostgres, startScratchPostgres, uniqueEmbeddingModel } from "../faq/harness";
import { readSse } from "../support/sse";
import { newUserId, type TestApp } from "../support/stack";
import { script, testLlm, uniqueMatch } from "../support/standin";
import { callsOf, handoversOf, intercomOverrides } from "./harness";

const QUESTION = "How do I cancel my Hilo Plus subscription?";
const model = uniqueEmbeddingModel();
let pg: ScratchPostgres;
let app: TestApp;

beforeAll(async () => {
  pg = await startScratchPostgres();
  const embedding = { model, dimensions: 1536 };
  await ensureFaqSchema(pg.sql, embedding);
  await ingestFaq({
    sql: pg.sql,
    llm: testLlm(),
    embedding,
    rows: [
      {
        id: "faq-cancel",
        question: QUESTION,
        answer: "Cancel it in your app store's subscriptions.",
        line: 2,
      },
    ],
    signal: new AbortController().signal,
  });
  app = buildTestApp(intercomOverrides({ FAQ_DB_URL: pg.url, HILO_EMBEDDING_MODEL: model }));
}, 30_000);

afterAll(async () => {
  await app?.close();
  await pg?.stop();
});

test("a FAQ search that found an answer does not count as a failed lookup", async () => {
  const user = await openSession(app, newUserId("hofound"));
  const found = uniqueMatch("found");
  await script(found, [
    { tool_calls: [{ name: "search_faq", arguments: { query: QUESTION } }] },
    { content: "Cancel it in your app store's subscriptions." },
  ]);
  const first = (await readSse(await send(app, user, `${QUESTION} ${found}`), { timeoutMs: 30_000 })).events;
  expect(first.find((event) => event.event === "tool_result")?.data).toMatchObject({
    ok: true,
    result: { matches: [{ id: "faq-cancel" }] },
  });

  const yes = uniqueMatch("yes");
  await script(yes, [
    { tool_calls: [{ name: "handover_to_intercom_fin", arguments: { question: QUESTION } }] },
    { content: "Here is how to cancel." },
  ]);
  const second = (await readSse(await send(app, user, `Ask support anyway ${yes}`), { timeoutMs: 30_000 }))
    .events;
  expect(
    second.find((event) => event.event === "tool_result" && event.data.name === "handover_to_intercom_fin")
      ?.data,
  ).toMatchObject({ ok: true, result: { status: "faq_first" } });
  expect(await handoversOf(app.deps.appDb.db, user.userId)).toEqual([]);
  expect(await callsOf(user.userId)).toEqual([]);
});
