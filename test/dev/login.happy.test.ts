// The dev console's sign-in: a token for a seeded account, and what the console reads with it.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { DEV_TOKEN_TTL_SECONDS } from "../../src/dev/auth";
import { buildDevApp, login, newConsoleAccount, seedDemoProfiles, signIn } from "./harness";

const app = buildDevApp();
beforeAll(() => seedDemoProfiles());
afterAll(() => app.close());

test("a seeded account gets a short-lived HS256 token naming it", async () => {
  const account = await newConsoleAccount(app.deps);
  const before = Date.now();
  const response = await login(app, account);
  expect(response.status).toBe(200);
  const body = (await response.json()) as {
    token: string;
    token_type: string;
    expires_at: string;
    username: string;
  };
  expect(body.token_type).toBe("Bearer");
  expect(body.username).toBe(account.username);
  expect(decodeProtectedHeader(body.token).alg).toBe("HS256");
  const claims = decodeJwt(body.token);
  expect(claims.sub).toBe(account.username);
  const expiresAt = Date.parse(body.expires_at);
  expect(claims.exp).toBe(Math.floor(expiresAt / 1000));
  expect(expiresAt - before).toBeGreaterThan((DEV_TOKEN_TTL_SECONDS - 5) * 1000);
  expect(expiresAt - before).toBeLessThanOrEqual((DEV_TOKEN_TTL_SECONDS + 1) * 1000);
  // Stored hashes are argon2id, never the password.
  const [row] = (await app.deps.appDb.pool.query("SELECT password_hash FROM dev_users WHERE username = ?", [
    account.username,
  ])) as unknown as [{ password_hash: string }[]];
  expect(row[0]?.password_hash).toStartWith("$argon2id$");
  expect(row[0]?.password_hash).not.toContain(account.password);
}, 30_000);

test("GET /dev/session names the console user, the demo users and the QA settings", async () => {
  const account = await newConsoleAccount(app.deps);
  const auth = await signIn(app, account);
  const response = await app.request("/dev/session", { headers: auth });
  expect(response.status).toBe(200);
  const body = (await response.json()) as {
    username: string;
    demo_users: { user_id: string; first_name: string; timezone: string }[];
    qa: { user_id: string; max_questions: number; columns: string[]; tools: string[] };
  };
  expect(body.username).toBe(account.username);
  // The seeded demo users lead the list, then the QA user, however many test users the database holds.
  expect(body.demo_users.slice(0, 3).map((user) => user.user_id)).toEqual([
    "demo-alice",
    "demo-bob",
    "qa-eval",
  ]);
  expect(body.demo_users[0]).toEqual({
    user_id: "demo-alice",
    first_name: "Alice",
    timezone: "America/New_York",
  });
  expect(body.demo_users.length).toBeLessThanOrEqual(100);
  expect(body.qa.user_id).toBe("qa-eval");
  expect(body.qa.max_questions).toBe(10_000);
  expect(body.qa.columns).toEqual(["id", "question", "expected_tools"]);
  expect(body.qa.tools).toContain("get_latest_bp_reading");
}, 30_000);

test("the dev routes are not in the public OpenAPI document", async () => {
  const document = (await (await app.request("/openapi.json")).json()) as { paths: Record<string, unknown> };
  expect(Object.keys(document.paths).length).toBeGreaterThan(0);
  expect(Object.keys(document.paths).filter((path) => path.startsWith("/dev"))).toEqual([]);
}, 30_000);
