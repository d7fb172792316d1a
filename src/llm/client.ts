// The model-call layer every feature uses: one process-wide concurrency limiter (where calls are also
// counted for the per-minute ceiling of new turns), our retries (the SDK's are off), a per-attempt idle
// timeout for streams, and structured JSON replies checked with zod.
import type OpenAI from "openai";
import { APIError } from "openai";
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
} from "openai/resources/chat/completions";
import { z } from "zod";
import type { ModelTracing, TraceAttributes } from "../infra/tracing";
import { createModelCallBudget, type ModelCallBudget } from "../limits/model-calls";
import type { Logger } from "../observability/logger";
import type { Metrics } from "../observability/metrics";
import {
  ModelOutputError,
  ModelStreamInterruptedError,
  ModelStreamTruncatedError,
  ModelTimeoutError,
} from "./errors";
import { type ConcurrencyLimiter, createConcurrencyLimiter, type ReleaseSlot } from "./limiter";
import { DEFAULT_RETRY_POLICY, type RetryPolicy, retrying } from "./retry";

/** Longest silence of a stream attempt, before its first chunk or between two chunks. */
export const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 30_000;
/** Per attempt of a non-streaming call (the SDK's own timeout, which covers the whole reply). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

export interface LlmCallOptions {
  /** The caller's budget: aborting it stops waiting, queueing, retrying and streaming at once. */
  signal: AbortSignal;
  /** Epoch ms after which the answer is useless: a retry whose wait would end later is not started. */
  deadlineMs?: number;
  /** How the call shows in tracing (when on); by default it is named after its kind or schema. */
  trace?: TraceAttributes;
}

export type ChatStreamParams = Omit<ChatCompletionCreateParamsStreaming, "stream">;

export interface JsonCompletionParams<T>
  extends Omit<ChatCompletionCreateParamsNonStreaming, "stream" | "response_format"> {
  /** The response_format's name (letters, digits, `_` and `-`). */
  schemaName: string;
  /**
   * Sent as a strict json_schema and used to check the reply. It must fit OpenAI's strict subset: objects
   * built with z.object/z.strictObject, every property required (use `.nullable()` for optional facts).
   */
  schema: z.ZodType<T>;
}

export interface Llm {
  readonly limiter: ConcurrencyLimiter;
  /** The calls this process made this minute; the send edge refuses new turns once it is spent. */
  readonly calls: ModelCallBudget;
  /**
   * Streams a chat completion. Failures before the first chunk is yielded are retried; a failure after it
   * throws ModelStreamInterruptedError (the caller may already have shown those tokens). An abort throws
   * the signal's reason.
   */
  streamChat(params: ChatStreamParams, opts: LlmCallOptions): AsyncIterable<ChatCompletionChunk>;
  /** A non-streaming completion with a strict json_schema reply, parsed and checked against `schema`. */
  completeJson<T>(params: JsonCompletionParams<T>, opts: LlmCallOptions): Promise<T>;
  /** One vector per input, in input order, each of exactly `dimensions` floats. */
  embed(params: EmbedParams, opts: LlmCallOptions): Promise<Float32Array[]>;
}

export interface EmbedParams {
  model: string;
  dimensions: number;
  input: readonly string[];
}

export interface LlmOptions {
  /** Concurrent model calls allowed in this process (queued beyond that). */
  maxConcurrent?: number;
  /** Model calls per minute before new turns are refused (src/limits/model-calls.ts); 0 or unset: none. */
  maxCallsPerMinute?: number;
  log: Logger;
  retry?: Partial<RetryPolicy>;
  streamIdleTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Optional Langfuse tracing of every call. */
  tracing?: ModelTracing;
  /** Optional: each call's duration by purpose (its trace name), hilo_model_call_duration_seconds. */
  metrics?: Pick<Metrics, "modelCall">;
}

interface OpenedStream {
  iterator: AsyncIterator<ChatCompletionChunk>;
  first: ChatCompletionChunk;
  /** Silence timer of this attempt: paused while the caller holds a chunk, so slow consumers do not count. */
  idle: IdleTimer;
  release: ReleaseSlot;
}

