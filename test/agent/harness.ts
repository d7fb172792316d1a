// What the agent tests share: a real dependency graph (nothing connects until used), a tool context for
// a fresh user, and an event recorder that also checks emit is never called concurrently.

import type { AgentEvent } from "../../src/agent/loop";
import type { ToolContext } from "../../src/agent/tool";
import { closeDeps, createDeps, type Deps } from "../../src/infra/deps";
import { createLogger } from "../../src/observability/logger";
import { newUserId, testConfig } from "../support/stack";
import { testLlm } from "../support/standin";

export function testDeps(): Deps {
  return createDeps(testConfig());
}

export { closeDeps };

export function toolContext(
  deps: Deps,
  overrides: { signal?: AbortSignal; timezone?: string; now?: () => Date } = {},
): ToolContext {
  return {
    userId: newUserId("agent"),
    watchId: null,
    timezone: overrides.timezone ?? "Europe/London",
    sessionId: crypto.randomUUID(),
    turnId: crypto.randomUUID(),
    deps,
    llm: testLlm(),
    log: createLogger("error"),
    signal: overrides.signal ?? new AbortController().signal,
    now: overrides.now ?? (() => new Date()),
  };
}

export interface EventRecorder {
  events: AgentEvent[];
  emit(event: AgentEvent): Promise<void>;
  /** Set when emit was entered while a previous call had not returned yet. */
  overlapped: boolean;
  text(): string;
}

export function recordEvents(delayMs = 0): EventRecorder {
  let inside = false;
  const recorder: EventRecorder = {
    events: [],
    overlapped: false,
    emit: async (event) => {
      if (inside) recorder.overlapped = true;
      inside = true;
      if (delayMs > 0) await Bun.sleep(delayMs);
      recorder.events.push(event);
      inside = false;
    },
    text: () =>
      recorder.events
        .filter((event) => event.type === "token")
        .map((event) => (event.type === "token" ? event.text : ""))
        .join(""),
  };
  return recorder;
}
