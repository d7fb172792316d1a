// Every /dev route but the login needs a valid console token: none, a forged one, another secret's, an
// expired one or an `alg: none` one is 401, and the API key never stands in for it.
import { afterAll, expect, test } from "bun:test";
import { SignJWT, UnsecuredJWT } from "jose";
import { TEST_API_KEY } from "../support/stack";
import { buildDevApp, newConsoleAccount, signIn } from "./harness";

const app = buildDevApp({ HILO_DEV_JWT_SECRET: "a-test-secret-of-at-least-32-characters!" });
afterAll(() => app.close());

const ROUTES: [string, string][] = [
  ["GET", "/dev/session"],
  ["GET", "/dev/qa-runs"],
  ["POST", "/dev/qa-runs"],
  ["GET", "/dev/qa-runs/01890000-0000-7000-8000-000000000000"],
  ["GET", "/dev/qa-runs/01890000-0000-7000-8000-000000000000.csv"],
  ["GET", "/dev/v1/me"],
  ["POST", "/dev/v1/sessions"],
];

async function expectUnauthorized(headers: Record<string, string>) {
  for (const [method, path] of ROUTES) {
    const response = await app.request(path, {
      method,
      headers: { "content-type": "text/csv", "x-user-id": "demo-alice", ...headers },
      body: path === "/dev/qa-runs" && method === "POST" ? "id,question\n1,hello\n" : undefined,
    });
    expect({ method, path, status: response.status }).toEqual({ method, path, status: 401 });
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
  }
}

const key = (secret: string) => new TextEncoder().encode(secret);
const sign = (secret: string, expiresAt: number, subject = "console") =>
  new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(subject)
    .setIssuer("hilo-dev")
    .setAudience("hilo-console")
    .setIssuedAt()
    .setExpirationTime(expiresAt)
    .sign(key(secret));

test("no token, or the API key instead of one, is 401 on every route", async () => {
  await expectUnauthorized({});
  await expectUnauthorized({ "x-api-key": TEST_API_KEY });
  await expectUnauthorized({ authorization: `Bearer ${TEST_API_KEY}` });
  await expectUnauthorized({ authorization: "Basic Y29uc29sZTpoaWxv" });
}, 30_000);

test("a token signed with another secret, an expired one and an unsigned one are 401", async () => {
  const now = Math.floor(Date.now() / 1000);
  await expectUnauthorized({
    authorization: `Bearer ${await sign("another-secret-of-at-least-32-characters", now + 600)}`,
  });
  await expectUnauthorized({
    authorization: `Bearer ${await sign("a-test-secret-of-at-least-32-characters!", now - 10)}`,
  });
  const unsigned = new UnsecuredJWT({})
    .setSubject("console")
    .setIssuer("hilo-dev")
    .setAudience("hilo-console")
    .setExpirationTime(now + 600)
    .encode();
  await expectUnauthorized({ authorization: `Bearer ${unsigned}` });
}, 30_000);

test("a real token with one character changed is 401", async () => {
  const { authorization = "" } = await signIn(app, await newConsoleAccount(app.deps));
  const last = authorization.at(-1) === "A" ? "B" : "A";
  await expectUnauthorized({ authorization: `${authorization.slice(0, -1)}${last}` });
}, 30_000);

test("the same secret across api processes accepts each other's tokens", async () => {
  const now = Math.floor(Date.now() / 1000);
  const token = await sign("a-test-secret-of-at-least-32-characters!", now + 600, "someone");
  const response = await app.request("/dev/session", { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  expect(((await response.json()) as { username: string }).username).toBe("someone");
}, 30_000);
