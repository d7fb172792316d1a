// Sign-in refusals: wrong credentials (one answer for a wrong username and a wrong password), bad
// bodies, and the brute-force limits.
import { afterAll, expect, test } from "bun:test";
import { buildDevApp, login, newConsoleAccount } from "./harness";

const app = buildDevApp();
// Its own counters: the address limit below is spent by the flood test.
const floodApp = buildDevApp();
// Behind one trusted proxy, so each attempt can come from an address of its own.
const proxiedApp = buildDevApp({ HILO_TRUSTED_PROXY_HOPS: "1" });
afterAll(() => Promise.all([app.close(), floodApp.close(), proxiedApp.close()]));

test("a wrong password and an unknown username get the same 401", async () => {
  const account = await newConsoleAccount(app.deps);
  const wrongPassword = await login(app, { ...account, password: "not-it" });
  const unknownUser = await login(app, { username: `${account.username}-x`, password: account.password });
  expect(wrongPassword.status).toBe(401);
  expect(unknownUser.status).toBe(401);
  const bodies = [await wrongPassword.json(), await unknownUser.json()];
  expect(bodies[0]).toEqual({ error: { code: "unauthorized", message: "wrong username or password" } });
  expect(bodies[1]).toEqual(bodies[0]);
}, 30_000);

test("usernames are exact: another case is another (unknown) account", async () => {
  const account = await newConsoleAccount(app.deps);
  const response = await login(app, { ...account, username: account.username.toUpperCase() });
  expect(response.status).toBe(401);
}, 30_000);

test.each([
  ["no body", undefined],
  ["missing password", JSON.stringify({ username: "console" })],
  ["empty password", JSON.stringify({ username: "console", password: "" })],
  ["extra field", JSON.stringify({ username: "console", password: "x", admin: true })],
  ["not JSON", "username=console&password=x"],
])("%s is 400", async (_name, body) => {
  const response = await app.request("/dev/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  expect(response.status).toBe(400);
  const json = (await response.json()) as { error: { code: string } };
  expect(["invalid_request", "invalid_json"]).toContain(json.error.code);
});

test("the 11th attempt in a minute from one address is 429 with Retry-After, even with the right password", async () => {
  const account = await newConsoleAccount(floodApp.deps);
  for (let attempt = 0; attempt < 10; attempt++) {
    expect((await login(floodApp, { ...account, password: `guess-${attempt}` })).status).toBe(401);
  }
  const refused = await login(floodApp, account);
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
}, 30_000);

test("10 failures for one username from 10 addresses lock that username, not the others", async () => {
  const target = await newConsoleAccount(proxiedApp.deps);
  const other = await newConsoleAccount(proxiedApp.deps);
  for (let attempt = 0; attempt < 10; attempt++) {
    const response = await login(
      proxiedApp,
      { ...target, password: `guess-${attempt}` },
      { "x-forwarded-for": `203.0.113.${attempt + 1}` },
    );
    expect(response.status).toBe(401);
  }
  const locked = await login(proxiedApp, target, { "x-forwarded-for": "203.0.113.99" });
  expect(locked.status).toBe(429);
  expect(((await locked.json()) as { error: { message: string } }).error.message).toContain("username");
  expect((await login(proxiedApp, other, { "x-forwarded-for": "203.0.113.100" })).status).toBe(200);
}, 30_000);
