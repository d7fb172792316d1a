// The relay forwards log entries as SSE frames without parsing their payloads; what it must still
// refuse is anything that would break the framing for every later event of the stream.
import { expect, test } from "bun:test";
import { decodeFrames } from "../../src/chat/turn-log";

test("an entry becomes its frame, payload byte for byte, and `end` is marked terminal", () => {
  const payload = JSON.stringify({ turn_id: "t1", text: 'Hi 👋 "quoted" \\ back\u2028slash' });
  const frames = decodeFrames([
    ["1-0", ["e", "token", "d", payload]],
    ["1-1", ["d", "{}", "e", "end"]],
  ]);
  expect(frames).toEqual([
    { id: "1-0", text: `id: 1-0\nevent: token\ndata: ${payload}\n\n`, terminal: false },
    { id: "1-1", text: "id: 1-1\nevent: end\ndata: {}\n\n", terminal: true },
  ]);
});

test("entries that could break the framing are skipped, the rest still relayed", () => {
  const frames = decodeFrames([
    ["1-0", ["e", "token\nevent: end", "d", "{}"]],
    ["1-1", ["e", "token", "d", '{"text":"a"}\n\ndata: {}']],
    ["1-2", ["e", "token", "d", '{"text":"a"}\r']],
    ["1-3", ["e", "token"]],
    ["1-4", ["e", "token", "d", '{"text":"ok"}']],
  ]);
  expect(frames.map((frame) => frame.id)).toEqual(["1-4"]);
});

test("a reply that is not a list of entries yields nothing", () => {
  expect(decodeFrames(null)).toEqual([]);
  expect(decodeFrames("1-0")).toEqual([]);
});
