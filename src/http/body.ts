// Request bodies are read by us, not by Bun or Elysia, so that a body over the limit is refused with
// the one JSON error shape wherever its size shows: in Content-Length (before reading anything) or
// part-way through a chunked body (reading stops at the limit). Every body this API takes is JSON,
// except signed webhooks, whose routes get the raw bytes.
import { invalidJson, payloadTooLarge } from "./errors";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The parsed JSON body, or undefined when the request has none. Throws the ApiError to answer. */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const bytes = await readRawBody(request, maxBytes);
  if (bytes.byteLength === 0) return undefined;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw invalidJson("request body is not valid UTF-8");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw invalidJson("request body is not valid JSON");
  }
}

/**
 * The body's exact bytes (empty when there is none), under the same cap: for routes that check a
 * signature over the bytes as sent (webhooks) before anything parses them.
 */
export async function readRawBody(request: Request, maxBytes: number): Promise<Uint8Array> {
  const body = request.body;
  if (!body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw payloadTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

/** A request's path for messages and logs; a target no URL parser accepts (CONNECT host:port) has none. */
export function requestPath(request: Request): string {
  try {
    return new URL(request.url).pathname;
  } catch {
    return "(unparsable request target)";
  }
}
