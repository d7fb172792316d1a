// The chat loop over real watch data: one round with two health tools, through the OpenAI stand-in,
// identity injected server-side.
import { afterAll, expect, test } from "bun:test";
import { bpReadingsCollection, watchDailyCollection } from "../../src/readings/documents";
import { localDay } from "../../src/readings/local-day";
import { readSse, tokenText } from "../support/sse";
import { seedUserProfile } from "../support/stack";
import { requestsMatching, script, uniqueMatch } from "../support/standin";
import { buildTestApp, newUserId, openSession, send } from "./harness";

const app = buildTestApp();
afterAll(() => app.close());

test("a question answered by two health tools in one round, over the asking user's watch only", async () => {
  const userId = newUserId("watch");
  const watchId = `w-${userId}`;
  await seedUserProfile({ userId, watchId, firstName: "Wanda", timezone: "Europe/London" });
  const db = app.deps.mongo.db;
  const now = Date.now();
  const today = localDay(new Date(now), "Europe/London");
  await bpReadingsCollection(db).insertMany([
    { watch_id: watchId, at: new Date(now - 3 * 3600_000), systolic: 131, diastolic: 84, pulse: 70 },
    { watch_id: watchId, at: new Date(now - 60_000), systolic: 124, diastolic: 79, pulse: 66 },
    // Another user's newer reading must never show up.
    { watch_id: `other-${watchId}`, at: new Date(now - 1_000), systolic: 180, diastolic: 110, pulse: 90 },
  ]);
  await watchDailyCollection(db).insertOne({
    watch_id: watchId,
    day: today,
    timezone: "Europe/London",
    avg_systolic: 127.5,
    avg_diastolic: 81.5,
    last_reading: { at: new Date(now - 60_000), systolic: 124, diastolic: 79, daypart: "morning" },
    heart_rate: 68,
    sleep_hours: 7.2,
    steps: 8_421,
    in_target_pct: 50,
    bp_category: "Normal",
    reading_count: 2,
  });

  const user = await openSession(app, userId);
  const match = uniqueMatch("twotools");
  await script(match, [
    {
      tool_calls: [
        { name: "get_latest_bp_reading", arguments: {} },
        { name: "get_user_step_metrics", arguments: { days: 7 } },
      ],
    },
    { content: "Your last reading was 124/79 and you walked 8,421 steps today." },
  ]);
  const { events } = await readSse(await send(app, user, `How am I doing today? ${match}`));

  const names = events.map((event) => event.event).filter((name) => name !== "token");
  expect(names.slice(0, 4)).toEqual(["tool_call", "tool_call", "tool_result", "tool_result"]);
  const results = Object.fromEntries(
    events.filter((event) => event.event === "tool_result").map((event) => [event.data.name, event.data]),
  );
  expect(results.get_latest_bp_reading).toMatchObject({
    ok: true,
    result: { status: "ok", reading: { systolic: 124, diastolic: 79, pulse: 66 }, stale: false },
  });
  expect(results.get_user_step_metrics).toMatchObject({ ok: true });
  expect(JSON.stringify(results.get_user_step_metrics)).toContain("8421");
  expect(tokenText(events)).toBe("Your last reading was 124/79 and you walked 8,421 steps today.");

  // The tool results went back to the model; no identifier reached it as an argument.
  const [, followUp] = (await requestsMatching(match)).filter((body) => !body.response_format);
  const toolMessages = ((followUp?.messages ?? []) as { role: string; content: string }[]).filter(
    (m) => m.role === "tool",
  );
  expect(toolMessages).toHaveLength(2);
  expect(toolMessages.map((m) => m.content).join("")).not.toContain(`other-${watchId}`);
});
