// The console in a real browser (headless Chromium from Debian's packages, driven by playwright-core):
// sign in through the dev login, chat with tokens streaming in, cut the connection mid-turn and see it
// resume with Last-Event-ID and finish without a gap, then run a 3-question QA evaluation through a real
// worker process and see its results table. Screenshots go to .local/console/ for people to look at.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { type Browser, chromium, type Page } from "playwright-core";
import { chatMessages, devUsers } from "../../src/db/schema";
import { upsertDevUser } from "../../src/dev/users";
import { insertEvaluations, insertGoal } from "../goals/harness";
import { type LiveApi, startLiveApi } from "../support/live-api";
import { type HiloProcess, ROOT, spawnHilo, stackEnv } from "../support/processes";
import { clientHeaders, newUserId, testConfig } from "../support/stack";
import { script, uniqueMatch } from "../support/standin";
import { CHROMIUM_ARGS, CHROMIUM_MISSING, findChromium, isCi } from "./chromium";

const SCREENSHOTS = join(ROOT, ".local/console");
const chromiumPath = findChromium();

/** Polls `check` from the test's side until it holds (the page is looked at, never evaluated). */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(25);
  }
}

if (!chromiumPath) {
  if (isCi()) {
    test("Chromium is installed for the console's browser test", () => {
      throw new Error(CHROMIUM_MISSING);
    });
  } else {
    console.warn(`[skip] test/console/browser.test.ts: ${CHROMIUM_MISSING}`);
  }
}

