// Identity stays server-side: the model cannot name a user, and one user's facts are never found,
// merged into or overwritten by another user's.
import { afterAll, describe, expect, test } from "bun:test";
import { buildTestApp, newUserId, recall, runTool, saveFact, storedMemories } from "./harness";

const app = buildTestApp();
afterAll(() => app.close());

const FACT = "Doctor asked them to keep salt under 5 g a day";

describe("memory tools and identity", () => {
  test("both tools refuse a user_id argument and touch nobody's memories", async () => {
    const caller = newUserId("mem-caller");
    const victim = newUserId("mem-victim");
    await saveFact(app, victim, FACT);

    const save = await runTool(app, caller, "save_memory", { content: FACT, user_id: victim });
    const recalled = await runTool(app, caller, "recall_memory", { query: "salt", user_id: victim });
    for (const result of [save, recalled]) {
      expect(result).toMatchObject({ ok: false, error: { code: "invalid_arguments" } });
      if (!result.ok) expect(result.error.message).toContain("user_id");
    }
    expect(await storedMemories(app, caller)).toHaveLength(0);
    expect((await storedMemories(app, victim)).map((row) => row.content)).toEqual([FACT]);
  });

  test("the schemas the model sees allow no properties beyond their own", () => {
    const exported = app.chat.tools.openAiTools().filter((tool) => tool.function.name.endsWith("_memory"));
    expect(exported.map((tool) => tool.function.name)).toEqual(["save_memory", "recall_memory"]);
    for (const tool of exported) {
      expect(tool.function.parameters.additionalProperties).toBe(false);
      expect(Object.keys(tool.function.parameters.properties as object)).not.toContain("user_id");
    }
  });

  test("one user's recall never returns another user's fact, even asked word for word", async () => {
    const owner = newUserId("mem-owner");
    const other = newUserId("mem-other");
    await saveFact(app, owner, FACT);
    await saveFact(app, other, "Is vegetarian and avoids dairy");

    expect((await recall(app, owner, FACT)).matches.map((match) => match.content)).toEqual([FACT]);
    expect(await recall(app, other, FACT)).toEqual({ matches: [] });
  });

  test("the same fact saved by another user is their own new row; the first user's row is untouched", async () => {
    const first = newUserId("mem-first");
    const second = newUserId("mem-second");
    const original = await saveFact(app, first, FACT);
    const [before] = await storedMemories(app, first);

    const copy = await saveFact(app, second, FACT);
    expect(copy.status).toBe("saved");
    expect(copy.memory_id).not.toBe(original.memory_id);
    expect(await storedMemories(app, first)).toEqual(before ? [before] : []);
    expect((await storedMemories(app, second)).map((row) => row.id)).toEqual([copy.memory_id]);
  });
});
