// What the limit tests share: an app whose limit counters are its own (a unique Redis key prefix) with
// short windows where a test waits for one to end, and the rows a refused send must not leave.
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { chatMessages, turnClaims } from "../../src/db/schema";
import type { LimitOptions } from "../../src/limits";
import { buildTestApp, clientHeaders, newUserId, type TestApp } from "../support/stack";

/** Sends with this header answer 202 at once: the turn runs on, and the test does not wait for it. */
export const ASYNC = { Prefer: "respond-async" };

/**
 * The real app with its limit counters under a key prefix of its own. Its Redis client is connected
 * first, as `hilo api`'s start-up checks do: until then the address limit counts in memory.
 */
export async function limitedApp(
  overrides: Record<string, string>,
  windows: Omit<LimitOptions, "keyPrefix"> = {},
): Promise<TestApp> {
  // The day window is a minute here, so no test leaves a day-long key behind in the stack's Redis.
  const app = buildTestApp(overrides, {
    keyPrefix: `test-limit:${randomUUID()}`,
    daySeconds: 60,
    ...windows,
  });
  await app.deps.redis.check();
  return app;
}

/** The apps one test file opens, each with its own limits; `close` closes them all (in `afterAll`). */
export function limitedApps() {
  const apps: TestApp[] = [];
  return {
    open: async (overrides: Record<string, string>, windows: Omit<LimitOptions, "keyPrefix"> = {}) => {
      const app = await limitedApp(overrides, windows);
      apps.push(app);
      return app;
    },
    /** For apps a test builds itself. */
    adopt: (...built: TestApp[]) => apps.push(...built),
    close: () => Promise.all(apps.map((app) => app.close())),
  };
}

/** Everything a user's sends stored: claims and messages (user and assistant). */
export async function storedRows(
  app: TestApp,
  userId: string,
): Promise<{ claims: number; messages: number }> {
  const db = app.deps.appDb.db;
  const claims = await db.select({ id: turnClaims.id }).from(turnClaims).where(eq(turnClaims.userId, userId));
  const messages = await db
    .select({ id: chatMessages.id })
    .from(chatMessages)
    .where(eq(chatMessages.userId, userId));
  return { claims: claims.length, messages: messages.length };
}

export interface RefusalBody {
  error: { code: string; message: string };
}

/** The status, the JSON error body and the Retry-After header of a refused request. */
export async function refusal(
  response: Response,
): Promise<{ status: number; body: RefusalBody; retryAfter: string | null }> {
  return {
    status: response.status,
    body: (await response.json()) as RefusalBody,
    retryAfter: response.headers.get("retry-after"),
  };
}

export { clientHeaders, newUserId, type TestApp };
