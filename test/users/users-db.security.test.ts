// The app's account can read the Hilo User DB but never write to it.
import { afterAll, expect, test } from "bun:test";
import { readUserProfile } from "../../src/users/service";
import { buildTestApp, clientHeaders, newUserId, seedUserProfile } from "../support/stack";

const app = buildTestApp();
afterAll(() => app.close());

test("the app's users-db account is refused writes", async () => {
  const attempt = app.deps.usersDb.pool.query(
    "INSERT INTO users (user_id, watch_id, first_name, timezone, target_systolic_min, target_systolic_max, target_diastolic_min, target_diastolic_max) VALUES ('x','x','x','UTC',1,2,3,4)",
  );
  await expect(attempt).rejects.toThrow(/denied/i);
});

test("a user id that differs only in case reads no profile, though the platform's table ignores case", async () => {
  const userId = newUserId("Case-profile");
  await seedUserProfile({ userId, watchId: `w-${userId}`, firstName: "Robin", timezone: "Europe/London" });
  expect((await readUserProfile(app.deps.usersDb, userId))?.firstName).toBe("Robin");
  expect(await readUserProfile(app.deps.usersDb, userId.toUpperCase())).toBeNull();
  expect(await readUserProfile(app.deps.usersDb, userId.toLowerCase())).toBeNull();
  const response = await app.request("/v1/me", { headers: clientHeaders(userId.toUpperCase()) });
  expect(response.status).toBe(404);
});