export function createLlm(openai: OpenAI, opts: LlmOptions): Llm {
  const limiter = createConcurrencyLimiter(opts.maxConcurrent);
  const calls = createModelCallBudget(opts.maxCallsPerMinute ?? 0);
  // Every attempt of every call takes a slot here, so this is also where calls are counted.
  const takeSlot = async (signal: AbortSignal): Promise<ReleaseSlot> => {
    const release = await limiter.acquire(signal);
    calls.record();
    return release;
  };
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...opts.retry };
  const idleTimeoutMs = opts.streamIdleTimeoutMs ?? DEFAULT_STREAM_IDLE_TIMEOUT_MS;
  const requestTimeoutMs = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const log = opts.log;
  const tracing = opts.tracing;
  const clientFor = (trace: TraceAttributes | undefined, name: string): OpenAI =>
    tracing ? tracing.observe(openai, trace ?? { name }) : openai;
  const metrics = opts.metrics;
  /** Runs one call (all its attempts) and records how long it took under its purpose. */
  const timed = async <T>(trace: TraceAttributes | undefined, name: string, call: () => Promise<T>) => {
    const startedMs = performance.now();
    try {
      return await call();
    } finally {
      metrics?.modelCall(trace?.name ?? name, (performance.now() - startedMs) / 1_000);
    }
  };

  const onRetry =
    (kind: "stream" | "json", model: string) =>
    (info: { attempt: number; delayMs: number; error: unknown }): void => {
      log.warn("model call failed, retrying", {
        kind,
        model,
        attempt: info.attempt,
        delayMs: info.delayMs,
        error: describeError(info.error),
      });
    };

  // One attempt = acquire a slot, send the request, and receive the first chunk. Anything that fails in
  // there has shown nothing to the caller yet, so it may be retried.
  async function openStream(
    params: ChatStreamParams,
    signal: AbortSignal,
    trace: TraceAttributes | undefined,
  ): Promise<OpenedStream> {
    const release = await takeSlot(signal);
    const idle = createIdleTimer(idleTimeoutMs);
    const attemptSignal = AbortSignal.any([signal, idle.signal]);
    let iterator: AsyncIterator<ChatCompletionChunk> | undefined;
    try {
      const stream = await clientFor(trace, "chat").chat.completions.create(
        { ...params, stream: true },
        { signal: attemptSignal, maxRetries: 0 },
      );
      iterator = stream[Symbol.asyncIterator]();
      const first = await iterator.next();
      // The SDK ends iteration quietly when its signal aborts; tell an idle timeout from a clean close.
      if (idle.signal.aborted && !signal.aborted) throw new ModelTimeoutError(idleTimeoutMs);
      if (first.done) throw new ModelStreamTruncatedError();
      idle.pause();
      return { iterator, first: first.value, idle, release };
    } catch (error) {
      idle.stop();
      release();
      await iterator?.return?.();
      if (idle.signal.aborted && !signal.aborted) throw new ModelTimeoutError(idleTimeoutMs);
      throw error;
    }
  }

  async function* streamChat(
    params: ChatStreamParams,
    callOpts: LlmCallOptions,
  ): AsyncGenerator<ChatCompletionChunk> {
    // A stream's duration runs to its last chunk (or to the consumer stopping early).
    const startedMs = performance.now();
    try {
      yield* streamAttempts(params, callOpts);
    } finally {
      metrics?.modelCall(callOpts.trace?.name ?? "chat", (performance.now() - startedMs) / 1_000);
    }
  }

  async function* streamAttempts(
    params: ChatStreamParams,
    callOpts: LlmCallOptions,
  ): AsyncGenerator<ChatCompletionChunk> {
    const { signal } = callOpts;
    const opened = await retrying(() => openStream(params, signal, callOpts.trace), {
      policy,
      signal,
      deadlineMs: callOpts.deadlineMs,
      onRetry: onRetry("stream", params.model),
    });
    const { iterator, idle, release } = opened;
    let delivered = 0;
    let finished = false;
    let exhausted = false;
    try {
      let chunk: ChatCompletionChunk = opened.first;
      while (true) {
        if (chunk.choices.some((choice) => choice.finish_reason !== null)) finished = true;
        delivered += 1;
        yield chunk;
        idle.resume();
        const next = await iterator.next();
        idle.pause();
        if (next.done) {
          exhausted = true;
          break;
        }
        chunk = next.value;
      }
      signal.throwIfAborted();
      if (idle.signal.aborted) throw new ModelTimeoutError(idleTimeoutMs);
      if (!finished) throw new ModelStreamTruncatedError();
    } catch (error) {
      signal.throwIfAborted();
      throw new ModelStreamInterruptedError(delivered, { cause: error });
    } finally {
      idle.stop();
      // A consumer that stops early (break, throw) must not leave the HTTP response open.
      if (!exhausted) await iterator.return?.();
      release();
    }
  }

  async function completeJson<T>(params: JsonCompletionParams<T>, callOpts: LlmCallOptions): Promise<T> {
    const { schemaName, schema, ...rest } = params;
    const { signal } = callOpts;
    const completion = await timed(callOpts.trace, schemaName, () =>
      retrying(
        async (): Promise<ChatCompletion> => {
          const release = await takeSlot(signal);
          try {
            return await clientFor(callOpts.trace, params.schemaName).chat.completions.create(
              {
                ...rest,
                stream: false,
                response_format: {
                  type: "json_schema",
                  json_schema: { name: schemaName, schema: toStrictJsonSchema(schema), strict: true },
                },
              },
              { signal, maxRetries: 0, timeout: requestTimeoutMs },
            );
          } finally {
            release();
          }
        },
        { policy, signal, deadlineMs: callOpts.deadlineMs, onRetry: onRetry("json", params.model) },
      ),
    );
    return parseStructuredReply(completion, schema);
  }

  async function embed(params: EmbedParams, callOpts: LlmCallOptions): Promise<Float32Array[]> {
    if (params.input.length === 0) return [];
    const { signal } = callOpts;
    const response = await timed(callOpts.trace, "embedding", () =>
      retrying(
        async () => {
          const release = await takeSlot(signal);
          try {
            return await clientFor(callOpts.trace, "embedding").embeddings.create(
              {
                model: params.model,
                input: [...params.input],
                dimensions: params.dimensions,
                encoding_format: "float",
              },
              { signal, maxRetries: 0, timeout: requestTimeoutMs },
            );
          } finally {
            release();
          }
        },
        { policy, signal, deadlineMs: callOpts.deadlineMs, onRetry: onRetry("json", params.model) },
      ),
    );
    const vectors = [...response.data]
      .sort((a, b) => a.index - b.index)
      .map((item) => Float32Array.from(item.embedding));
    // A provider answering with another size would silently corrupt every similarity: refuse it.
    if (
      vectors.length !== params.input.length ||
      vectors.some((vector) => vector.length !== params.dimensions)
    ) {
      throw new ModelOutputError(
        `embedding model ${params.model} returned ${vectors[0]?.length ?? 0} dimensions, expected ${params.dimensions}`,
      );
    }
    return vectors;
  }

  return { limiter, calls, streamChat, completeJson, embed };
}

