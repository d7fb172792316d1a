// GET /health: no key needed; always 200 while the process serves, body says ok or degraded.
// GET /metrics: no key needed either; Prometheus text, or 404 when HILO_METRICS_PORT serves it instead.
import { Elysia } from "elysia";
import { z } from "zod";
import { errorResponse } from "../http/errors";
import { publicOperation } from "../http/openapi-contract";
import { DEPENDENCY_NAMES } from "../infra/dependency";
import type { HealthReport } from "./health";
import type { Metrics } from "./metrics";

const healthSchema = z.object({
  status: z.enum(["ok", "degraded"]),
  checks: z.object(Object.fromEntries(DEPENDENCY_NAMES.map((name) => [name, z.boolean()]))),
  // Optional integrations, only when configured; never part of `status` (e.g. Intercom's handover).
  optional: z.object({ intercom: z.enum(["ok", "failing"]) }).optional(),
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
        "the features that need it answer 503 until it returns. `optional` (only when configured) reports " +
        "integrations whose outage never makes the service degraded: `intercom` is `ok` or `failing` (then " +
        "handovers fail and the assistant says so).",
      tags: ["ops"],
      ...publicOperation,
    },
  });
}

/**
 * On the main port unless a metrics port is configured; then this answers as an unknown path does, so
 * a load balancer in front of the main port exposes nothing. The route stays declared either way: the
 * document is the same for every configuration.
 */
export function metricsRoutes(metrics: Metrics, metricsPort: number | undefined) {
  return new Elysia().get(
    "/metrics",
    async () => {
      if (metricsPort !== undefined) return errorResponse(404, "not_found", "no route for GET /metrics");
      return new Response(await metrics.render(), { headers: { "content-type": metrics.contentType } });
    },
    {
      detail: {
        operationId: "getMetrics",
        summary: "Prometheus metrics",
        description:
          "This process's metrics in the Prometheus text format (`hilo_` names). With `HILO_METRICS_PORT` " +
          "set they are served only on that port, which no load balancer should route to, and this path " +
          "answers 404.",
        tags: ["ops"],
        ...publicOperation,
        responses: {
          200: {
            description: "Prometheus text exposition format 0.0.4.",
            content: { "text/plain": { schema: { type: "string" } } },
          },
          404: {
            description: "`not_found`: metrics are served on the separate metrics port.",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
          },
        },
      },
    },
  );
}
