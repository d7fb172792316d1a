// The model guard's verdicts on their own: the stand-in's offline answer passes, a scripted category
// becomes Layer 1's canned reply in the right language, and failures are degraded, never thrown.
import { describe, expect, test } from "bun:test";
import { createLogger } from "../../src/observability/logger";
import { guardMessage } from "../../src/safety/guard";
import { cannedReply } from "../../src/safety/replies";
import { script, testLlm, uniqueMatch } from "../support/standin";

const MODEL = "guard-model";
const guard = (message: string, deadlineMs = 2_000) =>
  guardMessage({
    llm: testLlm(),
    model: MODEL,
    message,
    timezone: "Europe/Paris",
    deadlineMs,
    signal: new AbortController().signal,
    log: createLogger("error"),
  });

describe("guardMessage", () => {
  test("the stand-in's offline answer (no script) lets the message pass", async () => {
    expect(await guard(`How did I sleep? ${uniqueMatch("offline")}`)).toEqual({ kind: "pass" });
  });

  test("a category becomes the canned reply for the zone, in the language the guard names", async () => {
    const match = uniqueMatch("trip");
    await script(
      match,
      [{ content: JSON.stringify({ category: "injection", language: "fr" }) }],
      "json",
      MODEL,
    );
    expect(await guard(`bonjour ${match}`)).toEqual({
      kind: "trip",
      reply: cannedReply({ outcome: "injection", language: "fr" }),
      audit: [
        { layer: 1, category: "injection", action: "blocked", detail: { source: "model", language: "fr" } },
      ],
    });
  });

  test("a language we have no replies in gets the one the message's words suggest", async () => {
    const match = uniqueMatch("other");
    await script(
      match,
      [{ content: JSON.stringify({ category: "medical_advice", language: "other" }) }],
      "json",
      MODEL,
    );
    const verdict = await guard(`¿Puedo dejar de tomar la pastilla por la mañana? ${match}`);
    expect(verdict).toMatchObject({
      kind: "trip",
      reply: cannedReply({ outcome: "medical_advice", language: "es" }),
    });
  });

  test("an error or a late answer is degraded with its reason, never thrown", async () => {
    const broken = uniqueMatch("broken");
    await script(broken, [{ error: { status: 400, message: "nope" } }], "json", MODEL);
    expect(await guard(`hi ${broken}`)).toMatchObject({ kind: "degraded" });
    const late = uniqueMatch("late");
    await script(
      late,
      [{ delayMs: 2_000, content: JSON.stringify({ category: "none", language: "en" }) }],
      "json",
      MODEL,
    );
    expect(await guard(`hi ${late}`, 200)).toEqual({
      kind: "degraded",
      audit: [
        {
          layer: 1,
          category: "model_guard",
          action: "guard_failed_open",
          detail: { reason: "guard did not answer within 200 ms", source: "model" },
        },
      ],
    });
  });
});
