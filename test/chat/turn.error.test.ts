// Every bad input to the chat routes gets the right 4xx JSON and stores nothing.

import { afterAll, describe, expect, test } from "bun:test";
import { randomUUID } from "node:crypto";
import { readSse } from "../support/sse";
import { requestsMatching } from "../support/standin";
import { buildTestApp, clientHeaders, newIdempotencyKey, openSession, send } from "./harness";

const app = buildTestApp();
afterAll(() => app.close());

async function expectError(response: Response, status: number, code: string, mentions?: string) {
  expect(response.status).toBe(status);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  if (mentions) expect(body.error.message).toContain(mentions);
}

async function messageCount(user: { userId: string; sessionId: string }) {
  const response = await app.request(`/v1/sessions/${user.sessionId}/messages`, {
    headers: clientHeaders(user.userId),
  });
  return ((await response.json()) as { messages: unknown[] }).messages.length;
}

describe("sending", () => {
  test("a missing Idempotency-Key is 400 naming it", async () => {
    const user = await openSession(app);
    const response = await app.request(`/v1/sessions/${user.sessionId}/messages`, {
      method: "POST",
      headers: { ...clientHeaders(user.userId), "content-type": "application/json" },
      body: JSON.stringify({ message: "hi" }),
    });
    await expectError(response, 400, "invalid_header", "Idempotency-Key");
  });

  test("an Idempotency-Key shorter than 8 characters is 400", async () => {
    const user = await openSession(app);
    await expectError(
      await send(app, user, "hi", { key: "short" }),
      400,
      "invalid_header",
      "Idempotency-Key",
    );
  });

  const bodies: [string, string][] = [
    ["an empty message", JSON.stringify({ message: "" })],
    ["a whitespace-only message", JSON.stringify({ message: "   \n " })],
    ["a message of 4,001 characters", JSON.stringify({ message: "a".repeat(4001) })],
    ["a missing message", JSON.stringify({ text: "hi" })],
    ["a non-string message", JSON.stringify({ message: 42 })],
  ];
  for (const [name, body] of bodies) {
    test(`${name} is 400 and stores nothing`, async () => {
      const user = await openSession(app);
      const response = await app.request(`/v1/sessions/${user.sessionId}/messages`, {
        method: "POST",
        headers: {
          ...clientHeaders(user.userId),
          "content-type": "application/json",
          "idempotency-key": newIdempotencyKey(),
        },
        body,
      });
      await expectError(response, 400, "invalid_request");
      expect(await messageCount(user)).toBe(0);
    });
  }

  // Each message carries a random id spelled in zero-width characters (U+200B for 0, U+200C for 1),
  // so the stand-in's record shows whether this very message ever reached the model.
  const invisibleId = () =>
    Array.from(randomUUID().replace(/-/g, ""), (hex) =>
      Number.parseInt(hex, 16).toString(2).padStart(4, "0").replace(/0/g, "\u200b").replace(/1/g, "\u200c"),
    ).join("");
  const invisible: [string, string][] = [
    ["zero-width spaces, joiners, word joiner and BOM", "\u200b\u200d\u2060\ufeff"],
    ["a soft hyphen between spaces", " \u00ad \n"],
    [
      "bidi marks, embeddings and isolates",
      "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    ],
    ["a Hangul filler, a variation selector and a tag character", "\u3164\ufe0f\u{e0041}"],
  ];
  for (const [name, characters] of invisible) {
    test(`a message of only ${name} is 400, stores nothing and calls no model`, async () => {
      const user = await openSession(app);
      const id = invisibleId();
      const response = await send(app, user, `${characters}${id}\t`);
      await expectError(response, 400, "invalid_request", "visible");
      expect(await messageCount(user)).toBe(0);
      expect(await requestsMatching(id)).toHaveLength(0);
    });
  }

  test("a message with visible text among zero-width characters is accepted and stored as sent", async () => {
    const user = await openSession(app);
    const message = `\u200bhow was my\u200d week?\u2060 ${randomUUID()}`;
    const response = await send(app, user, message);
    expect(response.status).toBe(200);
    await readSse(response);
    const listed = await app.request(`/v1/sessions/${user.sessionId}/messages`, {
      headers: clientHeaders(user.userId),
    });
    const { messages } = (await listed.json()) as { messages: { role: string; content: string }[] };
    expect(messages.find((stored) => stored.role === "user")?.content).toBe(message);
  });

  test("a message of exactly 4,000 characters is accepted", async () => {
    const user = await openSession(app);
    const response = await send(app, user, "b".repeat(4000), { headers: { prefer: "respond-async" } });
    expect(response.status).toBe(202);
  });

  test("malformed JSON is 400", async () => {
    const user = await openSession(app);
    const response = await app.request(`/v1/sessions/${user.sessionId}/messages`, {
      method: "POST",
      headers: {
        ...clientHeaders(user.userId),
        "content-type": "application/json",
        "idempotency-key": newIdempotencyKey(),
      },
      body: "{not json",
    });
    expect(response.status).toBe(400);
  });

  test("an unknown session is 404", async () => {
    const user = await openSession(app);
    await expectError(await send(app, { ...user, sessionId: "no-such-session" }, "hi"), 404, "not_found");
  });
});

describe("resuming", () => {
  test("an unknown turn is 404", async () => {
    const user = await openSession(app);
    const response = await app.request(`/v1/sessions/${user.sessionId}/turns/no-such-turn/events`, {
      headers: clientHeaders(user.userId),
    });
    await expectError(response, 404, "not_found");
  });

  test("a Last-Event-ID that is not an event id is 400", async () => {
    const user = await openSession(app);
    const accepted = await send(app, user, "resume me", { headers: { prefer: "respond-async" } });
    const { turn_id } = (await accepted.json()) as { turn_id: string };
    const response = await app.request(`/v1/sessions/${user.sessionId}/turns/${turn_id}/events`, {
      headers: { ...clientHeaders(user.userId), "last-event-id": "'; DROP TABLE" },
    });
    await expectError(response, 400, "invalid_header", "Last-Event-ID");
  });
});
