// The OpenAPI document the mobile team builds against: every public route, inputs as clients send them.
import { afterAll, expect, test } from "bun:test";
import { buildTestApp } from "../support/stack";

const app = buildTestApp();
afterAll(() => app.close());

interface OpenApiDoc {
  paths: Record<string, Record<string, { parameters?: { name: string; required: boolean }[] }>>;
}

test("/openapi.json documents every route, with optional query parameters marked optional", async () => {
  const response = await app.request("/openapi.json");
  expect(response.status).toBe(200);
  const doc = (await response.json()) as OpenApiDoc;
  for (const path of [
    "/health",
    "/v1/me",
    "/v1/sessions",
    "/v1/sessions/{id}/messages",
    "/v1/sessions/{id}/turns/{turnId}/events",
    "/v1/sessions/{id}/turns/{turnId}",
    "/v1/memories",
    "/v1/memories/{id}",
  ]) {
    expect(Object.keys(doc.paths)).toContain(path);
  }
  const limit = doc.paths["/v1/sessions"]?.get?.parameters?.find((parameter) => parameter.name === "limit");
  expect(limit?.required).toBe(false);
});