/** Checks a json_schema completion: not refused, not cut off, JSON, and matching the schema. */
function parseStructuredReply<T>(completion: ChatCompletion, schema: z.ZodType<T>): T {
  const choice = completion.choices[0];
  if (choice === undefined) throw new ModelOutputError("the reply has no choices");
  if (choice.message.refusal) throw new ModelOutputError(`the model refused: ${choice.message.refusal}`);
  if (choice.finish_reason === "length")
    throw new ModelOutputError("the reply was cut off at the token limit");
  const content = choice.message.content;
  if (content === null || content.trim() === "") throw new ModelOutputError("the reply is empty");
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch (error) {
    throw new ModelOutputError("the reply is not JSON", { cause: error });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw new ModelOutputError(`the reply does not match its schema: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function toStrictJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: "output", target: "draft-7" }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

interface IdleTimer {
  /** Aborts (with a ModelTimeoutError) after the timeout of running silence. */
  readonly signal: AbortSignal;
  pause(): void;
  resume(): void;
  stop(): void;
}

function createIdleTimer(timeoutMs: number): IdleTimer {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const resume = (): void => {
    clearTimeout(timer);
    if (!controller.signal.aborted) {
      timer = setTimeout(() => controller.abort(new ModelTimeoutError(timeoutMs)), timeoutMs);
    }
  };
  const pause = (): void => clearTimeout(timer);
  resume();
  return { signal: controller.signal, pause, resume, stop: pause };
}

function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof APIError) {
    return { name: error.name, status: error.status, code: error.code, message: error.message };
  }
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { message: String(error) };
}
