// The app's account can read the Hilo User DB but never write to it.
import { afterAll, expect, test } from "bun:test";
import { buildTestApp } from "../support/stack";

const app = buildTestApp();
afterAll(() => app.close());

test("the app's users-db account is refused writes", async () => {
  const attempt = app.deps.usersDb.pool.query(
    "INSERT INTO users (user_id, watch_id, first_name, timezone, target_systolic_min, target_systolic_max, target_diastolic_min, target_diastolic_max) VALUES ('x','x','x','UTC',1,2,3,4)",
  );
  await expect(attempt).rejects.toThrow(/denied/i);
});
