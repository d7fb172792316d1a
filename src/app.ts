// Assembles the Elysia application: error mapping, body limit, address limit, OpenAPI, and the route
// modules.
import { Elysia } from "elysia";
import { z } from "zod";
import type { Chat } from "./chat/chat";
import { chatRoutes } from "./chat/routes";
import { consoleRoutes } from "./console";
import { type DevRouteOptions, devRoutes } from "./dev/routes";
import { isQaUpload, QA_UPLOAD_MAX_BYTES, readQaUpload } from "./dev/upload";
import { AppError, rateLimited, retryAfterSeconds } from "./errors";
import { goalRoutes } from "./goals/routes";
import { handoverRoutes, INTERCOM_WEBHOOK_PATH, intercomSettings, intercomWebhookRoutes } from "./handover";
import { readJsonBody, readRawBody, requestPath } from "./http/body";
import { errorBody, errorHeaders, errorResponse, HTTP_STATUS } from "./http/errors";
import { API_DESCRIPTION, API_LICENSE, API_TAGS, contractComponents } from "./http/openapi-contract";
import { openapiWithDeclaredContract } from "./http/openapi-document";
import type { Deps } from "./infra/deps";
import { createLimits, type LimitOptions } from "./limits";
import { memoryRoutes } from "./memory/routes";
import { createHealthProbe } from "./observability/health";
import type { Logger } from "./observability/logger";
import { healthRoutes, metricsRoutes } from "./observability/routes";
import { meRoutes } from "./users/routes";
import { VERSION } from "./version";

export interface AppOptions {
  deps: Deps;
  log: Logger;
  chat: Chat;
  /** Tests give the limits their own counters and short windows. */
  limits?: LimitOptions;
  /** Tests give the dev routes their own job prefix and login counters. */
  dev?: Pick<DevRouteOptions, "jobsPrefix" | "loginLimits">;
}

export function createApp({ deps, log, chat, limits: limitOptions, dev }: AppOptions) {
  const { config } = deps;
  const maxBodyBytes = config.HILO_MAX_BODY_BYTES;
  const isProduction = config.HILO_ENV === "production";
  const limits = createLimits(
    { config, redis: deps.redis.redis, modelCalls: chat.llm.calls, log },
    limitOptions,
  );

  // The dev console's QA upload is the one body that is neither JSON nor small; outside production only.
  const isDevUpload = (request: Request) => !isProduction && isQaUpload(request);

  // The console page (and its assets) is a Bun.serve route, served before the app's hooks; outside
  // production only (src/console/index.ts).
  const app = new Elysia({ serve: { routes: consoleRoutes(config) } })
    .onRequest(({ request }) => {
      const length = Number(request.headers.get("content-length") ?? 0);
      const limit = isDevUpload(request) ? QA_UPLOAD_MAX_BYTES : maxBodyBytes;
      if (length > limit) {
        return errorResponse(413, "payload_too_large", `request body exceeds ${limit} bytes`);
      }
    })
    .onParse({ as: "global" }, ({ request, path }) =>
      // Every body is read here, capped: Bun's own limit sits far above ours only as a backstop. A signed
      // webhook gets its exact bytes: the signature is checked over them before anything parses them.
      path === INTERCOM_WEBHOOK_PATH
        ? readRawBody(request, maxBodyBytes)
        : isDevUpload(request)
          ? readQaUpload(request)
          : readJsonBody(request, maxBodyBytes),
    )
    .onRequest(async ({ request, server }) => {
      // Before authentication, so a flood of wrong keys is bounded too.
      const waitMs = await limits.addresses.admit(request, server?.requestIP(request)?.address ?? null);
      if (waitMs > 0) {
        throw rateLimited("too many requests from this address", retryAfterSeconds(waitMs));
      }
    })
    .onError(({ code, error: thrown, set, request }) => {
      // Elysia wraps whatever the body parser throws (our 413 and 400s included) in its ParseError.
      const error = code === "PARSE" && thrown.cause instanceof AppError ? thrown.cause : thrown;
      if (error instanceof AppError) {
        set.status = HTTP_STATUS[error.code];
        Object.assign(set.headers, errorHeaders(error));
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
      // Each route declares its contract in `detail` (src/http/openapi-contract.ts has the shared parts).
      openapiWithDeclaredContract({
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
          info: {
            title: "Ask Hilo API",
            version: VERSION,
            description: API_DESCRIPTION,
            license: API_LICENSE,
          },
          // Relative, so resolved against wherever the document was fetched from: one document is right
          // for every environment, and generated clients take their base URL from the app anyway.
          servers: [{ url: "/", description: "The host that served this document" }],
          tags: API_TAGS,
          components: contractComponents,
        },
      }),
    )
    .use(healthRoutes(createHealthProbe(deps, VERSION)))
    .use(metricsRoutes(deps.metrics, config.HILO_METRICS_PORT))
    .use(meRoutes(config.HILO_API_KEY, deps.usersDb))
    .use(chatRoutes({ apiKey: config.HILO_API_KEY, chat, turnLimits: limits.turns }))
    .use(memoryRoutes({ apiKey: config.HILO_API_KEY, db: deps.appDb.db, cache: chat.memoryCache }))
    .use(goalRoutes({ apiKey: config.HILO_API_KEY, db: deps.appDb.db }))
    .use(handoverRoutes({ apiKey: config.HILO_API_KEY, deps }))
    .use(intercomWebhookRoutes({ deps, intercom: intercomSettings(config), log }));
  // Dev-only routes (login, the console's /v1 access, QA runs) never exist in production: there every
  // /dev path is the 404 of an unknown route. /dev/v1 is answered by this same app, in process.
  if (!isProduction) {
    app.use(devRoutes({ chat, handleV1: (request) => app.handle(request), ...dev }));
  }
  return app;
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