describe.skipIf(!chromiumPath)("the console in Chromium", () => {
  const username = `console-${crypto.randomUUID().slice(0, 8)}`;
  const password = `pw-${crypto.randomUUID()}`;
  let api: LiveApi;
  let worker: HiloProcess;
  let browser: Browser;
  let page: Page;
  const actingUser = newUserId("console");
  let memoryMark = "";

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    // Api, worker and browser start side by side (each takes seconds). The worker is a real process,
    // consuming the QA questions the api queues.
    worker = spawnHilo(["worker", "--queues", "qa-question"], stackEnv());
    const launching = chromium
      .launch({ executablePath: chromiumPath ?? undefined, headless: true, args: CHROMIUM_ARGS })
      .then((launched) => {
        browser = launched;
        return launched;
      });
    api = await startLiveApi({ HILO_ENV: "test" });
    await upsertDevUser(api.deps.appDb.db, username, password);
    await worker.waitFor('"ready"', 30_000);
    page = await (await launching).newPage({ viewport: { width: 1280, height: 1000 } });
    page.setDefaultTimeout(30_000);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (worker) {
      worker.proc.kill("SIGTERM");
      await worker.exited;
    }
    if (api) {
      await api.deps.appDb.db.delete(devUsers).where(eq(devUsers.username, username));
      await api.stop();
    }
  });

  test("a wrong password is refused on the sign-in form", async () => {
    await page.goto(`${api.url}/console`);
    await page.getByLabel("Username").fill(username);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByTestId("login-submit").click();
    const error = page.getByTestId("login-error");
    await until("the login error", async () => ((await error.textContent()) ?? "") !== "");
    expect(await error.textContent()).toContain("unauthorized");
    expect(await page.getByTestId("workspace").isHidden()).toBe(true);
  });

  test("sign in, chat with streamed tokens, drop the connection, resume without a gap", async () => {
    await page.getByLabel("Password").fill(password);
    await page.getByTestId("login-submit").click();
    await page.getByTestId("workspace").waitFor({ state: "visible" });
    expect(await page.getByTestId("signed-in-as").textContent()).toContain(username);

    await page.getByLabel("Demo user").fill(actingUser);
    await page.getByLabel("Demo user").dispatchEvent("change");

    const match = uniqueMatch("console");
    memoryMark = match;
    // Slow tokens, so the answer is visibly streaming when the connection is cut.
    const answer = Array.from({ length: 80 }, (_, i) => `word${i}`).join(" ");
    await script(match, [
      {
        tool_calls: [
          { name: "calculate", arguments: { expression: "(120+130)/2" } },
          { name: "save_memory", arguments: { content: `Walks every morning before work ${match}` } },
        ],
      },
      { content: answer, tokenDelayMs: 40 },
    ]);
    await page.getByLabel("Message").fill(`How was my week? ${match}`);
    await page.getByTestId("chat-send").click();

    const turn = page.getByTestId("turn").last();
    const answerBox = turn.getByTestId("turn-answer");
    // Tokens arrive while the turn is still streaming, and the text grows between two looks.
    let early = "";
    await until("tokens while streaming", async () => {
      early = (await answerBox.textContent()) ?? "";
      return (await turn.getAttribute("data-phase")) === "streaming" && early.length > 0;
    });
    await until("more tokens", async () => ((await answerBox.textContent()) ?? "").length > early.length);
    expect(answer.startsWith(early)).toBe(true);
    expect(await turn.getAttribute("data-phase")).toBe("streaming");
    const tools = await turn.getByTestId("tool-activity").allTextContents();
    expect(tools.map((line) => line.split(" ")[1])).toEqual(["calculate", "save_memory"]);
    for (const line of tools) expect(line).toContain("→ ok");

    await page.getByTestId("chat-drop").click();
    const atDrop = Number(await turn.getAttribute("data-events"));
    await expect(turn.getByTestId("turn-connection").textContent()).resolves.toContain("dropped by you");
    await page.screenshot({ path: join(SCREENSHOTS, "chat-dropped.png"), fullPage: true });

    await until("the turn's end", async () =>
      ["ended", "failed"].includes((await turn.getAttribute("data-phase")) ?? ""),
    );
    expect(await turn.getAttribute("data-phase")).toBe("ended");
    expect(await answerBox.textContent()).toBe(answer);
    // The page's own check: the tokens of both connections add up to `done`'s answer, every event
    // after the one before it, no id twice.
    expect(await turn.getByTestId("turn-integrity").getAttribute("data-status")).toBe("complete");
    expect(await turn.getByTestId("turn-integrity").textContent()).toContain("resumed 1×");
    expect(await turn.getByTestId("turn-connection").textContent()).toContain("Resumed with Last-Event-ID");
    // The resume brought the rest of the turn: events after the cut, the answer among them.
    expect(Number(await turn.getAttribute("data-events"))).toBeGreaterThan(atDrop);
    const log = await turn.getByTestId("turn-events").locator("li").allTextContents();
    const resumedAt = log.findIndex((line) => line.includes("resumed with Last-Event-ID"));
    expect(resumedAt).toBeGreaterThan(0);
    expect(log.slice(resumedAt).some((line) => /\bdone\b/.test(line))).toBe(true);
    expect(log.at(-1)).toContain(" end ");
    expect(await turn.getByTestId("verdict").textContent()).toBe("approved");
    await page.screenshot({ path: join(SCREENSHOTS, "chat-resumed.png"), fullPage: true });
  }, 60_000);

  test("sessions show their history with support replies set apart; a memory is deleted; a goal is charted", async () => {
    const sessionId = (await page.getByTestId("chat-session").textContent()) ?? "";
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    // A support reply, as the Intercom webhook stores one after a handover.
    await api.deps.appDb.db.insert(chatMessages).values({
      id: Bun.randomUUIDv7(),
      sessionId,
      userId: actingUser,
      role: "support",
      content: "Hi, this is Sam from support: your watch data looks fine.",
      authorName: "Sam",
      intercomPartId: `part-${crypto.randomUUID()}`,
    });

    await page.getByTestId("tab-sessions").click();
    const session = page.locator(`[data-testid="session-item"][data-session-id="${sessionId}"]`);
    await session.waitFor();
    expect(await session.textContent()).toContain("How was my week?");
    await session.getByTestId("session-open").click();
    const history = page.getByTestId("history-message");
    await until("the session's history", async () => (await history.count()) === 3);
    const roles = await history.evaluateAll((items) => items.map((item) => item.getAttribute("data-role")));
    expect(roles).toEqual(["user", "assistant", "support"]);
    const support = history.nth(2);
    expect(await support.getAttribute("class")).toContain("support");
    expect(await support.textContent()).toContain("support team: Sam");
    await page.screenshot({ path: join(SCREENSHOTS, "sessions.png"), fullPage: true });

    await page.getByTestId("tab-memories").click();
    const memory = page.getByTestId("memory-item").filter({ hasText: memoryMark });
    await memory.waitFor();
    await memory.getByTestId("memory-delete").click();
    await memory.waitFor({ state: "detached" });
    const remaining = await fetch(`${api.url}/v1/memories`, { headers: clientHeaders(actingUser) });
    const { memories } = (await remaining.json()) as { memories: { content: string }[] };
    expect(memories.filter((item) => item.content.includes(memoryMark))).toEqual([]);

    // A goal with five nightly evaluations, as the sweep leaves them: its status and a chart of the series.
    const goal = await insertGoal(api.deps, actingUser, {
      status: "active",
      startsOn: "2026-12-01",
      endsOn: "2026-12-07",
      lastEvaluatedDay: "2026-12-05",
      confirmedAt: new Date(),
    });
    await insertEvaluations(api.deps, goal.id, [
      { period: "2026-12-01", value: 7200, hit: false },
      { period: "2026-12-02", value: 9100, hit: true },
      { period: "2026-12-03", value: null, hit: false },
      { period: "2026-12-04", value: 8600, hit: true },
      { period: "2026-12-05", value: 10400, hit: true },
    ]);
    await page.getByTestId("tab-goals").click();
    const goalItem = page.locator(`[data-testid="goal-item"][data-goal-id="${goal.id}"]`);
    await goalItem.waitFor();
    expect(await goalItem.getByTestId("goal-status").textContent()).toBe("active");
    await goalItem.getByTestId("goal-open").click();
    const chart = page.getByTestId("goal-chart");
    await chart.waitFor();
    expect(await chart.getAttribute("aria-label")).toBe("5 evaluations, 3 met the goal");
    expect(await chart.locator("circle.met").count()).toBe(3);
    expect(await chart.locator("circle.missed").count()).toBe(1);
    expect(await chart.locator("circle.other").count()).toBe(1);
    expect(await page.getByTestId("goal-progress").textContent()).toContain(
      "3 met, 1 missed, 1 without data",
    );
    expect(await page.getByTestId("goals-error").isHidden()).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, "goals.png"), fullPage: true });
  }, 60_000);

  test("a revised answer shows the verdict and the correction; a suggestion sends; a failure shows and retries", async () => {
    await page.getByTestId("tab-chat").click();
    const turns = page.getByTestId("turn");
    const before = await turns.count();
    const ended = async (index: number) =>
      ["ended", "failed"].includes((await turns.nth(index).getAttribute("data-phase")) ?? "");

    const revise = uniqueMatch("console-revise");
    const rewrite = "I couldn't find readings that support that figure; let's look at your summary together.";
    await script(revise, [{ content: "Your average was 150/95, which is excellent." }, { content: rewrite }]);
    await script(
      revise,
      [{ content: JSON.stringify({ verdict: "revise", violations: ["V1"], reason: "contradicts tools" }) }],
      "json",
      testConfig().HILO_JUDGE_MODEL,
    );
    await page.getByLabel("Message").fill(`Is my average good? ${revise}`);
    await page.getByTestId("chat-send").click();
    await until("the revised turn", async () => (await turns.count()) > before && (await ended(before)));
    const revised = turns.nth(before);
    expect(await revised.getByTestId("verdict").textContent()).toBe("revise");
    expect(await revised.getByTestId("turn-verdict").textContent()).toContain("V1");
    expect(await revised.getByTestId("turn-correction").textContent()).toContain(
      "replaces the stored answer",
    );
    expect(await revised.getByTestId("correction-text").textContent()).toBe(rewrite);

    // A suggestion is a question to send: clicking it starts the next turn with its text.
    const suggestion = revised.getByTestId("suggestion").first();
    const suggested = (await suggestion.textContent()) ?? "";
    expect(suggested.length).toBeGreaterThan(0);
    await suggestion.click();
    await until(
      "the suggested turn",
      async () => (await turns.count()) > before + 1 && (await ended(before + 1)),
    );
    expect(
      await turns
        .nth(before + 1)
        .getByTestId("turn-question")
        .textContent(),
    ).toContain(suggested);

    const broken = uniqueMatch("console-error");
    await script(broken, [{ error: { status: 400, message: "the model refused this request" } }]);
    await page.getByLabel("Message").fill(`Break please ${broken}`);
    await page.getByTestId("chat-send").click();
    await until(
      "the failed turn",
      async () => (await turns.count()) > before + 2 && (await ended(before + 2)),
    );
    const failed = turns.nth(before + 2);
    expect(await failed.getAttribute("data-phase")).toBe("failed");
    expect(await failed.getByTestId("turn-failure").isVisible()).toBe(true);
    expect(await failed.getByTestId("turn-failure").textContent()).toStartWith("error ");
    // The retry re-sends with the failed send's key: the api re-runs that turn, which now answers.
    await failed.getByTestId("turn-retry").click();
    await until(
      "the retried turn",
      async () => (await turns.count()) > before + 3 && (await ended(before + 3)),
    );
    const retried = turns.nth(before + 3);
    expect(await retried.getAttribute("data-phase")).toBe("ended");
    expect(await retried.getAttribute("data-turn-id")).toBe(await failed.getAttribute("data-turn-id"));
    expect(((await retried.getByTestId("turn-answer").textContent()) ?? "").length).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, "chat-revise-error.png"), fullPage: true });
  }, 60_000);

  test("a bad CSV is refused with its line numbers; a 3-question QA run shows progress and results", async () => {
    await page.getByTestId("tab-qa").click();
    // GET /dev/session told the page who runs the questions and which tools a file may expect.
    expect(await page.getByTestId("qa-limits").textContent()).toContain("calculate");
    const csvBox = page.getByLabel("or paste the CSV");
    await csvBox.fill("question,id\nq1,What is my pulse?\n");
    await page.getByTestId("qa-start").click();
    const problems = page.getByTestId("qa-problems").locator("li");
    await problems.first().waitFor();
    expect(await problems.first().textContent()).toStartWith("line 1: ");
    expect(await page.getByTestId("qa-run").isHidden()).toBe(true);
    const csv = [
      "id,question,expected_tools",
      "q1,What time is it for me right now?,get_current_datetime",
      'q2,"What is (120+130)/2, please?",calculate',
      "q3,How do I pair my watch with the app?,",
    ].join("\n");
    await csvBox.fill(csv);
    await page.getByTestId("qa-start").click();
    const run = page.getByTestId("qa-run");
    const refused = page.getByTestId("qa-error");
    await until("the run or an error", async () => (await run.isVisible()) || (await refused.isVisible()));
    expect((await refused.isVisible()) ? await refused.textContent() : "").toBe("");
    await until(
      "the run to finish",
      async () => ["done", "failed"].includes((await run.getAttribute("data-status")) ?? ""),
      90_000,
    );
    expect(await run.getAttribute("data-status")).toBe("done");
    const rows = page.getByTestId("qa-result");
    expect(await rows.count()).toBe(3);
    for (let i = 0; i < 3; i++) {
      const cells = await rows.nth(i).locator("td").allTextContents();
      expect(cells[1]).toBe(`q${i + 1}`);
      expect(cells[3]).toBe("done");
    }
    const expected = await page
      .getByTestId("qa-result")
      .evaluateAll((rows) => rows.map((row) => [row.children[5]?.textContent, row.children[6]?.textContent]));
    // The offline model calls the tool each question expects, and the table says it matched.
    expect(expected.slice(0, 2)).toEqual([
      ["get_current_datetime", "get_current_datetime ✓"],
      ["calculate", "calculate ✓"],
    ]);
    const progress = page.getByTestId("qa-progress");
    expect([await progress.getAttribute("value"), await progress.getAttribute("max")]).toEqual(["3", "3"]);
    expect(await page.getByTestId("qa-progress-text").textContent()).toContain("3 of 3 finished");
    // The finished run heads the recent runs, from where it can be opened again.
    const runId = (await page.getByTestId("qa-run-id").textContent()) ?? "";
    await page
      .locator(`[data-testid="qa-recent-run"][data-run-id="${runId}"]`)
      .waitFor({ state: "attached" });
    await page.screenshot({ path: join(SCREENSHOTS, "qa-run.png"), fullPage: true });
  }, 120_000);
});
