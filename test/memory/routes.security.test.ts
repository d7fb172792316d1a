// Every way another user could reach memories that are not theirs through HTTP: listing, paging with
// someone else's cursor, and deleting by id. Another user's memory is answered like a missing one.
import { afterAll, describe, expect, test } from "bun:test";
import { buildTestApp, deleteMemory, listPage, newUserId, recall, saveFact, storedMemories } from "./harness";

const app = buildTestApp();
afterAll(() => app.close());

const FACT = "Doctor asked them to keep salt under 5 g a day";

describe("another user's memories over HTTP", () => {
  test("deleting another user's memory is a 404 like a missing one, and the memory stays", async () => {
    const owner = newUserId("mem-owner");
    const intruder = newUserId("mem-intruder");
    const saved = await saveFact(app, owner, FACT);

    const response = await deleteMemory(app, intruder, saved.memory_id);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: "not_found", message: "memory not found" } });

    expect((await storedMemories(app, owner)).map((row) => row.id)).toEqual([saved.memory_id]);
    expect((await recall(app, owner, "doctor asked to keep salt low")).matches).toHaveLength(1);
  });

  test("the list shows only the caller's memories", async () => {
    const alice = newUserId("mem-alice");
    const bob = newUserId("mem-bob");
    await saveFact(app, alice, FACT);
    await saveFact(app, bob, "Is vegetarian and avoids dairy");

    expect((await listPage(app, alice)).memories.map((memory) => memory.content)).toEqual([FACT]);
    expect((await listPage(app, bob)).memories.map((memory) => memory.content)).toEqual([
      "Is vegetarian and avoids dairy",
    ]);
  });

  test("another user's cursor pages through the caller's own memories only", async () => {
    const alice = newUserId("mem-alice-cursor");
    const bob = newUserId("mem-bob-cursor");
    await saveFact(app, alice, FACT);
    await saveFact(app, alice, "Is vegetarian and avoids dairy");
    await saveFact(app, bob, "Had a minor stroke in March 2024");
    const aliceCursor = (await listPage(app, alice, "?limit=1")).next_cursor;
    expect(aliceCursor).toBeString();

    const bobPage = await listPage(app, bob, `?cursor=${aliceCursor}`);
    expect(bobPage.memories.map((memory) => memory.content)).not.toContain(FACT);
    expect(bobPage.memories.every((memory) => memory.content === "Had a minor stroke in March 2024")).toBe(
      true,
    );
  });
});
