// The parts of the OpenAPI contract every route shares: the API key, the context headers, the one
// error shape and the error responses. A route declares its own contract next to its handler with
// `v1Operation(...)` (or `publicOperation` for /health); src/http/openapi-document.ts serves them.
import type { openapi } from "@elysiajs/openapi";
import type { DocumentDecoration } from "elysia";
import { IDEMPOTENCY_KEY, PLATFORMS } from "./client-context";

type Operation = DocumentDecoration;
type Parameter = NonNullable<Operation["parameters"]>[number];
type Response = NonNullable<Operation["responses"]>[string];
type Components = NonNullable<
  NonNullable<NonNullable<Parameters<typeof openapi>[0]>["documentation"]>["components"]
>;
type Schema = NonNullable<Components["schemas"]>[string];

const API_KEY_SCHEME = "apiKey";

export const API_DESCRIPTION = [
  "The API behind the Ask Hilo chat assistant in the Hilo mobile app.",
  "Every `/v1` request carries `X-API-Key` and the four context headers `X-User-ID`, `X-Timezone`, " +
    "`X-Platform` and `X-App-Version`; a missing or malformed one is 400 naming the header (401 for the " +
    'key). Every error is `{"error":{"code","message"}}`. Another user\'s session, turn or memory is ' +
    "404, never 403. Too many requests are 429 `rate_limited` with `Retry-After`.",
  "An answer streams as Server-Sent Events (`text/event-stream`); see the 200 response of `sendMessage`.",
].join("\n\n");

/** Top-level tags, in the order a reader meets them; every operation uses one of these. */
export const API_TAGS = [
  { name: "chat", description: "Sessions, their messages, and sending a message with its streamed answer." },
  { name: "memory", description: "What the assistant remembers about the user, and forgetting it." },
  { name: "handover", description: "Questions handed to the support team (Intercom), and their replies." },
  {
    name: "goals",
    description:
      "Health goals set up in chat: their status, progress and nightly evaluations, and confirming, pausing, " +
      "resuming or removing them.",
  },
  { name: "users", description: "The acting user as the assistant sees them." },
  { name: "ops", description: "For load balancers and operators; no API key." },
];

/**
 * The API is Hilo's own, for Hilo's apps. Redocly's recommended rules ask for a license (with an SPDX
 * identifier or URL); `LicenseRef-` is SPDX's form for a license that is not on its list.
 */
export const API_LICENSE = { name: "Proprietary", identifier: "LicenseRef-Hilo-Proprietary" };

/**
 * `{"error":{"code","message"}}`, the body of every error (ErrorBody in src/http/errors.ts). `code` is an
 * open string, not an enum: a generated Swift or Kotlin enum would fail to decode a code added later.
 */
const errorBodySchema: Schema = {
  type: "object",
  description: "The one error shape of this API.",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: {
          type: "string",
          description:
            "Stable, machine-readable: `invalid_header`, `invalid_request`, `invalid_json`, `unauthorized`, " +
            "`not_found`, `illegal_transition`, `payload_too_large`, `idempotency_key_reused`, `rate_limited`, " +
            "`unavailable`, " +
            "`internal`. More may be added; treat an unknown code by its HTTP status.",
          examples: ["not_found"],
        },
        message: { type: "string", description: "For developers and logs, not for end users." },
      },
    },
  },
};

const ERROR_CONTENT = { "application/json": { schema: { $ref: "#/components/schemas/Error" } } };

const RETRY_AFTER_SECONDS = {
  description: "Whole seconds to wait before retrying.",
  schema: { type: "integer", minimum: 1 },
} as const;

const errorResponses = {
  BadRequest: {
    description:
      "`invalid_header`: a missing or malformed header (the message names it); `invalid_request`: a bad " +
      "path, query or body field; `invalid_json`: the body is not JSON.",
    content: ERROR_CONTENT,
  },
  Unauthorized: { description: "`unauthorized`: missing or wrong `X-API-Key`.", content: ERROR_CONTENT },
  NotFound: {
    description:
      "`not_found`: no such resource for the acting user. Another user's resource is answered the same way " +
      "(never 403), so its existence does not leak.",
    content: ERROR_CONTENT,
  },
  PayloadTooLarge: {
    description: "`payload_too_large`: the body exceeds the server's limit (64 KiB by default).",
    content: ERROR_CONTENT,
  },
  IdempotencyKeyReused: {
    description: "`idempotency_key_reused`: this `Idempotency-Key` was already used with another message.",
    content: ERROR_CONTENT,
  },
  Conflict: {
    description:
      "`illegal_transition`: the resource's current state does not allow this change (a goal already " +
      "achieved cannot be paused, say); the message names the state.",
    content: ERROR_CONTENT,
  },
  RateLimited: {
    description: "`rate_limited`: too many requests from this address, or too many new turns for this user.",
    headers: { "Retry-After": { ...RETRY_AFTER_SECONDS, required: true } },
    content: ERROR_CONTENT,
  },
  Unavailable: {
    description:
      "`unavailable`: the service cannot take this request now (nothing was stored); retry with the same " +
      "`Idempotency-Key`, after `Retry-After` when present.",
    headers: { "Retry-After": RETRY_AFTER_SECONDS },
    content: ERROR_CONTENT,
  },
  InternalError: {
    description: "`internal`: our bug or a failing dependency; the message carries no details.",
    content: ERROR_CONTENT,
  },
} satisfies Record<string, Response>;

