// The dev-only HTTP surface: the console's login, its view of the /v1 API, and QA evaluation runs.
// src/app.ts registers it only when HILO_ENV is not `production`: there, every /dev path is the plain
// 404 of an unknown route. Hidden from /openapi.json (that document is the mobile apps' contract).
//
// ── Contract (request/response JSON; stable: the console at /console is built against it) ─────────
// Errors are the API's one shape, {"error":{"code","message"}}; a refused CSV adds "problems".
//
// POST /dev/login                 body {"username": string, "password": string}
//   200 {"token": "<JWT>", "token_type": "Bearer", "expires_at": ISO-8601, "username": string}
//   401 unauthorized  (one message for a wrong username or password)   400 invalid_request
//   429 rate_limited + Retry-After (10 attempts a minute per address; 10 failures per 15 min per username)
//
// Every route below needs `Authorization: Bearer <token>`; missing, invalid or expired → 401 unauthorized
// (the token lives 30 minutes; sign in again).
//
// GET  /dev/session               200 {"username", "expires_at",
//                                      "demo_users": [{"user_id", "first_name", "timezone"}],   (Hilo User DB, up to
//                                                     100: demo-* first, then the QA user, then by id)
//                                      "qa": {"user_id", "max_questions": 10000, "max_question_chars": 4000,
//                                             "max_upload_bytes": 8388608,
//                                             "columns": ["id","question","expected_tools"], "tools": [names]}}
//
// ANY  /dev/v1/<path>             the /v1 API (README, "API") as the user named in X-User-ID: send the /v1
//                                 headers (X-User-ID, X-Timezone, X-Platform, X-App-Version, and per route
//                                 Idempotency-Key, Last-Event-ID, Prefer) but no X-API-Key: the server adds
//                                 its own, so the key never reaches the page. Status, headers and body are
//                                 /v1's unchanged, event streams included (read them with fetch(); an
//                                 EventSource cannot send the Authorization header). Bodies are JSON.
//
// POST /dev/qa-runs               body: the CSV file, as `Content-Type: text/csv` (optional header
//                                 `X-Filename`) or multipart/form-data with the file in field `file`.
//                                 Header row `id,question` or `id,question,expected_tools`; RFC 4180;
//                                 expected_tools = tool names separated by `;`; at most 10,000 rows, 8 MiB.
//   202 {"run_id", "status": "queued", "total"}
//   400 {"error": {"code": "invalid_request", "message", "problems": [{"line": number, "message"}]}}
//       the whole file refused (every bad line listed, sorted by line), nothing stored or queued
//   413 payload_too_large   503 unavailable (the queue could not be reached; the run is marked failed)
//
// GET  /dev/qa-runs?limit=1..100  200 {"runs": [RunSummary]}  newest first (default 20)
// GET  /dev/qa-runs/:id?after=0&limit=10000
//                                 200 RunSummary & {"latency_ms": {"p50","p95","max"} | null,
//                                                   "results": [Result]}      404 not_found
//                                 progress and latency always cover the whole run; `results` holds the
//                                 questions with position > after, at most limit (default: all of them)
// GET  /dev/qa-runs/:id.csv       200 text/csv (attachment), one row per question:
//                                 position,id,question,expected_tools,status,answer,tools_called,
//                                 tools_match,verdict,safety_hits,latency_ms,error,session_id,turn_id
//
// RunSummary = {"run_id", "status": "queued"|"running"|"done"|"failed", "filename": string|null,
//               "requested_by": string|null, "error": string|null, "created_at": ISO,
//               "started_at": ISO|null, "finished_at": ISO|null,
//               "progress": {"total", "pending", "done", "failed"}}
// Result     = {"position": 1-based, "id": the file's id, "question", "expected_tools": string[]|null,
//               "status": "pending"|"done"|"failed", "answer": string|null, "tools_called": string[]|null,
//               "tools_match": boolean|null, "safety_hits": [{"layer","category","action"}]|null,
//               "verdict": "approved"|"revise"|"degraded"|null, "latency_ms": number|null (send → done),
//               "error": string|null, "session_id": string|null, "turn_id": string|null,
//               "finished_at": ISO|null}
// A run is `done` when no question is pending; a question whose turn failed is `failed` with its error.
// ─────────────────────────────────────────────────────────────────────────────────────────────────
import { Elysia } from "elysia";
import type { Chat } from "../chat/chat";
import { isEntityId } from "../db/ids";
import { notFound } from "../errors";
import { errorBody } from "../http/errors";
import { addressKey, clientAddress } from "../limits/address-limits";
import { QA_COLUMNS, QA_MAX_QUESTIONS, QA_QUESTION_MAX_CHARS } from "../qa/csv";
import { ALL_RESULTS, listQaRuns, qaRunCsv, readQaRun } from "../qa/report";
import { createQaRun, InvalidQaFile } from "../qa/run";
import { createDevAuth } from "./auth";
import { listDemoUsers } from "./demo-users";
import { queueDispatch } from "./dispatch";
import { createLoginLimits, type LoginLimits } from "./login-limits";
import { devLoginBody, qaRunListQuery, qaRunResultsQuery, qaUploadBody } from "./model";
import { forwardToV1 } from "./proxy";
import { QA_UPLOAD_MAX_BYTES } from "./upload";

