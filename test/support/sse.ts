// Reading Server-Sent Events from a Response the way a client would: frames with id, event, data.

export interface SseEvent {
  id: string;
  event: string;
  data: Record<string, unknown>;
}

export interface SseReadResult {
  events: SseEvent[];
  comments: number;
  /** True when the stream ended by itself (as opposed to the reader stopping early). */
  ended: boolean;
}

/** Reads frames until the stream closes, `stop` says so, or the timeout passes (then it throws). */
export async function readSse(
  response: Response,
  options: { stop?: (events: SseEvent[]) => boolean; timeoutMs?: number } = {},
): Promise<SseReadResult> {
  if (!response.body) throw new Error("response has no body");
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let comments = 0;
  let buffer = "";
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  try {
    while (true) {
      const remaining = deadline - Date.now();
      if (remaining <= 0)
        throw new Error(`SSE read timed out; events so far: ${events.map((e) => e.event).join(",")}`);
      const chunk = await Promise.race([
        reader.read(),
        Bun.sleep(remaining).then(() => ({ done: false, value: undefined, timedOut: true as const })),
      ]);
      if ("timedOut" in chunk) continue;
      if (chunk.done) return { events, comments, ended: true };
      buffer += decoder.decode(chunk.value, { stream: true });
      let boundary = buffer.indexOf("\n\n");
      while (boundary !== -1) {
        const frame = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        const parsed = parseFrame(frame);
        if (parsed === "comment") comments++;
        else if (parsed) events.push(parsed);
        boundary = buffer.indexOf("\n\n");
      }
      if (options.stop?.(events)) return { events, comments, ended: false };
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

function parseFrame(frame: string): SseEvent | "comment" | null {
  let id = "";
  let event = "message";
  let data = "";
  let sawField = false;
  for (const line of frame.split("\n")) {
    if (line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "id") id = value;
    else if (field === "event") event = value;
    else if (field === "data") data += value;
    else continue;
    sawField = true;
  }
  if (!sawField) return frame.trim().startsWith(":") ? "comment" : null;
  if (!data) return null;
  return { id, event, data: JSON.parse(data) as Record<string, unknown> };
}

export function tokenText(events: SseEvent[]): string {
  return events
    .filter((event) => event.event === "token")
    .map((event) => String(event.data.text))
    .join("");
}
