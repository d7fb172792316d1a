// With HILO_ENV=production no dev route exists: every /dev path is the plain 404 of an unknown route,
// whatever the method, token or body.
import { afterAll, expect, test } from "bun:test";
import { buildDevApp, newConsoleAccount, signIn } from "./harness";

const production = buildDevApp({ HILO_ENV: "production", OPENAI_API_KEY: "sk-test-not-the-dev-key" });
const development = buildDevApp({ HILO_ENV: "development" });
afterAll(() => Promise.all([production.close(), development.close()]));

const ROUTES: [string, string, string | undefined][] = [
  ["POST", "/dev/login", JSON.stringify({ username: "console", password: "hilo-console" })],
  ["GET", "/dev/session", undefined],
  ["GET", "/dev/v1/me", undefined],
  ["POST", "/dev/v1/sessions", undefined],
  ["POST", "/dev/qa-runs", "id,question\n1,How was my week?\n"],
  ["GET", "/dev/qa-runs", undefined],
  ["GET", "/dev/qa-runs/01890000-0000-7000-8000-000000000000", undefined],
  ["GET", "/dev/qa-runs/01890000-0000-7000-8000-000000000000.csv", undefined],
  ["GET", "/dev", undefined],
];

test("every /dev route is 404 in production, even with a token that works in development", async () => {
  const auth = await signIn(development, await newConsoleAccount(development.deps));
  for (const [method, path, body] of ROUTES) {
    const response = await production.request(path, {
      method,
      headers: {
        ...auth,
        "content-type": path === "/dev/qa-runs" ? "text/csv" : "application/json",
        "x-user-id": "demo-alice",
      },
      body,
    });
    expect({ method, path, status: response.status }).toEqual({ method, path, status: 404 });
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("not_found");
  }
});

test("the same routes exist outside production (the 404s above are not typos)", async () => {
  for (const [method, path, body] of ROUTES.filter(([, path]) => path !== "/dev")) {
    const response = await development.request(path, {
      method,
      headers: { "content-type": path === "/dev/qa-runs" ? "text/csv" : "application/json" },
      body,
    });
    // Without a token: 401 (or the login's own answer), never the unknown-route 404.
    expect({ method, path, status: response.status }).not.toEqual({ method, path, status: 404 });
  }
});
