// The memory prelude is pinned when a session opens: a fact saved during the session reaches the model
// only in sessions opened after it, so every turn of a session sends a byte-identical system prompt.
import { afterAll, expect, test } from "bun:test";
import { saveFact } from "../memory/harness";
import { readSse } from "../support/sse";
import { requestsMatching, script, uniqueMatch } from "../support/standin";
import { buildTestApp, newUserId, openSession, send } from "./harness";

const app = buildTestApp();
afterAll(() => app.close());

const FACT_A = "Is vegetarian and avoids dairy";
const FACT_B = "Doctor asked them to keep salt under 5 g a day";

/** The system prompts the agent model received for requests of the turn tagged `match`, in order. */
async function systemPromptsOf(match: string): Promise<string[]> {
  // Structured calls (judge, suggestions) repeat the question but are not the agent's requests.
  const bodies = (await requestsMatching(match)).filter((body) => !body.response_format);
  return bodies.map((body) => {
    const [first] = body.messages as { role: string; content: string }[];
    expect(first?.role).toBe("system");
    return first?.content ?? "";
  });
}

async function turn(user: { userId: string; sessionId: string }, message: string, replies: unknown[]) {
  const match = uniqueMatch("prelude");
  await script(match, replies);
  const { events } = await readSse(await send(app, user, `${message} ${match}`));
  expect(events.at(-1)?.event).toBe("end");
  return { match, events };
}

test("a fact saved in turn 1 stays out of the session's prompt in turn 2, and is in a new session's prompt", async () => {
  const userId = newUserId("prelude");
  await saveFact(app, userId, FACT_A);
  const session = await openSession(app, userId);

  const first = await turn(session, "Please remember what my doctor told me about salt.", [
    { tool_calls: [{ name: "save_memory", arguments: { content: FACT_B } }] },
    { content: "I will remember that." },
  ]);
  const saved = first.events.find((event) => event.event === "tool_result");
  expect(saved?.data).toMatchObject({ name: "save_memory", ok: true, result: { status: "saved" } });

  const second = await turn(session, "Thanks, that is all for now.", [{ content: "You are welcome." }]);

  const firstPrompts = await systemPromptsOf(first.match);
  const [secondPrompt] = await systemPromptsOf(second.match);
  // Both requests of turn 1 (before and after the tool) and turn 2's carry the same bytes.
  expect(firstPrompts).toHaveLength(2);
  expect(new Set([...firstPrompts, secondPrompt]).size).toBe(1);
  expect(secondPrompt).toContain(FACT_A);
  expect(secondPrompt).not.toContain(FACT_B);

  const fresh = await openSession(app, userId);
  const third = await turn(fresh, "Hello again.", [{ content: "Hello!" }]);
  const [freshPrompt] = await systemPromptsOf(third.match);
  expect(freshPrompt).toContain(FACT_A);
  expect(freshPrompt).toContain(FACT_B);
  // Newest first: the fact saved during the first session heads the list.
  expect(freshPrompt?.indexOf(FACT_B)).toBeLessThan(freshPrompt?.indexOf(FACT_A) ?? -1);
});
