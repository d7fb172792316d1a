// Optional Langfuse tracing of model calls. On only when LANGFUSE_PUBLIC_KEY, LANGFUSE_SECRET_KEY and
// LANGFUSE_BASE_URL are all set; otherwise nothing is loaded or registered and model calls go straight
// to the OpenAI client. When on, a chat turn is one Langfuse trace (`chat_turn`, with the user and the
// chat session, so Langfuse groups a session's turns) and each model call in it a generation (model,
// input, output, usage, latency) named after what it is for. Spans leave in the background through a
// tracer provider of Langfuse's own; the only global OpenTelemetry registration is the context manager
// that carries the turn across awaits, and it is made only when tracing is on.
import type OpenAI from "openai";
import { type Config, langfuseEnabled } from "../config";
import { VERSION } from "../version";

/** What a model call is for; the generation's name in Langfuse (`agent_round`, `answer_review`, …). */
export interface TraceAttributes {
  name: string;
  metadata?: Record<string, string>;
}

/** On whose behalf calls run: set once per chat turn from the request, never from the model. */
export interface TraceScope {
  userId: string;
  sessionId: string;
  turnId: string;
}

export interface ModelTracing {
  /** The client one call goes through: traced when tracing is on, `openai` itself when it is off. */
  observe(openai: OpenAI, trace: TraceAttributes): OpenAI;
}

export interface Tracing extends ModelTracing {
  readonly enabled: boolean;
  /** Runs `work` with every model call in it tagged with `scope` (when tracing is on). */
  inScope<T>(scope: TraceScope, work: () => Promise<T>): Promise<T>;
  /** Sends what is still buffered and stops; called once, at shutdown. */
  shutdown(): Promise<void>;
}

export const TRACING_OFF: Tracing = {
  enabled: false,
  observe: (openai) => openai,
  inScope: (_scope, work) => work(),
  shutdown: async () => {},
};

export async function startTracing(config: Config): Promise<Tracing> {
  if (!langfuseEnabled(config)) return TRACING_OFF;
  // Loaded only when on: a process without Langfuse does not pay for the OpenTelemetry modules.
  const [
    otel,
    { AsyncLocalStorageContextManager },
    { LangfuseSpanProcessor },
    { BasicTracerProvider },
    langfuse,
    { observeOpenAI },
  ] = await Promise.all([
    import("@opentelemetry/api"),
    import("@opentelemetry/context-async-hooks"),
    import("@langfuse/otel"),
    import("@opentelemetry/sdk-trace-base"),
    import("@langfuse/tracing"),
    import("@langfuse/openai"),
  ]);
  const provider = new BasicTracerProvider({
    spanProcessors: [
      new LangfuseSpanProcessor({
        publicKey: config.LANGFUSE_PUBLIC_KEY,
        secretKey: config.LANGFUSE_SECRET_KEY,
        baseUrl: config.LANGFUSE_BASE_URL,
        environment: config.HILO_ENV,
        release: VERSION,
        // Chat messages carry no media; nothing to upload.
        mediaUploadEnabled: false,
      }),
    ],
  });
  // The turn's span and attributes follow it through every await, timer and tool call, so nothing
  // between the producer and a model call passes the user or session along.
  otel.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  langfuse.setLangfuseTracerProvider(provider);
  return {
    enabled: true,
    observe: (openai, trace) =>
      observeOpenAI(openai, { generationName: trace.name, generationMetadata: trace.metadata }),
    inScope: (scope, work) =>
      langfuse.propagateAttributes(
        {
          userId: scope.userId,
          sessionId: scope.sessionId,
          traceName: "chat_turn",
          metadata: { turn_id: scope.turnId },
        },
        () => langfuse.startActiveObservation("chat_turn", () => work(), { asType: "agent" }),
      ),
    shutdown: async () => {
      await provider.shutdown();
      langfuse.setLangfuseTracerProvider(null);
      otel.context.disable();
    },
  };
}
