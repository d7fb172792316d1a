// Intercom is optional in /health: reported only when configured, and its outage never makes the
// service degraded.
import { expect, test } from "bun:test";
import { buildTestApp } from "../support/stack";
import { intercomOverrides } from "./harness";

async function health(overrides: Record<string, string>): Promise<Record<string, unknown>> {
  const app = buildTestApp(overrides);
  try {
    const response = await app.request("/health");
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  } finally {
    await app.close();
  }
}

test("configured and reachable: reported ok beside the dependencies", async () => {
  const report = await health(intercomOverrides());
  expect(report.status).toBe("ok");
  expect(report.optional).toEqual({ intercom: "ok" });
});

test("configured but down or refusing the token: reported failing, the service still ok", async () => {
  const down = await health(intercomOverrides({ INTERCOM_BASE_URL: "http://127.0.0.1:1" }));
  expect(down.status).toBe("ok");
  expect(down.optional).toEqual({ intercom: "failing" });
  const refused = await health(intercomOverrides({ INTERCOM_ACCESS_TOKEN: "not-the-token" }));
  expect(refused.status).toBe("ok");
  expect(refused.optional).toEqual({ intercom: "failing" });
});

test("not configured: not reported at all", async () => {
  const report = await health({});
  expect(report.status).toBe("ok");
  expect(report).not.toHaveProperty("optional");
});
