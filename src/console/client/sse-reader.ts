// Reads an event stream from a fetch Response body, frame by frame, as bytes arrive.
import { type SseFrame, SseParser } from "./sse-parser";

/**
 * Calls `onFrame` for each frame until the body ends. Resolves when the server closed the stream;
 * rejects with the fetch's AbortError when the caller aborted it, or with the network error.
 */
export async function readEventStream(
  body: ReadableStream<Uint8Array>,
  onFrame: (frame: SseFrame) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      for (const frame of parser.push(decoder.decode(value, { stream: true }))) onFrame(frame);
    }
    for (const frame of parser.push(decoder.decode())) onFrame(frame);
  } finally {
    reader.releaseLock();
  }
}
