// The model guard beside the agent: Layer 1's backstop for messages its rules pass. Nothing of the
// agent reaches the client until the guard has answered; a guard that trips ends the turn with the
// canned reply as if Layer 1 had caught it; a guard that fails or is late lets the turn go on.
import { afterAll, describe, expect, test } from "bun:test";
import { cannedReply } from "../../src/safety/replies";
import { readSse, tokenText } from "../support/sse";
import { requestsMatching, script, uniqueMatch } from "../support/standin";
import { buildTestApp, openSession, send } from "./harness";

const app = buildTestApp();
const lateGuardApp = buildTestApp({ HILO_GUARD_DEADLINE_MS: "400" });
afterAll(async () => {
  await app.close();
  await lateGuardApp.close();
});
const GUARD_MODEL = app.deps.config.HILO_GUARD_MODEL;

function guardSays(match: string, reply: Record<string, unknown>) {
  return script(match, [reply], "json", GUARD_MODEL);
}

async function guardAudit(testApp: typeof app, turnId: string) {
  const [rows] = await testApp.deps.appDb.pool.query(
    "SELECT layer, category, action, detail FROM safety_audit WHERE turn_id = ? AND layer = 1 ORDER BY id",
    [turnId],
  );
  return (rows as { layer: number; category: string; action: string; detail: unknown }[]).map((row) => ({
    ...row,
    detail: typeof row.detail === "string" ? JSON.parse(row.detail) : row.detail,
  }));
}

describe("the model guard", () => {
  test("tripping after the agent's tool calls started: nothing of the agent leaks, the canned reply is the answer", async () => {
    const user = await openSession(app);
    const match = uniqueMatch("guardtrip");
    // The agent calls a tool and writes at once; the guard answers half a second later.
    await script(match, [
      { tool_calls: [{ name: "get_current_datetime", arguments: {} }] },
      { content: "Claro, aquí tienes tus datos de hoy." },
    ]);
    await guardSays(match, {
      delayMs: 500,
      content: JSON.stringify({ category: "emergency", language: "es" }),
    });
    const response = await send(app, user, `me siento muy raro y no puedo más ${match}`, {
      headers: { "X-Timezone": "Europe/Madrid" },
    });
    const turnId = response.headers.get("x-turn-id") ?? "";
    const { events } = await readSse(response);

    expect(events.map((event) => event.event).filter((name) => name !== "token")).toEqual(["done", "end"]);
    const answer = tokenText(events);
    expect(answer).toContain("112");
    expect(answer).not.toContain("Claro");
    expect(events.find((event) => event.event === "done")?.data.answer).toBe(answer);
    // The agent had started: its first model call (the tool round) was made.
    const agentCalls = (await requestsMatching(match)).filter((body) => body.response_format === undefined);
    expect(agentCalls.length).toBeGreaterThan(0);
    expect(await guardAudit(app, turnId)).toEqual([
      {
        layer: 1,
        category: "emergency",
        action: "crisis_reply",
        detail: { source: "model", language: "es" },
      },
    ]);
  });

  test("a medical-advice verdict declines in the message's language, with no judge or suggestions", async () => {
    const user = await openSession(app);
    const match = uniqueMatch("guardadvice");
    await script(match, [{ content: "Sure, take it whenever you like." }]);
    await guardSays(match, { content: JSON.stringify({ category: "medical_advice", language: "de" }) });
    // Vague enough that Layer 1's rules pass it: the verdict is the guard's.
    const response = await send(
      app,
      user,
      `Das kleine weiße Ding am Morgen, brauche ich das eigentlich noch? ${match}`,
    );
    const turnId = response.headers.get("x-turn-id") ?? "";
    const { events } = await readSse(response);
    expect(events.map((event) => event.event).filter((name) => name !== "token")).toEqual(["done", "end"]);
    expect(tokenText(events)).toBe(cannedReply({ outcome: "medical_advice", language: "de" }));
    expect(await guardAudit(app, turnId)).toEqual([
      {
        layer: 1,
        category: "medical_advice",
        action: "declined",
        detail: { source: "model", language: "de" },
      },
    ]);
  });

  test("a guard past its deadline lets the turn go on, audited as degraded with why", async () => {
    const user = await openSession(lateGuardApp);
    const match = uniqueMatch("guardlate");
    await script(match, [{ content: "Your readings look steady this week." }]);
    await guardSays(match, {
      delayMs: 3_000,
      content: JSON.stringify({ category: "emergency", language: "en" }),
    });
    const response = await send(lateGuardApp, user, `How was my week? ${match}`);
    const turnId = response.headers.get("x-turn-id") ?? "";
    const { events } = await readSse(response);
    expect(tokenText(events)).toBe("Your readings look steady this week.");
    expect(events.at(-1)?.event).toBe("end");
    expect(await guardAudit(lateGuardApp, turnId)).toEqual([
      {
        layer: 1,
        category: "model_guard",
        action: "guard_failed_open",
        detail: { reason: "guard did not answer within 400 ms", source: "model" },
      },
    ]);
  });

  test("a guard that errors lets the turn go on, audited as degraded", async () => {
    const user = await openSession(app);
    const match = uniqueMatch("guarderror");
    await script(match, [{ content: "Your readings look steady this week." }]);
    await guardSays(match, { error: { status: 400, message: "guard broke" } });
    const response = await send(app, user, `How was my week? ${match}`);
    const turnId = response.headers.get("x-turn-id") ?? "";
    const { events } = await readSse(response);
    expect(tokenText(events)).toBe("Your readings look steady this week.");
    const [row] = await guardAudit(app, turnId);
    expect(row).toMatchObject({ category: "model_guard", action: "guard_failed_open" });
    expect(row?.detail).toEqual({ reason: "guard failed: HTTP 400", source: "model" });
  });

  test.each([
    ["en", "How did I sleep this week?"],
    ["es", "¿Cómo he dormido esta semana?"],
    ["de", "Wie habe ich diese Woche geschlafen?"],
    ["fr", "Comment ai-je dormi cette semaine ?"],
  ])(
    "a benign message in %s passes untouched: the agent's answer, the judge and suggestions",
    async (_, text) => {
      const user = await openSession(app);
      const match = uniqueMatch("guardpass");
      await script(match, [{ content: "You slept about seven hours a night." }]);
      await guardSays(match, { content: JSON.stringify({ category: "none", language: "en" }) });
      const response = await send(app, user, `${text} ${match}`);
      const turnId = response.headers.get("x-turn-id") ?? "";
      const { events } = await readSse(response);
      expect(tokenText(events)).toBe("You slept about seven hours a night.");
      expect(events.map((event) => event.event)).toContain("eval_result");
      expect(await guardAudit(app, turnId)).toEqual([]);
    },
  );
});
