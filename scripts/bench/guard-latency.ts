/**
 * The first-token delay the model guard adds to a chat turn, measured through the real app in this
 * process (test/support/stack.ts buildTestApp) on the local stack, with the OpenAI stand-in scripted
 * per turn: the agent's reply after `agentDelayMs`, the guard's verdict ("none") after `guardDelayMs`.
 * First token = from sending POST /v1/sessions/:id/messages to the first `token` SSE event. Each
 * scenario runs the same turns on an app with the guard on (HILO_GUARD_DEADLINE_MS as configured,
 * 1,500 ms by default) and on one with it off (0), interleaved, and prints p50 / p95 of both and
 * the difference. Without a reachable stack it says so and returns: the caller's results stand.
 *
 *   bun scripts/bench/guard-latency.ts     # alone; `bun run bench:guard` runs it after the labelled set
 */
import { probeDeps } from "../../src/infra/deps";
import { openSession, send } from "../../test/chat/harness";
import { readSse, type SseEvent } from "../../test/support/sse";
import { buildTestApp, type TestApp } from "../../test/support/stack";
import { requestsMatching, script, uniqueMatch } from "../../test/support/standin";
import { loadStackEnv } from "./relay/env";
import { fmtInt, percentile } from "./relay/stats";

/** Measured turns per scenario and per side (guard on, guard off). */
const TURNS_PER_SCENARIO = 30;
/** Turns of each side in flight at once: the run stays short, both sides see the same load. */
const TURNS_AT_ONCE = 5;
/** Unmeasured turns per side first: connection pools and the JIT warm up on them. */
const WARM_UP_TURNS = 3;
/** Longest wait for one turn's `done` before the bench gives up on it. */
const TURN_TIMEOUT_MS = 10_000;
const STANDIN_PROBE_TIMEOUT_MS = 1_000;

interface Scenario {
  name: string;
  guardDelayMs: number;
  agentDelayMs: number;
  expected: string;
}

const SCENARIOS: Scenario[] = [
  { name: "(a) guard answers first", guardDelayMs: 300, agentDelayMs: 600, expected: "≈ 0 ms" },
  { name: "(b) agent's first token first", guardDelayMs: 800, agentDelayMs: 300, expected: "≈ 500 ms" },
];

const AGENT_ANSWER = "Your readings were steady this week, mostly in your target range.";
const GUARD_PASSES = JSON.stringify({ category: "none", language: "en" });

interface TurnTiming {
  firstTokenMs: number;
  /** Whether the stand-in saw the guard's call for this turn (it must, exactly when the guard is on). */
  guardCalled: boolean;
}

/** Null when the stand-in's control API and every datastore of the app answer; otherwise why not. */
async function whyStackUnusable(app: TestApp, standin: string): Promise<string | null> {
  try {
    await fetch(`${standin}/_standin/requests?match=guard-latency-probe`, {
      signal: AbortSignal.timeout(STANDIN_PROBE_TIMEOUT_MS),
    });
  } catch (error) {
    return `the OpenAI stand-in at ${standin} did not answer (${error instanceof Error ? error.message : String(error)})`;
  }
  const health = await probeDeps(app.deps);
  const down = Object.entries(health)
    .filter(([, up]) => !up)
    .map(([name]) => name);
  return down.length === 0 ? null : `unreachable: ${down.join(", ")}`;
}

async function timeTurn(app: TestApp, scenario: Scenario, label: string): Promise<TurnTiming> {
  const { config } = app.deps;
  const guardOn = config.HILO_GUARD_DEADLINE_MS > 0;
  const user = await openSession(app);
  const match = uniqueMatch(`guard-latency-${label}`);
  await script(match, [{ content: AGENT_ANSWER, delayMs: scenario.agentDelayMs }]);
  // Scripted only where the guard runs: a rule nobody consumes would stay in the shared stand-in.
  if (guardOn) {
    await script(
      match,
      [{ delayMs: scenario.guardDelayMs, content: GUARD_PASSES }],
      "json",
      config.HILO_GUARD_MODEL,
    );
  }
  const started = performance.now();
  let firstTokenMs: number | undefined;
  const response = await send(app, user, `How did my readings look this week? ${match}`);
  const { events } = await readSse(response, {
    timeoutMs: TURN_TIMEOUT_MS,
    stop: (sofar: SseEvent[]) => {
      if (firstTokenMs === undefined && sofar.some((event) => event.event === "token")) {
        firstTokenMs = performance.now() - started;
      }
      return sofar.some((event) => event.event === "done");
    },
  });
  const answer = events.find((event) => event.event === "done")?.data.answer;
  if (firstTokenMs === undefined || answer !== AGENT_ANSWER) {
    throw new Error(
      `turn ${match} did not answer as scripted: ${events.map((event) => event.event).join(",")} ${JSON.stringify(answer)}`,
    );
  }
  const guardCalled = (await requestsMatching(match)).some((body) => body.model === config.HILO_GUARD_MODEL);
  return { firstTokenMs, guardCalled };
}

