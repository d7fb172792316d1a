// GET /health: no key needed; always 200 while the process serves, body says ok or degraded.
import { Elysia } from "elysia";
import { z } from "zod";
import { publicOperation } from "../http/openapi-contract";
import { DEPENDENCY_NAMES } from "../infra/dependency";
import type { HealthReport } from "./health";

const healthSchema = z.object({
  status: z.enum(["ok", "degraded"]),
  checks: z.object(Object.fromEntries(DEPENDENCY_NAMES.map((name) => [name, z.boolean()]))),
  version: z.string(),
});

export function healthRoutes(probe: () => Promise<HealthReport>) {
  return new Elysia().get("/health", () => probe(), {
    response: { 200: healthSchema },
    detail: {
      operationId: "getHealth",
      summary: "Service health",
      description:
        "One boolean per dependency. `degraded` means the process serves but a dependency is down; " +
        "the features that need it answer 503 until it returns.",
      tags: ["ops"],
      ...publicOperation,
    },
  });
}
