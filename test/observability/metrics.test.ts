// GET /metrics: Prometheus text that a scraper can parse, counters that move when a turn runs, and the
// separate metrics port (HILO_METRICS_PORT) that takes /metrics off the main port.
import { afterAll, describe, expect, test } from "bun:test";
import { serveMetrics } from "../../src/observability/metrics";
import { buildTestApp, openSession, send, type TestApp } from "../chat/harness";
import { readSse } from "../support/sse";
import { script, uniqueMatch } from "../support/standin";

const app = buildTestApp();
afterAll(() => app.close());

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

interface Exposition {
  samples: Sample[];
  help: Map<string, string>;
  types: Map<string, string>;
}

const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"`;
// Prometheus reads values with Go's ParseFloat, which takes Inf and NaN in any case (prom-client
// writes NaN as `Nan`).
const VALUE = "[-+]?(?:[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?|[Ii][Nn][Ff]|[Nn][Aa][Nn])";
const SAMPLE_LINE = new RegExp(
  `^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*,?)?\\})? (${VALUE})(?: -?[0-9]+)?$`,
);
const LABEL_PAIR = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"/g;
const TYPE_LINE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const HELP_LINE = new RegExp(`^# HELP (${NAME}) (.*)$`);

/** The text exposition format 0.0.4, strictly: a line that is not a sample, a comment or blank fails. */
function parseExposition(text: string): Exposition {
  const exposition: Exposition = { samples: [], help: new Map(), types: new Map() };
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const help = HELP_LINE.exec(line);
    const type = TYPE_LINE.exec(line);
    const sample = SAMPLE_LINE.exec(line);
    if (help) exposition.help.set(help[1] as string, help[2] as string);
    else if (type) exposition.types.set(type[1] as string, type[2] as string);
    else if (sample) {
      const labels: Record<string, string> = {};
      for (const [, key, value] of (sample[2] ?? "").matchAll(LABEL_PAIR))
        labels[key as string] = value as string;
      exposition.samples.push({ name: sample[1] as string, labels, value: Number(sample[3]) });
    } else if (!line.startsWith("# ")) {
      throw new Error(`not a Prometheus text line: ${JSON.stringify(line)}`);
    }
  }
  return exposition;
}

/** The family a sample belongs to: itself, or a histogram's/summary's name without its suffix. */
function familyOf(exposition: Exposition, name: string): string {
  if (exposition.types.has(name)) return name;
  return name.replace(/_(bucket|sum|count)$/, "");
}

async function scrape(target: TestApp = app): Promise<Exposition> {
  const response = await target.request("/metrics");
  expect(response.status).toBe(200);
  return parseExposition(await response.text());
}

