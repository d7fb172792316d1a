// The console's SSE parser, fed the way a network delivers bytes: whole, one character at a time, and
// split at the awkward places (inside a CRLF, inside a field name).
import { describe, expect, test } from "bun:test";
import { type SseFrame, SseParser } from "../../src/console/client/sse-parser";

function parseAll(chunks: string[]): SseFrame[] {
  const parser = new SseParser();
  return chunks.flatMap((chunk) => parser.push(chunk));
}

const frame = (id: string | null, event: string, data: string): SseFrame => ({ id, event, data });

describe("SseParser", () => {
  const cases: { name: string; input: string; frames: SseFrame[] }[] = [
    {
      name: "the API's frames: retry line, id, event, JSON data",
      input: 'retry: 1000\n\nid: 1-0\nevent: token\ndata: {"text":"Hi"}\n\nid: 1-1\nevent: end\ndata: {}\n\n',
      frames: [frame("1-0", "token", '{"text":"Hi"}'), frame("1-1", "end", "{}")],
    },
    {
      name: "keep-alive comments produce nothing",
      input: ": keep-alive\n\n: keep-alive\n\nid: 2-0\nevent: done\ndata: {}\n\n",
      frames: [frame("2-0", "done", "{}")],
    },
    {
      name: "CRLF and lone CR line endings",
      input: "id: 3-0\r\nevent: token\r\ndata: a\r\n\r\nid: 3-1\revent: token\rdata: b\r\r",
      frames: [frame("3-0", "token", "a"), frame("3-1", "token", "b")],
    },
    {
      name: "several data lines join with a newline; no space after the colon is kept as is",
      input: "data:one\ndata: two\ndata:  three\n\n",
      frames: [frame(null, "message", "one\ntwo\n three")],
    },
    {
      name: "a frame without data is not dispatched; its id does not leak into the next frame",
      input: "id: 4-0\nevent: token\n\ndata: x\n\n",
      frames: [frame(null, "message", "x")],
    },
    {
      name: "an id containing NUL is ignored; unknown fields are ignored",
      input: "id: 5\u00000\nfoo: bar\ndata: y\n\n",
      frames: [frame(null, "message", "y")],
    },
    {
      name: "a field with no colon has an empty value",
      input: "data\n\n",
      frames: [frame(null, "message", "")],
    },
    {
      name: "an unterminated last frame is not dispatched",
      input: "id: 6-0\nevent: token\ndata: partial",
      frames: [],
    },
  ];

  for (const { name, input, frames } of cases) {
    test(`${name} (whole)`, () => {
      expect(parseAll([input])).toEqual(frames);
    });
    test(`${name} (one character at a time)`, () => {
      expect(parseAll([...input])).toEqual(frames);
    });
  }

  test("a CRLF split across chunks is one line ending, not an empty line", () => {
    const frames = parseAll(["id: 7-0\r", "\nevent: token\r", "\ndata: z\r", "\n\r", "\n"]);
    expect(frames).toEqual([frame("7-0", "token", "z")]);
  });

  test("multi-byte text split by the network reaches the parser intact through TextDecoder streaming", () => {
    const bytes = new TextEncoder().encode('id: 8-0\nevent: token\ndata: {"text":"Grüße 👋"}\n\n');
    const decoder = new TextDecoder();
    const parser = new SseParser();
    const frames = [...bytes].flatMap((byte) =>
      parser.push(decoder.decode(new Uint8Array([byte]), { stream: true })),
    );
    expect(frames).toEqual([frame("8-0", "token", '{"text":"Grüße 👋"}')]);
  });
});
