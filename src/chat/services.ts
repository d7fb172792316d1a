// What the chat routes and producers share in one api process: the relay hub, the set of running
// producers (awaited on shutdown), and the agent and post-answer steps they call.
import type { Deps } from "../lifecycle/dependencies";
import type { Logger } from "../observability/logger";
import type { TurnClaim } from "./claims";
import type { TurnEvent } from "./events";
import type { TurnPlan, TurnRequest } from "./producer";
import { createTurnLogHub, type TurnLogHub } from "./relay";
import type { StoredMessage } from "./sessions";

export interface AgentOutcome {
  answer: string;
  /** What the tools returned this turn: the judge checks the answer against it. */
  toolResults: unknown[];
}

export interface AgentTurnInput {
  request: TurnRequest;
  systemPrompt: string;
  history: StoredMessage[];
  emit(event: TurnEvent): Promise<void>;
  signal: AbortSignal;
}

export interface AfterDoneInput {
  request: TurnRequest;
  outcome: AgentOutcome;
  emit(event: TurnEvent): Promise<void>;
  signal: AbortSignal;
}

/** Layer 1's decision about a user message. */
export interface Screening {
  /** The message with personal information redacted: the only text stored or sent anywhere. */
  text: string;
  plan: TurnPlan;
  verdict: string;
  /** Audit rows of the decision: layer, category and action only, never text. */
  audit: { layer: number; category: string; action: string }[];
}

export interface ChatServices {
  readonly deps: Deps;
  readonly log: Logger;
  readonly hub: TurnLogHub;
  readonly producers: Set<Promise<void>>;
  readonly turnBudgetMs: number;
  /** Comment lines this often keep proxies and load balancers from closing quiet streams. */
  readonly keepAliveMs: number;
  /** Layer 1: pure and local, runs before anything is stored. */
  screen(text: string, options: { timezone: string }): Screening;
  /** Writes the audit rows of a Layer 1 decision. */
  recordScreening(input: { claim: TurnClaim; userId: string; screening: Screening }): Promise<void>;
  runAgent(input: AgentTurnInput): Promise<AgentOutcome>;
  /** Suggestions (and the judge) after `done`; never throws, never blocks the answer. */
  afterDone(input: AfterDoneInput): Promise<void>;
  /** Stops the relay hub and waits for running producers (bounded by the caller). */
  stop(): Promise<void>;
}

export type ChatSteps = Pick<ChatServices, "screen" | "recordScreening" | "runAgent" | "afterDone">;

export function createChatServices(deps: Deps, log: Logger, steps: ChatSteps): ChatServices {
  const hub = createTurnLogHub(deps.redis.blockingReader(), deps.redis.redis, log);
  const producers = new Set<Promise<void>>();
  return {
    deps,
    log,
    hub,
    producers,
    turnBudgetMs: deps.config.HILO_TURN_BUDGET_MS,
    keepAliveMs: deps.config.HILO_SSE_KEEPALIVE_MS,
    ...steps,
    stop: async () => {
      await Promise.allSettled([...producers]);
      await hub.stop();
    },
  };
}
