// /dev/v1: the console reaches the /v1 API with its token, never the API key; the answers are /v1's,
// event streams included.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readSse, tokenText } from "../support/sse";
import { script, uniqueMatch } from "../support/standin";
import { buildDevApp, newConsoleAccount, seedDemoProfiles, signIn } from "./harness";

const app = buildDevApp();
let auth: Record<string, string>;
beforeAll(async () => {
  await seedDemoProfiles();
  auth = await signIn(app, await newConsoleAccount(app.deps));
});
afterAll(() => app.close());

const asAlice = () => ({
  ...auth,
  "x-user-id": "demo-alice",
  "x-timezone": "America/New_York",
  "x-platform": "web",
  "x-app-version": "1.0.0",
});

test("GET /dev/v1/me answers as the user in X-User-ID without an API key from the page", async () => {
  const response = await app.request("/dev/v1/me", { headers: asAlice() });
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ user_id: "demo-alice", first_name: "Alice" });
});

test("an API key the page sends is replaced by the server's, so a wrong one changes nothing", async () => {
  const response = await app.request("/dev/v1/me", {
    headers: { ...asAlice(), "x-api-key": "wrong-key-wrong-key" },
  });
  expect(response.status).toBe(200);
});

test("/v1's own checks still apply: a missing context header is /v1's 400", async () => {
  const { "x-timezone": _zone, ...headers } = asAlice();
  const response = await app.request("/dev/v1/me", { headers });
  expect(response.status).toBe(400);
  expect(((await response.json()) as { error: { code: string; message: string } }).error).toMatchObject({
    code: "invalid_header",
  });
});

test("a session, a streamed answer and the history, all through /dev/v1", async () => {
  const created = await app.request("/dev/v1/sessions", { method: "POST", headers: asAlice() });
  expect(created.status).toBe(201);
  const { session_id: sessionId } = (await created.json()) as { session_id: string };
  const match = uniqueMatch("console");
  await script(match, [{ content: "Your week looked steady." }]);
  const sent = await app.request(`/dev/v1/sessions/${sessionId}/messages`, {
    method: "POST",
    headers: { ...asAlice(), "content-type": "application/json", "idempotency-key": `console-${match}` },
    body: JSON.stringify({ message: `How was my week? ${match}` }),
  });
  expect(sent.status).toBe(200);
  expect(sent.headers.get("content-type")).toStartWith("text/event-stream");
  const { events, ended } = await readSse(sent);
  expect(ended).toBe(true);
  expect(tokenText(events)).toBe("Your week looked steady.");
  expect(events.at(-1)?.event).toBe("end");

  const history = await app.request(`/dev/v1/sessions/${sessionId}/messages`, { headers: asAlice() });
  const body = (await history.json()) as { messages: { role: string; content: string }[] };
  expect(body.messages.map((message) => message.content)).toEqual([
    "Your week looked steady.",
    `How was my week? ${match}`,
  ]);
});

test("another user's session stays 404 through the console too", async () => {
  const created = await app.request("/dev/v1/sessions", { method: "POST", headers: asAlice() });
  const { session_id: sessionId } = (await created.json()) as { session_id: string };
  const response = await app.request(`/dev/v1/sessions/${sessionId}/messages`, {
    headers: { ...asAlice(), "x-user-id": "demo-bob", "x-timezone": "Europe/London" },
  });
  expect(response.status).toBe(404);
});