export interface DevRouteOptions {
  chat: Chat;
  /** The app's own handler: /dev/v1 requests are answered by the /v1 routes themselves, in process. */
  handleV1: (request: Request) => Promise<Response>;
  /** Tests: the BullMQ key prefix the questions are queued under (default `hilo:jobs`). */
  jobsPrefix?: string;
  /** Tests give the login limits their own counters. */
  loginLimits?: LoginLimits;
}

const HIDDEN = { hide: true } as const;

export function devRoutes({ chat, handleV1, jobsPrefix, loginLimits }: DevRouteOptions) {
  const { deps, log } = chat;
  const { config } = deps;
  const db = deps.appDb.db;
  const auth = createDevAuth({
    db,
    limits: loginLimits ?? createLoginLimits(deps.redis.redis),
    secret: config.HILO_DEV_JWT_SECRET,
    log,
  });
  const toolNames = new Set(chat.tools.names);
  const dispatchQaRun = queueDispatch(deps.redis.redis, jobsPrefix);

  return (
    new Elysia({ name: "dev-routes", prefix: "/dev" })
      .post(
        "/login",
        async ({ body, request, server }) => {
          const socket = server?.requestIP(request)?.address ?? null;
          const address = addressKey(clientAddress(request, socket, config.HILO_TRUSTED_PROXY_HOPS));
          const session = await auth.login({ ...body, address });
          return {
            token: session.token,
            token_type: "Bearer",
            expires_at: session.expiresAt.toISOString(),
            username: session.username,
          };
        },
        { body: devLoginBody, detail: HIDDEN },
      )
      // Every route after this one needs the console's token.
      .resolve(async ({ request }) => ({
        devSession: await auth.verify(request.headers.get("authorization")),
      }))
      .get(
        "/session",
        async ({ devSession }) => ({
          username: devSession.username,
          expires_at: devSession.expiresAt.toISOString(),
          demo_users: await listDemoUsers(deps.usersDb, config.HILO_QA_USER_ID),
          qa: {
            user_id: config.HILO_QA_USER_ID,
            max_questions: QA_MAX_QUESTIONS,
            max_question_chars: QA_QUESTION_MAX_CHARS,
            max_upload_bytes: QA_UPLOAD_MAX_BYTES,
            columns: [...QA_COLUMNS],
            tools: [...toolNames],
          },
        }),
        { detail: HIDDEN },
      )
      .all(
        "/v1/*",
        async ({ request, body, server }) => {
          const response = await forwardToV1(request, body, config.HILO_API_KEY, handleV1);
          // The /v1 stream routes lift Bun's idle timeout for their streams, but here they ran without
          // the socket: it is lifted on the console's own connection instead, as they would have.
          if (response.headers.get("content-type")?.startsWith("text/event-stream"))
            server?.timeout(request, 0);
          return response;
        },
        { detail: HIDDEN },
      )
      .post(
        "/qa-runs",
        async ({ body, devSession, set }) => {
          try {
            const run = await createQaRun({
              ctx: { deps, toolNames, requestedBy: devSession.username, dispatch: dispatchQaRun },
              input: body,
            });
            set.status = 202;
            return { run_id: run.runId, status: "queued", total: run.total };
          } catch (error) {
            if (!(error instanceof InvalidQaFile)) throw error;
            return Response.json(
              { error: { ...errorBody(error.code, error.message).error, problems: error.problems } },
              { status: 400 },
            );
          }
        },
        { body: qaUploadBody, detail: HIDDEN },
      )
      .get("/qa-runs", async ({ query }) => ({ runs: await listQaRuns(db, query.limit) }), {
        query: qaRunListQuery,
        detail: HIDDEN,
      })
      .get(
        "/qa-runs/:id",
        async ({ params, query }) => {
          const csv = params.id.endsWith(".csv");
          const runId = csv ? params.id.slice(0, -".csv".length) : params.id;
          // An id we never issued names nothing: answered before any query. The CSV is always whole.
          const report = isEntityId(runId) ? await readQaRun(db, runId, csv ? ALL_RESULTS : query) : null;
          if (!report) throw notFound("QA run");
          if (!csv) return report;
          return new Response(qaRunCsv(report), {
            headers: {
              "content-type": "text/csv; charset=utf-8",
              "content-disposition": `attachment; filename="qa-run-${runId}.csv"`,
            },
          });
        },
        { query: qaRunResultsQuery, detail: HIDDEN },
      )
  );
}
