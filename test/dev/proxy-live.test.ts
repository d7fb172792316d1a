// /dev/v1 on the real `hilo api` server (its listen options, a real socket): the console's stream is
// relayed whole, with a silent stretch in the middle.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { upsertDevUser } from "../../src/dev/users";
import { type LiveApi, startLiveApi } from "../support/live-api";
import { readSse, tokenText } from "../support/sse";
import { script, uniqueMatch } from "../support/standin";

let api: LiveApi;
beforeAll(async () => {
  api = await startLiveApi({ HILO_ENV: "development" });
});
afterAll(() => api.stop());

test("a streamed answer whose first token comes after 2 s of silence arrives whole", async () => {
  const account = { username: `live-${uniqueMatch("c")}`, password: "live-console-password" };
  await upsertDevUser(api.deps.appDb.db, account.username, account.password);
  const login = await fetch(`${api.url}/dev/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(account),
  });
  const { token } = (await login.json()) as { token: string };
  const headers = {
    authorization: `Bearer ${token}`,
    "x-user-id": "demo-bob",
    "x-timezone": "Europe/London",
    "x-platform": "web",
    "x-app-version": "1.0.0",
  };
  const created = await fetch(`${api.url}/dev/v1/sessions`, { method: "POST", headers });
  const { session_id: sessionId } = (await created.json()) as { session_id: string };
  const match = uniqueMatch("silent");
  await script(match, [{ content: "Worth the wait.", delayMs: 2_000 }]);
  const sent = await fetch(`${api.url}/dev/v1/sessions/${sessionId}/messages`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json", "idempotency-key": `live-${match}` },
    body: JSON.stringify({ message: `Anything new? ${match}` }),
  });
  expect(sent.status).toBe(200);
  const { events, ended } = await readSse(sent, { timeoutMs: 15_000 });
  expect(ended).toBe(true);
  expect(tokenText(events)).toBe("Worth the wait.");
  expect(events.at(-1)?.event).toBe("end");
}, 20_000);
