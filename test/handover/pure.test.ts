// The handover's pure pieces, table-driven: the signature check, HTML to plain text, reading reply
// notifications, the text sent to Intercom (redacted), the FAQ-miss reading of a logged event, and
// the Intercom config rule.
import { describe, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import { replyNotification } from "../../scripts/standins/intercom/notification";
import { isFaqMiss } from "../../src/handover/faq-miss";
import { htmlToPlainText, SUPPORT_REPLY_MAX_CHARS } from "../../src/handover/html-text";
import { intercomSettings } from "../../src/handover/intercom-api";
import { parseEnvelope, readReplyNotification } from "../../src/handover/notification";
import { verifyIntercomSignature } from "../../src/handover/signature";
import { composeHandoverText, QUESTION_MAX_CHARS } from "../../src/handover/summary";
import { testConfig } from "../support/stack";

const SECRET = "s3cret";
const bytes = (text: string) => new TextEncoder().encode(text);
const sign = (text: string, secret = SECRET) =>
  `sha1=${createHmac("sha1", secret).update(text).digest("hex")}`;

describe("verifyIntercomSignature", () => {
  const body = '{"type":"notification_event"}';
  test.each([
    ["the right signature", sign(body), true],
    ["upper-case hex", sign(body).toUpperCase().replace("SHA1=", "sha1="), true],
    ["surrounding spaces", ` ${sign(body)} `, true],
    ["missing", null, false],
    ["empty", "", false],
    ["another secret", sign(body, "other"), false],
    ["another body", sign(`${body} `), false],
    ["sha256 prefix", sign(body).replace("sha1=", "sha256="), false],
    ["no prefix", sign(body).slice(5), false],
    ["too short", sign(body).slice(0, -1), false],
    ["too long", `${sign(body)}0`, false],
    ["not hex", `sha1=${"g".repeat(40)}`, false],
  ] as const)("%s", (_name, header, expected) => {
    expect(verifyIntercomSignature(bytes(body), header, SECRET)).toBe(expected);
  });
});

describe("htmlToPlainText", () => {
  test.each([
    ["<p>Hi</p>", "Hi"],
    ["<p>One</p><p>Two</p>", "One\n\nTwo"],
    ["Line<br>break", "Line\nbreak"],
    ["a &amp; b &lt;3 &#39;q&#39; &eacute;", "a & b <3 'q' é"],
    ['<a href="https://hilo.example/x">help</a>', "help [https://hilo.example/x]"],
    ['<a href="https://hilo.example/x">https://hilo.example/x</a>', "https://hilo.example/x"],
    ["<ul><li>one</li><li>two</li></ul>", "* one\n * two"],
    ["<script>alert(1)</script><p>safe</p>", "safe"],
    ["<b>bold</b> and <i>italic</i>", "bold and italic"],
    ["plain text", "plain text"],
    ["<p>   </p>", ""],
  ])("%s", (html, text) => {
    expect(htmlToPlainText(html)).toBe(text);
  });

  test("an enormous reply is cut", () => {
    expect(Array.from(htmlToPlainText(`<p>${"é".repeat(SUPPORT_REPLY_MAX_CHARS + 10)}</p>`))).toHaveLength(
      SUPPORT_REPLY_MAX_CHARS,
    );
  });
});

describe("readReplyNotification", () => {
  const base = {
    conversationId: "123",
    contact: { id: "c1", externalId: "u1" },
    partId: "p1",
    body: "<p>Hello</p>",
  };

  test("a teammate's comment becomes one reply with its author", () => {
    const envelope = parseEnvelope(replyNotification({ ...base, author: { type: "admin", name: " Sam " } }));
    expect(envelope).not.toBeNull();
    expect(envelope && readReplyNotification(envelope)).toEqual({
      conversationId: "123",
      contacts: [{ id: "c1", externalId: "u1" }],
      replies: [{ partId: "p1", authorName: "Sam", text: "Hello" }],
    });
  });

  test.each([
    ["a note", { partType: "note" }],
    ["a close part", { partType: "close" }],
    ["an empty body", { body: "<p></p>" }],
  ])("%s is not a reply", (_name, overrides) => {
    const envelope = parseEnvelope(replyNotification({ ...base, ...overrides }));
    expect(envelope && readReplyNotification(envelope)?.replies).toEqual([]);
  });

  test("the user's own part and malformed parts are skipped, the rest kept", () => {
    const payload = replyNotification(base) as {
      data: { item: { conversation_parts: { conversation_parts: unknown[] } } };
    };
    const parts = payload.data.item.conversation_parts.conversation_parts;
    parts.push(
      {
        type: "conversation_part",
        id: "p2",
        part_type: "comment",
        body: "<p>mine</p>",
        author: { type: "user", name: "Jane" },
      },
      { id: 42, part_type: "comment", body: "<p>numeric id</p>", author: { type: "bot", name: null } },
      { part_type: "comment", body: "no id" },
      "not an object",
    );
    const envelope = parseEnvelope(payload);
    expect(envelope && readReplyNotification(envelope)?.replies).toEqual([
      { partId: "p1", authorName: "Sam from Hilo Support", text: "Hello" },
      { partId: "42", authorName: null, text: "numeric id" },
    ]);
  });

  test.each([
    ["not an event", { type: "something", id: "n", topic: "ping" }],
    ["no id", { type: "notification_event", topic: "ping" }],
    ["no topic", { type: "notification_event", id: "n" }],
    ["an array", []],
    ["null", null],
  ])("an envelope that is %s is refused", (_name, value) => {
    expect(parseEnvelope(value)).toBeNull();
  });
});

describe("composeHandoverText", () => {
  test("the question and the user's messages are redacted and quoted, oldest first", () => {
    const text = composeHandoverText("Can I move my plan? Call +44 7700 900123", [
      "first question, mail me at jane@example.com",
      "second\n\nquestion",
    ]);
    expect(text.question).toBe("Can I move my plan? Call [phone]");
    expect(text.summary).toContain("- first question, mail me at [email]\n- second question");
    expect(text.body).toContain("Question: Can I move my plan? Call [phone]");
    expect(text.body).not.toContain("jane@example.com");
    expect(text.body).not.toContain("7700");
  });

  test("long input is cut, a session without messages still has a summary", () => {
    const text = composeHandoverText("q".repeat(QUESTION_MAX_CHARS + 50), []);
    expect(Array.from(text.question)).toHaveLength(QUESTION_MAX_CHARS);
    expect(text.summary).toContain("asked for help");
  });
});

describe("isFaqMiss", () => {
  const entry = (event: string, data: unknown) => [
    "1-0",
    ["e", event, "d", JSON.stringify(data), "w", "p", "n", "1"],
  ];
  test.each([
    [
      "a search_faq no_match",
      entry("tool_result", { name: "search_faq", ok: true, result: { status: "no_match" } }),
      true,
    ],
    [
      "a search_faq with matches",
      entry("tool_result", { name: "search_faq", ok: true, result: { matches: [] } }),
      false,
    ],
    [
      "a failed search_faq",
      entry("tool_result", { name: "search_faq", ok: false, result: { code: "unavailable" } }),
      false,
    ],
    [
      "another tool's no_match",
      entry("tool_result", { name: "recall_memory", ok: true, result: { status: "no_match" } }),
      false,
    ],
    ["a tool_call", entry("tool_call", { name: "search_faq", arguments: {} }), false],
    ["a token mentioning it", entry("token", { text: 'search_faq "no_match"' }), false],
    ["broken JSON", ["1-0", ["e", "tool_result", "d", "{search_faq"]], false],
    ["not an entry", "nope", false],
  ])("%s", (_name, value, expected) => {
    expect(isFaqMiss(value)).toBe(expected);
  });
});

describe("Intercom config", () => {
  test("unset: no Intercom", () => {
    expect(
      intercomSettings(testConfig({ INTERCOM_ACCESS_TOKEN: "", INTERCOM_CLIENT_SECRET: "" })),
    ).toBeNull();
  });

  test("token and secret: Intercom with the default base URL and timeout", () => {
    expect(
      intercomSettings(
        testConfig({ INTERCOM_ACCESS_TOKEN: "tok", INTERCOM_CLIENT_SECRET: "sec", INTERCOM_BASE_URL: "" }),
      ),
    ).toEqual({
      baseUrl: "https://api.intercom.io",
      accessToken: "tok",
      clientSecret: "sec",
      timeoutMs: 3_000,
    });
  });

  test.each([
    [{ INTERCOM_ACCESS_TOKEN: "tok", INTERCOM_CLIENT_SECRET: "" }, "INTERCOM_CLIENT_SECRET"],
    [{ INTERCOM_ACCESS_TOKEN: "", INTERCOM_CLIENT_SECRET: "sec" }, "INTERCOM_ACCESS_TOKEN"],
    [{ INTERCOM_TIMEOUT_MS: "5000" }, "INTERCOM_TIMEOUT_MS"],
    [{ INTERCOM_BASE_URL: "ftp://intercom" }, "INTERCOM_BASE_URL"],
  ])("%o is refused, naming %s", (overrides, key) => {
    expect(() => testConfig(overrides)).toThrow(key);
  });
});
