// Request bodies are read by us, not by Bun or Elysia, so that a body over the limit is refused with
// the one JSON error shape wherever its size shows: in Content-Length (before reading anything) or
// part-way through a chunked body (reading stops at the limit). Every body this API takes is JSON.
import { invalidJson, payloadTooLarge } from "./errors";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The parsed JSON body, or undefined when the request has none. Throws the ApiError to answer. */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const body = request.body;
  if (!body) return undefined;
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
  if (size === 0) return undefined;
  let text: string;
  try {
    text = utf8.decode(Buffer.concat(chunks, size));
  } catch {
    throw invalidJson("request body is not valid UTF-8");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw invalidJson("request body is not valid JSON");
  }
}

/** A request's path for messages and logs; a target no URL parser accepts (CONNECT host:port) has none. */
export function requestPath(request: Request): string {
  try {
    return new URL(request.url).pathname;
  } catch {
    return "(unparsable request target)";
  }
}
