// GET /v1/memories and DELETE /v1/memories/:id on the real app: paging, and a delete that is
// forgotten everywhere this process looks, including its warm recall cache.
import { afterAll, describe, expect, test } from "bun:test";
import { buildTestApp, deleteMemory, listPage, newUserId, recall, saveFact, storedMemories } from "./harness";

const app = buildTestApp();
afterAll(() => app.close());

describe("GET /v1/memories", () => {
  test("lists the user's memories newest first, in pages joined by next_cursor", async () => {
    const userId = newUserId("mem-list");
    const facts = [
      "Takes lisinopril 10 mg every morning",
      "Is vegetarian and avoids dairy",
      "Had a minor stroke in March 2024",
    ] as const;
    const saved = [];
    for (const fact of facts) saved.push(await saveFact(app, userId, fact));

    const first = await listPage(app, userId, "?limit=2");
    expect(first.memories.map((memory) => memory.content)).toEqual([facts[2], facts[1]]);
    expect(first.memories[0]).toEqual({
      memory_id: saved[2]?.memory_id ?? "",
      content: facts[2],
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    expect(first.next_cursor).toBeString();

    const second = await listPage(app, userId, `?limit=2&cursor=${first.next_cursor}`);
    expect(second.memories.map((memory) => memory.content)).toEqual([facts[0]]);
    expect(second.next_cursor).toBeNull();
  });

  test("a fact updated by a near-duplicate moves to the top of the list", async () => {
    const userId = newUserId("mem-bump");
    await saveFact(app, userId, "The user takes lisinopril 10 mg every morning");
    await saveFact(app, userId, "Is vegetarian and avoids dairy");
    await Bun.sleep(5);
    await saveFact(app, userId, "User takes lisinopril 10 mg every morning.");

    const { memories } = await listPage(app, userId);
    expect(memories.map((memory) => memory.content)).toEqual([
      "User takes lisinopril 10 mg every morning.",
      "Is vegetarian and avoids dairy",
    ]);
    expect(memories[0]?.updated_at).not.toBe(memories[0]?.created_at);
  });

  test("a user with no memories gets an empty list", async () => {
    expect(await listPage(app, newUserId("mem-none"))).toEqual({ memories: [], next_cursor: null });
  });
});

describe("DELETE /v1/memories/:id", () => {
  test("answers 204, and the memory is gone from the table, the list and recall (cache invalidated)", async () => {
    const userId = newUserId("mem-delete");
    const salt = await saveFact(app, userId, "Doctor asked them to keep salt under 5 g a day");
    await saveFact(app, userId, "Is vegetarian and avoids dairy");
    // Warm the recall cache with the fact in it.
    expect((await recall(app, userId, "doctor asked to keep salt low")).matches).toHaveLength(1);
    const loadsBefore = app.chat.memoryCache.stats().loads;

    const response = await deleteMemory(app, userId, salt.memory_id);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");

    expect((await storedMemories(app, userId)).map((row) => row.content)).toEqual([
      "Is vegetarian and avoids dairy",
    ]);
    expect((await listPage(app, userId)).memories.map((memory) => memory.memory_id)).not.toContain(
      salt.memory_id,
    );
    expect(await recall(app, userId, "doctor asked to keep salt low")).toEqual({ matches: [] });
    // The recall reloaded the pool rather than scoring the stale cached one.
    expect(app.chat.memoryCache.stats().loads).toBe(loadsBefore + 1);
  });

  test("deleting the same memory twice answers 404 the second time", async () => {
    const userId = newUserId("mem-twice");
    const saved = await saveFact(app, userId, "Is vegetarian and avoids dairy");
    expect((await deleteMemory(app, userId, saved.memory_id)).status).toBe(204);
    expect((await deleteMemory(app, userId, saved.memory_id)).status).toBe(404);
  });
});
