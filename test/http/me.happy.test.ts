// GET /v1/me reads the acting user's profile from the (read-only) Hilo User DB.
import { afterAll, describe, expect, test } from "bun:test";
import { buildTestApp, clientHeaders, newUserId, seedUserProfile } from "../support/stack";

const app = buildTestApp();
afterAll(() => app.close());

describe("GET /v1/me", () => {
  test("returns the profile of the user named in X-User-ID, and only theirs", async () => {
    const alice = newUserId("alice");
    const bob = newUserId("bob");
    await seedUserProfile({
      userId: alice,
      watchId: `w-${alice}`,
      firstName: "Alice",
      timezone: "America/New_York",
    });
    await seedUserProfile({ userId: bob, watchId: `w-${bob}`, firstName: "Bob", timezone: "Europe/London" });

    const response = await app.request("/v1/me", { headers: clientHeaders(alice) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      user_id: alice,
      watch_id: `w-${alice}`,
      first_name: "Alice",
      timezone: "America/New_York",
      bp_target: { systolic: { min: 90, max: 130 }, diastolic: { min: 60, max: 85 } },
    });
  });

  test("a user with no profile is 404", async () => {
    const response = await app.request("/v1/me", { headers: clientHeaders(newUserId("ghost")) });
    expect(response.status).toBe(404);
  });
});
