// Assembles the Elysia application: error mapping, body limit, OpenAPI, and the route modules.
import { openapi } from "@elysiajs/openapi";
import { Elysia } from "elysia";
import { z } from "zod";
import type { Chat } from "../chat/compose";
import { chatRoutes } from "../chat/routes";
import type { Deps } from "../lifecycle/dependencies";
import { memoryRoutes } from "../memory/routes";
import { createHealthProbe } from "../observability/health";
import type { Logger } from "../observability/logger";
import { VERSION } from "../version";
import { readJsonBody, requestPath } from "./body";
import { ApiError, errorBody, errorResponse } from "./errors";
import { healthRoutes } from "./routes/health";
import { meRoutes } from "./routes/me";

export interface AppOptions {
  deps: Deps;
  log: Logger;
  chat: Chat;
}

export function createApp({ deps, log, chat }: AppOptions) {
  const { config } = deps;
  const maxBodyBytes = config.HILO_MAX_BODY_BYTES;
  const isProduction = config.HILO_ENV === "production";

  return new Elysia()
    .onRequest(({ request }) => {
      const length = Number(request.headers.get("content-length") ?? 0);
      if (length > maxBodyBytes) {
        return errorResponse(413, "payload_too_large", `request body exceeds ${maxBodyBytes} bytes`);
      }
    })
    // Every body is read here, capped: Bun's own limit sits far above ours only as a backstop.
    .onParse({ as: "global" }, ({ request }) => readJsonBody(request, maxBodyBytes))
    .onError(({ code, error: thrown, set, request }) => {
      // Elysia wraps whatever the body parser throws (our 413 and 400s included) in its ParseError.
      const error = code === "PARSE" && thrown.cause instanceof ApiError ? thrown.cause : thrown;
      if (error instanceof ApiError) {
        set.status = error.status;
        return errorBody(error.code, error.message);
      }
      switch (code) {
        case "VALIDATION":
          set.status = 400;
          return errorBody("invalid_request", validationMessage(error));
        case "PARSE":
          set.status = 400;
          return errorBody("invalid_json", "request body is not valid JSON");
        case "NOT_FOUND":
          set.status = 404;
          return errorBody("not_found", `no route for ${request.method} ${requestPath(request)}`);
        default:
          // Anything else is our bug or a dependency failing: log it in full, answer without details.
          log.error("unhandled error", { error, path: requestPath(request) });
          set.status = 500;
          return errorBody("internal", "internal error");
      }
    })
    .use(
      openapi({
        path: "/docs",
        specPath: "/openapi.json",
        // The interactive UI loads its assets from a CDN: dev only. The JSON document is always served.
        exclude: { paths: ["/docs", "/openapi.json"] },
        enabled: true,
        provider: isProduction ? null : "scalar",
        // Request schemas are documented as clients send them (defaults make fields optional).
        mapJsonSchema: {
          zod: (schema: z.ZodType) => z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }),
        },
        documentation: {
          info: { title: "Ask Hilo API", version: VERSION },
          components: {
            securitySchemes: { apiKey: { type: "apiKey", in: "header", name: "X-API-Key" } },
          },
        },
      }),
    )
    .use(healthRoutes(createHealthProbe(deps, VERSION)))
    .use(meRoutes(config.HILO_API_KEY, deps.usersDb))
    .use(
      chatRoutes({
        apiKey: config.HILO_API_KEY,
        services: chat.services,
        openSessionPrompt: chat.openSessionPrompt,
      }),
    )
    .use(memoryRoutes({ apiKey: config.HILO_API_KEY, db: deps.appDb.db, cache: chat.memoryCache }));
}

export type App = ReturnType<typeof createApp>;

function validationMessage(error: unknown): string {
  if (error && typeof error === "object" && "valueError" in error) {
    const valueError = (error as { valueError?: { path?: string; message?: string } }).valueError;
    if (valueError?.message) return `${valueError.path || "body"}: ${valueError.message}`;
  }
  if (error instanceof Error) {
    try {
      const parsed = JSON.parse(error.message) as { summary?: string; property?: string; message?: string };
      if (parsed.summary) return parsed.summary;
      if (parsed.message) return `${parsed.property ?? "input"}: ${parsed.message}`;
    } catch {
      return error.message.slice(0, 300);
    }
  }
  return "invalid request";
}
