// save_memory and recall_memory through the app's tool registry against the local stack: what is
// stored, how near-duplicates merge, and how recall ranks and filters.
import { afterAll, describe, expect, test } from "bun:test";
import { uniqueMatch } from "../support/standin";
import {
  buildTestApp,
  failNextEmbedding,
  newUserId,
  okData,
  recall,
  runTool,
  saveFact,
  storedMemories,
} from "./harness";

const app = buildTestApp();
afterAll(() => app.close());

const SALT = "Doctor asked them to keep salt under 5 g a day";
const LISINOPRIL = "Takes lisinopril 10 mg every morning";
const VEGETARIAN = "Is vegetarian and avoids dairy";
const STROKE = "Had a minor stroke in March 2024";
const WALK = "Doctor asked them to walk 30 minutes a day";

describe("save_memory", () => {
  test("stores the fact with an embedding of the configured model and size, and the session it came from", async () => {
    const userId = newUserId("mem-save");
    const sessionId = Bun.randomUUIDv7();
    const result = okData(
      await runTool(app, userId, "save_memory", { content: `  ${LISINOPRIL}\n ` }, sessionId),
    );
    expect(result).toEqual({ status: "saved", memory_id: expect.any(String), content: LISINOPRIL });

    const rows = await storedMemories(app, userId);
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row?.id).toBe((result as { memory_id: string }).memory_id);
    expect(row?.content).toBe(LISINOPRIL);
    expect(row?.embeddingModel).toBe(app.deps.config.HILO_EMBEDDING_MODEL);
    expect(row?.sourceSessionId).toBe(sessionId);
    // The vector is stored compactly but exactly: every float32 of the model's answer survives.
    const { HILO_EMBEDDING_MODEL: model, HILO_EMBEDDING_DIMENSIONS: dimensions } = app.deps.config;
    const [expected] = await app.chat.llm.embed(
      { model, dimensions, input: [LISINOPRIL] },
      { signal: new AbortController().signal },
    );
    expect(row?.embedding).toHaveLength(dimensions);
    expect(Array.from(Float32Array.from(row?.embedding ?? []))).toEqual(Array.from(expected ?? []));
  });

  test("a near-duplicate of a saved fact updates that row instead of adding a second one", async () => {
    const userId = newUserId("mem-dedupe");
    const first = await saveFact(app, userId, "The user takes lisinopril 10 mg every morning");
    const [before] = await storedMemories(app, userId);
    await Bun.sleep(5);
    const second = await saveFact(app, userId, "User takes lisinopril 10 mg every morning.");

    expect(first.status).toBe("saved");
    expect(second).toEqual({
      status: "updated",
      memory_id: first.memory_id,
      content: "User takes lisinopril 10 mg every morning.",
    });
    const rows = await storedMemories(app, userId);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.content).toBe("User takes lisinopril 10 mg every morning.");
    expect(rows[0]?.createdAt).toEqual(before?.createdAt ?? new Date(0));
    expect(rows[0]?.updatedAt.getTime()).toBeGreaterThan(before?.updatedAt.getTime() ?? Infinity);
  });

  test("a related but different fact is a new row", async () => {
    const userId = newUserId("mem-distinct");
    await saveFact(app, userId, SALT);
    // Cosine ≈ 0.46 with the stand-in's embeddings: same doctor, another instruction.
    expect((await saveFact(app, userId, WALK)).status).toBe("saved");
    expect((await storedMemories(app, userId)).map((row) => row.content)).toEqual([SALT, WALK]);
  });

  test("the same fact saved twice in one tool round is merged, not inserted twice", async () => {
    const userId = newUserId("mem-parallel");
    const results = await Promise.all([
      saveFact(app, userId, "Is vegetarian and avoids dairy"),
      saveFact(app, userId, "Is vegetarian and avoids dairy."),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(["saved", "updated"]);
    expect(await storedMemories(app, userId)).toHaveLength(1);
  });
});

describe("recall_memory", () => {
  test("ranks the most related fact first and leaves out facts below the threshold", async () => {
    const userId = newUserId("mem-rank");
    // The best match is the oldest, so the order cannot come from recency.
    for (const fact of [SALT, LISINOPRIL, VEGETARIAN, STROKE, WALK]) await saveFact(app, userId, fact);

    const { matches } = await recall(app, userId, "doctor asked to keep salt low");
    expect(matches.map((match) => match.content)).toEqual([SALT, WALK]);
    const [best, second] = matches;
    expect(best?.similarity).toBeGreaterThan(second?.similarity ?? 1);
    expect(second?.similarity).toBeGreaterThanOrEqual(app.deps.config.HILO_MEMORY_RECALL_THRESHOLD);
    for (const match of matches) {
      expect(Number(match.similarity.toFixed(3))).toBe(match.similarity);
      expect(match.saved_on).toBe(new Date().toISOString().slice(0, 10));
    }
  });

  test("an unrelated query returns nothing above the threshold", async () => {
    const userId = newUserId("mem-unrelated");
    for (const fact of [SALT, LISINOPRIL, VEGETARIAN]) await saveFact(app, userId, fact);
    expect(await recall(app, userId, "favourite football team")).toEqual({ matches: [] });
  });

  test("limit caps the matches; the default is 5", async () => {
    const userId = newUserId("mem-limit");
    const foods = ["crisps", "bacon", "cheese", "soy sauce", "olives", "ready meals", "pickles"];
    for (const food of foods) await saveFact(app, userId, `Cuts salt by avoiding ${food}`);
    expect(await storedMemories(app, userId)).toHaveLength(7);
    expect((await recall(app, userId, "cuts salt", 2)).matches).toHaveLength(2);
    expect((await recall(app, userId, "cuts salt")).matches).toHaveLength(5);
    expect((await recall(app, userId, "cuts salt", 10)).matches).toHaveLength(7);
    const tooMany = await runTool(app, userId, "recall_memory", { query: "salt", limit: 11 });
    expect(tooMany).toMatchObject({ ok: false, error: { code: "invalid_arguments" } });
  });

  test("a user with no memories gets an empty answer without an embedding call", async () => {
    const match = uniqueMatch("mem-no-embed");
    // The next embedding of this query fails, which the tool would report as `unavailable`.
    await failNextEmbedding(match);
    const empty = newUserId("mem-empty");
    expect(await runTool(app, empty, "recall_memory", { query: `salt ${match}` })).toEqual({
      ok: true,
      data: { matches: [] },
    });
    // Control: a user with a memory does embed the query, and meets the scripted failure.
    const withMemory = newUserId("mem-nonempty");
    await saveFact(app, withMemory, SALT);
    expect(await runTool(app, withMemory, "recall_memory", { query: `salt ${match}` })).toMatchObject({
      ok: false,
      error: { code: "unavailable" },
    });
  });
});
