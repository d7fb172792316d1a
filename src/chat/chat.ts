// What one process holds for chat: the model client, the tool registry, the memory recall cache,
// the relay hub every open stream reads through, and the turns it is producing. Built once at
// start-up (and by tests against the local stack); the turn itself is in turn.ts.

import { buildSystemPrompt } from "../agent/prompt";
import { createToolRegistry, type ToolRegistry } from "../agent/registry";
import type { Deps } from "../infra/deps";
import { createLlm, type Llm } from "../llm/client";
import { createMemoryPoolCache, type MemoryPoolCache } from "../memory/cache";
import { recentMemories } from "../memory/prelude";
import type { Logger } from "../observability/logger";
import { readUserProfile, type UserProfile } from "../users/service";
import { createTurnLogHub, type TurnLogHub } from "./relay";
import { chatTools } from "./tools";

export interface Chat {
  readonly deps: Deps;
  readonly log: Logger;
  readonly llm: Llm;
  readonly tools: ToolRegistry;
  /** This process's memory recall pools, shared by the memory tools and the memory routes. */
  readonly memoryCache: MemoryPoolCache;
  readonly hub: TurnLogHub;
  /** Turns this process is producing; shutdown waits for them so their answers are stored. */
  readonly producers: Set<Promise<void>>;
  /** Stops the relay hub once running turns have finished (the caller bounds the wait). */
  stop(): Promise<void>;
}

export function createChat(deps: Deps, log: Logger): Chat {
  const { config } = deps;
  const llm = createLlm(deps.openai.client, {
    log,
    maxConcurrent: config.HILO_MAX_CONCURRENT_MODEL_CALLS,
    maxCallsPerMinute: config.HILO_MODEL_CALLS_PER_MINUTE,
    tracing: deps.tracing,
    // Prometheus for the live view, daily_stats for the daily report's count and p95.
    metrics: {
      modelCall: (purpose, seconds) => {
        deps.metrics.modelCall(purpose, seconds);
        deps.stats.modelCall(purpose, seconds);
      },
    },
  });
  const hub = createTurnLogHub(deps.redis.blockingReader(), deps.redis.redis, log, deps.metrics);
  const producers = new Set<Promise<void>>();
  const memoryCache = createMemoryPoolCache();
  return {
    deps,
    log,
    llm,
    tools: createToolRegistry(chatTools(memoryCache, config)),
    memoryCache,
    hub,
    producers,
    stop: async () => {
      await Promise.allSettled([...producers]);
      await hub.stop();
    },
  };
}

/** Fail-soft: without the user DB the assistant still answers, only without profile context. */
export async function profileOf(chat: Chat, userId: string): Promise<UserProfile | null> {
  return readUserProfile(chat.deps.usersDb, userId).catch((error) => {
    chat.log.warn("user profile unavailable", { error, user_id: userId });
    return null;
  });
}

/** The system prompt of a new session (profile + recent memories), built once and kept byte-identical. */
export async function sessionPrompt(chat: Chat, userId: string): Promise<string> {
  const [profile, memories] = await Promise.all([
    profileOf(chat, userId),
    recentMemories(chat.deps.appDb.db, userId),
  ]);
  return buildSystemPrompt({ profile, memories });
}