async function timeTurns(app: TestApp, scenario: Scenario, label: string, count: number) {
  return Promise.all(Array.from({ length: count }, () => timeTurn(app, scenario, label)));
}

async function runScenario(on: TestApp, off: TestApp, scenario: Scenario) {
  await Promise.all([
    timeTurns(on, scenario, "warm", WARM_UP_TURNS),
    timeTurns(off, scenario, "warm", WARM_UP_TURNS),
  ]);
  const onTimings: TurnTiming[] = [];
  const offTimings: TurnTiming[] = [];
  for (let done = 0; done < TURNS_PER_SCENARIO; done += TURNS_AT_ONCE) {
    const count = Math.min(TURNS_AT_ONCE, TURNS_PER_SCENARIO - done);
    const [onRound, offRound] = await Promise.all([
      timeTurns(on, scenario, "on", count),
      timeTurns(off, scenario, "off", count),
    ]);
    onTimings.push(...onRound);
    offTimings.push(...offRound);
  }
  const onCalled = onTimings.filter((timing) => timing.guardCalled).length;
  const offCalled = offTimings.filter((timing) => timing.guardCalled).length;
  if (onCalled !== onTimings.length || offCalled !== 0) {
    throw new Error(
      `the guard ran in ${onCalled}/${onTimings.length} guard-on turns and ${offCalled}/${offTimings.length} guard-off turns`,
    );
  }
  const sorted = (timings: TurnTiming[]) =>
    timings.map((timing) => timing.firstTokenMs).sort((a, b) => a - b);
  const onSorted = sorted(onTimings);
  const offSorted = sorted(offTimings);
  return {
    on: { p50: percentile(onSorted, 50), p95: percentile(onSorted, 95) },
    off: { p50: percentile(offSorted, 50), p95: percentile(offSorted, 95) },
  };
}

const ms = (value: number) => `${fmtInt(value)} ms`;
const signedMs = (value: number) => `${value >= 0 ? "+" : "−"}${fmtInt(Math.abs(value))} ms`;

export async function reportGuardLatency(): Promise<void> {
  loadStackEnv();
  console.log("\nFirst-token delay the model guard adds (real app in process, OpenAI stand-in):\n");
  const standin = process.env.OPENAI_STANDIN_URL;
  if (!standin) {
    console.log("skipped: no local stack (.local/stack.env not found and OPENAI_STANDIN_URL not set)");
    return;
  }
  const on = buildTestApp();
  const off = buildTestApp({ HILO_GUARD_DEADLINE_MS: "0" });
  try {
    // Both apps are built from the same settings: one probe speaks for both.
    const unusable = await whyStackUnusable(on, standin);
    if (unusable !== null) {
      console.log(`skipped: ${unusable}`);
      return;
    }
    const deadlineMs = on.deps.config.HILO_GUARD_DEADLINE_MS;
    if (deadlineMs === 0) {
      console.log("skipped: HILO_GUARD_DEADLINE_MS=0 in the environment turns the guard off");
      return;
    }
    console.log(
      `${TURNS_PER_SCENARIO} turns per side, ${TURNS_AT_ONCE} at once per side; guard on = deadline ${deadlineMs} ms, off = 0; first token = POST sent → first \`token\` event\n`,
    );
    console.log(
      "| scenario | guard answers | agent's first token | on p50 | on p95 | off p50 | off p95 | added p50 | added p95 | expected |",
    );
    console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    for (const scenario of SCENARIOS) {
      const result = await runScenario(on, off, scenario);
      console.log(
        `| ${scenario.name} | ${scenario.guardDelayMs} ms | ${scenario.agentDelayMs} ms | ${ms(result.on.p50)} | ${ms(result.on.p95)} | ${ms(result.off.p50)} | ${ms(result.off.p95)} | ${signedMs(result.on.p50 - result.off.p50)} | ${signedMs(result.on.p95 - result.off.p95)} | ${scenario.expected} |`,
      );
    }
  } finally {
    await on.close();
    await off.close();
  }
}

if (import.meta.main) {
  await reportGuardLatency();
  // The app's clients are closed, but a close leaves timers behind (closeDeps' tracing race).
  process.exit();
}
