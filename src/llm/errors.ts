// Failures the model-call layer adds on top of the openai SDK's own error classes.

/** No chunk (or no response) arrived within the per-attempt idle timeout. Retryable before the first chunk. */
export class ModelTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the model sent nothing for ${timeoutMs} ms`);
    this.name = "ModelTimeoutError";
  }
}

/** The stream closed without a finish reason: the reply is incomplete. Retryable before the first chunk. */
export class ModelStreamTruncatedError extends Error {
  constructor() {
    super("the model stream ended without a finish reason");
    this.name = "ModelStreamTruncatedError";
  }
}

/**
 * A stream failed after chunks had already been handed to the caller. Never retried: the caller may have
 * shown those tokens to the user, and a second attempt would repeat them.
 */
export class ModelStreamInterruptedError extends Error {
  constructor(
    readonly chunksDelivered: number,
    options: { cause: unknown },
  ) {
    super(`the model stream failed after ${chunksDelivered} chunk(s)`, options);
    this.name = "ModelStreamInterruptedError";
  }
}

/** A structured (json_schema) reply was refused, cut off, not JSON, or did not match its schema. */
export class ModelOutputError extends Error {
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = "ModelOutputError";
  }
}