type ErrorResponseName = keyof typeof errorResponses;

/** The statuses a route may add to the ones every /v1 operation has (400, 401, 429, 500). */
export type RouteErrorStatus = 404 | 409 | 413 | 422 | 503;

const ERROR_RESPONSE_BY_STATUS: Record<400 | 401 | 429 | 500 | RouteErrorStatus, ErrorResponseName> = {
  400: "BadRequest",
  401: "Unauthorized",
  404: "NotFound",
  409: "Conflict",
  413: "PayloadTooLarge",
  422: "IdempotencyKeyReused",
  429: "RateLimited",
  500: "InternalError",
  503: "Unavailable",
};

const headerParameter = (name: string, parameter: Omit<Parameter, "name" | "in">): Parameter => ({
  name,
  in: "header",
  ...parameter,
});

const parameters = {
  XUserId: headerParameter("X-User-ID", {
    required: true,
    description: "The acting user (the API key is trusted to vouch for it): 1-64 of `[A-Za-z0-9_.-]`.",
    schema: { type: "string", minLength: 1, maxLength: 64 },
    example: "demo-alice",
  }),
  XTimezone: headerParameter("X-Timezone", {
    required: true,
    description: "The device's IANA time zone; raw offsets such as `+05:00` are refused.",
    schema: { type: "string" },
    example: "Europe/London",
  }),
  XPlatform: headerParameter("X-Platform", {
    required: true,
    description: "The app's platform.",
    schema: { type: "string", enum: [...PLATFORMS] },
  }),
  XAppVersion: headerParameter("X-App-Version", {
    required: true,
    description: "The app's version, `major.minor[.patch][-suffix]`.",
    schema: { type: "string" },
    example: "4.12.0",
  }),
  IdempotencyKey: headerParameter("Idempotency-Key", {
    required: true,
    description:
      "One per question, reused on every retry of it (8-128 visible ASCII characters). The same key with " +
      "the same message attaches to or replays that turn; with another message it is 422.",
    schema: { type: "string", pattern: IDEMPOTENCY_KEY.source },
  }),
  Prefer: headerParameter("Prefer", {
    required: false,
    description:
      "`respond-async`: answer 202 at once instead of streaming; read the answer from the turn's status.",
    schema: { type: "string" },
    example: "respond-async",
  }),
  LastEventId: headerParameter("Last-Event-ID", {
    required: false,
    description: "The `id:` of the last event received: the stream continues after it.",
    schema: { type: "string" },
  }),
} satisfies Record<string, Parameter>;

export type OperationHeader = "IdempotencyKey" | "Prefer" | "LastEventId";

const CONTEXT_HEADERS = ["XUserId", "XTimezone", "XPlatform", "XAppVersion"] as const;

const parameterRef = (name: keyof typeof parameters) => ({ $ref: `#/components/parameters/${name}` });

/** Everything `documentation.components` holds: what the operations refer to. */
export const contractComponents = {
  securitySchemes: {
    [API_KEY_SCHEME]: {
      type: "apiKey",
      in: "header",
      name: "X-API-Key",
      description: "The key shared with the apps; compared in constant time.",
    },
  },
  parameters,
  responses: errorResponses,
  schemas: { Error: errorBodySchema },
} satisfies Components;

export interface V1OperationContract {
  /** Errors beyond those of every /v1 operation (400 bad header, 401, 429, 500). */
  errors?: RouteErrorStatus[];
  /** Headers this operation reads besides the four context headers. */
  headers?: OperationHeader[];
  /** Responses the route's `response` schemas cannot say (an event stream, response headers). */
  responses?: Record<string, Response>;
}

/**
 * The contract part of a /v1 route's `detail`: the API key, the context headers, and every error it
 * can answer with the one error shape.
 */
export function v1Operation({ errors = [], headers = [], responses = {} }: V1OperationContract) {
  const statuses = [400, 401, ...errors, 429, 500] as const;
  return {
    security: [{ [API_KEY_SCHEME]: [] }],
    parameters: [...CONTEXT_HEADERS, ...headers].map(parameterRef),
    responses: {
      ...responses,
      ...Object.fromEntries(
        statuses.map((status) => [
          String(status),
          { $ref: `#/components/responses/${ERROR_RESPONSE_BY_STATUS[status]}` },
        ]),
      ),
    },
  } satisfies Operation;
}

/** For routes outside /v1 (health): no key. An explicit empty list says so (rather than forgetting it). */
export const publicOperation = { security: [] } satisfies Operation;