/** The value of the one sample with this name and (at least) these labels; 0 when there is none yet. */
function sampleValue(exposition: Exposition, name: string, labels: Record<string, string> = {}): number {
  const matches = exposition.samples.filter(
    (sample) =>
      sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
  if (matches.length > 1)
    throw new Error(`${name} ${JSON.stringify(labels)} matches ${matches.length} series`);
  return matches[0]?.value ?? 0;
}

describe("the exposition check itself", () => {
  test.each([
    ['hilo_x{outcome="done"} 1', { name: "hilo_x", labels: { outcome: "done" }, value: 1 }],
    [
      'hilo_x_bucket{le="+Inf",purpose="a\\"b"} 2.5e-3',
      { name: "hilo_x_bucket", labels: { le: "+Inf", purpose: 'a\\"b' }, value: 0.0025 },
    ],
    ["hilo_x 7 1712345678000", { name: "hilo_x", labels: {}, value: 7 }],
  ])("accepts %s", (line, sample) => {
    expect(parseExposition(line).samples).toEqual([sample]);
  });

  test.each([
    "hilo_x{outcome=done} 1",
    'hilo_x{outcome="done"}1',
    "hilo x 1",
    "hilo_x one",
    "hilo_x 1 2 3",
    "#TYPE hilo_x counter",
  ])("refuses %s", (line) => {
    expect(() => parseExposition(line)).toThrow("not a Prometheus text line");
  });
});

describe("GET /metrics", () => {
  test("answers Prometheus text without an API key: every line parses, every hilo_ family has HELP and TYPE", async () => {
    const response = await app.request("/metrics");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const exposition = parseExposition(await response.text());

    expect(
      Object.fromEntries(
        [...exposition.types].filter(([name]) => !name.includes("process_") && !name.includes("nodejs_")),
      ),
    ).toEqual({
      hilo_turns_started_total: "counter",
      hilo_turns_finished_total: "counter",
      hilo_model_call_duration_seconds: "histogram",
      hilo_sse_streams_open: "gauge",
      hilo_relay_read_seconds: "histogram",
      hilo_safety_decisions_total: "counter",
      // Declared in every process; the api runs no job and watches no queue, so they have no series.
      hilo_job_duration_seconds: "histogram",
      hilo_queue_jobs: "gauge",
    });
    const hiloSamples = exposition.samples.filter((sample) => sample.name.startsWith("hilo_"));
    expect(hiloSamples.length).toBe(exposition.samples.length);
    for (const sample of hiloSamples) {
      const family = familyOf(exposition, sample.name);
      expect(exposition.types.has(family), `TYPE of ${sample.name}`).toBe(true);
      expect(exposition.help.get(family), `HELP of ${sample.name}`).toBeString();
    }
    // The process's own (prom-client's default metrics) come under the same prefix.
    expect(sampleValue(exposition, "hilo_process_cpu_seconds_total")).toBeGreaterThan(0);
    // Every outcome's series exists before the first turn ends, so rate() sees its first increase.
    for (const outcome of ["done", "failed", "timeout", "superseded"]) {
      expect(
        exposition.samples.some(
          (s) => s.name === "hilo_turns_finished_total" && s.labels.outcome === outcome,
        ),
      ).toBe(true);
    }
  });

  test("a turn moves the turn counters, the model-call histogram by purpose, the relay and the open streams", async () => {
    const user = await openSession(app);
    const match = uniqueMatch("metrics");
    await script(match, [{ content: "Your readings look steady this week." }]);
    const before = await scrape();

    const response = await send(app, user, `How was my week? ${match}`);
    expect(response.status).toBe(200);
    const streaming = await scrape();
    expect(sampleValue(streaming, "hilo_sse_streams_open")).toBe(
      sampleValue(before, "hilo_sse_streams_open") + 1,
    );
    const { ended } = await readSse(response);
    expect(ended).toBe(true);
    const after = await scrape();

    const moved = (name: string, labels: Record<string, string> = {}) =>
      sampleValue(after, name, labels) - sampleValue(before, name, labels);
    expect(moved("hilo_turns_started_total")).toBe(1);
    expect(moved("hilo_turns_finished_total", { outcome: "done" })).toBe(1);
    expect(moved("hilo_turns_finished_total", { outcome: "failed" })).toBe(0);
    // One agent round (the answer), the guard beside it, then the judge and the suggestions after `done`.
    for (const purpose of ["agent_round", "message_guard", "answer_review", "follow_up_suggestions"]) {
      expect(moved("hilo_model_call_duration_seconds_count", { purpose }), purpose).toBe(1);
      expect(moved("hilo_model_call_duration_seconds_sum", { purpose }), purpose).toBeGreaterThan(0);
      expect(moved("hilo_model_call_duration_seconds_bucket", { purpose, le: "+Inf" }), purpose).toBe(1);
    }
    expect(moved("hilo_relay_read_seconds_count")).toBeGreaterThan(0);
    expect(sampleValue(after, "hilo_sse_streams_open")).toBe(sampleValue(before, "hilo_sse_streams_open"));
    // A clean turn takes no safety action but the judge's approval.
    expect(
      moved("hilo_safety_decisions_total", { layer: "4", category: "approved", action: "approved" }),
    ).toBe(1);
  });

  test("a message with personal information counts one Layer 1 redaction per category", async () => {
    const user = await openSession(app);
    const match = uniqueMatch("metrics-pii");
    await script(match, [{ content: "Thanks, noted." }]);
    const before = await scrape();

    const response = await send(app, user, `Call me on +1 415 555 0134 or jo.smith@example.com ${match}`);
    await readSse(response);
    const after = await scrape();

    for (const category of ["pii_email", "pii_phone"]) {
      const labels = { layer: "1", category, action: "redacted" };
      expect(
        sampleValue(after, "hilo_safety_decisions_total", labels) -
          sampleValue(before, "hilo_safety_decisions_total", labels),
        category,
      ).toBe(1);
    }
  });

  test("a turn past its budget counts as timeout, not done", async () => {
    const budgetApp = buildTestApp({ HILO_TURN_BUDGET_MS: "1000" });
    try {
      const user = await openSession(budgetApp);
      const match = uniqueMatch("metrics-budget");
      await script(match, [{ hang: true }]);
      const before = await scrape(budgetApp);
      await readSse(await send(budgetApp, user, `slow ${match}`));
      const after = await scrape(budgetApp);
      const moved = (outcome: string) =>
        sampleValue(after, "hilo_turns_finished_total", { outcome }) -
        sampleValue(before, "hilo_turns_finished_total", { outcome });
      expect(
        sampleValue(after, "hilo_turns_started_total") - sampleValue(before, "hilo_turns_started_total"),
      ).toBe(1);
      expect(moved("timeout")).toBe(1);
      expect(moved("done")).toBe(0);
    } finally {
      await budgetApp.close();
    }
  });
});

describe("HILO_METRICS_PORT", () => {
  test("the main app answers /metrics 404 like an unknown path; the metrics listener serves it", async () => {
    const separate = buildTestApp({ HILO_METRICS_PORT: "9464" });
    const listener = serveMetrics(separate.deps.metrics, { hostname: "127.0.0.1", port: 0 });
    try {
      const onMain = await separate.request("/metrics");
      expect(onMain.status).toBe(404);
      const unknown = await separate.request("/no-such-path");
      expect(((await onMain.json()) as { error: { code: string } }).error.code).toBe(
        ((await unknown.json()) as { error: { code: string } }).error.code,
      );

      const scraped = await fetch(`http://127.0.0.1:${listener.port}/metrics`);
      expect(scraped.status).toBe(200);
      const exposition = parseExposition(await scraped.text());
      expect(exposition.types.get("hilo_turns_started_total")).toBe("counter");
      // Nothing else is served there: not the API, not /health.
      expect((await fetch(`http://127.0.0.1:${listener.port}/health`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${listener.port}/v1/me`)).status).toBe(404);
    } finally {
      await listener.stop(true);
      await separate.close();
    }
  });

  test("cannot be the main port", () => {
    expect(() => buildTestApp({ PORT: "8080", HILO_METRICS_PORT: "8080" })).toThrow(/HILO_METRICS_PORT/);
  });
});
