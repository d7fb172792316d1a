// A QA evaluation run, top to bottom. Creating one checks the whole file (nothing is stored or queued
// for a file with a single bad line), stores the run as a `background_tasks` row (kind `qa-run`) with
// one `qa_results` row per question (`pending`), and hands the questions to a dispatcher (the queue, or
// the CLI's own loop). Answering one question sends it through the real chat turn (Layer 1, claim,
// agent, Layer 3, judge) as the QA user in a session of its own, follows the turn's log to `end`, and
// completes the question's row by a compare-and-set on `pending`: a question re-run after a crash, or
// twice at once, stores its result once, and a finished question is never asked again.
import { and, eq, ne, sql } from "drizzle-orm";
import type { Chat } from "../chat/chat";
import { profileOf } from "../chat/chat";
import { affectedRows, findClaimById } from "../chat/claims";
import { openSession } from "../chat/service";
import { sendMessage, type TurnContext } from "../chat/turn";
import { turnLogKey } from "../chat/turn-log";
import type { CsvProblem } from "../csv/rfc4180";
import { backgroundTasks, qaResults, safetyAudit } from "../db/schema";
import { AppError } from "../errors";
import type { Deps } from "../infra/deps";
import type { TurnLimits } from "../limits";
import type { Logger } from "../observability/logger";
import { parseQaCsv } from "./csv";

export const QA_RUN_KIND = "qa-run";
/** Rows per INSERT when a run is stored: 10,000 questions are 20 statements in one transaction. */
const INSERT_BATCH = 500;
/** How often the turn's log is read while a question is being answered. */
const FOLLOW_POLL_MS = 100;
/** Beyond the turn's own budgets (agent, judge, rewrite): the final writes and a slow database. */
const FOLLOW_GRACE_MS = 30_000;

/** The whole file refused: every bad line, with its number. Nothing was stored or queued. */
export class InvalidQaFile extends AppError {
  constructor(readonly problems: readonly CsvProblem[]) {
    super(
      "invalid_request",
      `the CSV file has ${problems.length} problem${problems.length === 1 ? "" : "s"}; nothing was queued`,
    );
    this.name = "InvalidQaFile";
  }
}

/** Hands a stored run's questions to whatever answers them; a failure leaves the run `failed`. */
export type QaDispatch = (taskId: string, positions: readonly number[]) => Promise<void>;

export interface CreateQaRunContext {
  deps: Deps;
  /** The agent's tool names, which `expected_tools` may name. */
  toolNames: ReadonlySet<string>;
  /** Who started the run: a dev console user, or `cli`. */
  requestedBy: string;
  dispatch: QaDispatch;
}

export interface CreatedQaRun {
  runId: string;
  total: number;
}

export async function createQaRun({
  ctx,
  input,
}: {
  ctx: CreateQaRunContext;
  input: { csv: string; filename: string | null };
}): Promise<CreatedQaRun> {
  const parsed = parseQaCsv(input.csv, ctx.toolNames);
  if (!parsed.ok) throw new InvalidQaFile(parsed.problems);
  const { questions } = parsed;
  const db = ctx.deps.appDb.db;
  const runId = Bun.randomUUIDv7();

  await db.transaction(async (tx) => {
    await tx.insert(backgroundTasks).values({
      id: runId,
      kind: QA_RUN_KIND,
      status: "queued",
      params: { filename: input.filename, total: questions.length, user_id: ctx.deps.config.HILO_QA_USER_ID },
      requestedBy: ctx.requestedBy,
    });
    for (let start = 0; start < questions.length; start += INSERT_BATCH) {
      await tx.insert(qaResults).values(
        questions.slice(start, start + INSERT_BATCH).map((question, index) => ({
          id: Bun.randomUUIDv7(),
          taskId: runId,
          position: start + index + 1,
          questionId: question.id,
          question: question.question,
          expectedTools: question.expectedTools === null ? null : [...question.expectedTools],
        })),
      );
    }
  });

  try {
    await ctx.dispatch(
      runId,
      questions.map((_, index) => index + 1),
    );
  } catch (error) {
    // Some questions may be queued already; they find a failed run and still answer (their rows are
    // pending), but the operator is told to start the run again.
    const message = error instanceof Error ? error.message : String(error);
    await db
      .update(backgroundTasks)
      .set({ status: "failed", error: `could not queue the questions: ${message}`, finishedAt: new Date() })
      .where(eq(backgroundTasks.id, runId));
    throw new AppError("unavailable", "could not queue the run's questions; try again", 5);
  }
  return { runId, total: questions.length };
}

export interface QaQuestionContext {
  chat: Chat;
  log: Logger;
}

export type QaQuestionOutcome =
  | { position: number; status: "done" | "failed"; latency_ms: number | null }
  | { position: number; skipped: "already_answered" | "no_such_question" };

/**
 * QA turns are not charged to the per-user turn limits: the QA user asks thousands of questions by
 * design, and a run is bounded instead by its queue's concurrency and the file's 10,000 rows.
 */
const QA_TURN_LIMITS: TurnLimits = { admit: async () => ({ refund: async () => {} }) };

export async function answerQaQuestion({
  ctx,
  input,
}: {
  ctx: QaQuestionContext;
  input: { taskId: string; position: number };
}): Promise<QaQuestionOutcome> {
  const { chat } = ctx;
  const { deps } = chat;
  const db = deps.appDb.db;
  const { taskId, position } = input;
  const [row] = await db
    .select()
    .from(qaResults)
    .where(and(eq(qaResults.taskId, taskId), eq(qaResults.position, position)));
  if (!row) return { position, skipped: "no_such_question" };
  // A question answered before a crash (or by a twin of this job) is never asked again.
  if (row.status !== "pending") return { position, skipped: "already_answered" };
  await markRunActive(deps, taskId);

  const userId = deps.config.HILO_QA_USER_ID;
  const timezone = (await profileOf(chat, userId))?.timezone ?? "UTC";
  const session = await openSession({ ctx: { chat, userId } });
  const turnCtx: TurnContext = { chat, limits: QA_TURN_LIMITS, userId, timezone };
  // A fresh key per attempt: a claim left `running` by a worker that died mid-turn would otherwise
  // make this send attach to a turn no producer will ever finish.
  const idempotencyKey = `qa-${taskId}-${position}-${Bun.randomUUIDv7().slice(-12)}`;
  const sentAt = Date.now();

  let result: QuestionResult;
  try {
    const sent = await sendMessage({
      ctx: turnCtx,
      input: { sessionId: session.sessionId, message: row.question, idempotencyKey },
    });
    const turn = await followTurn(chat, turnLogKey(sent.claim.id, sent.claim.attempt));
    const claim = await findClaimById(db, userId, sent.claim.id);
    const hits = await db
      .select({ layer: safetyAudit.layer, category: safetyAudit.category, action: safetyAudit.action })
      .from(safetyAudit)
      .where(and(eq(safetyAudit.turnId, sent.claim.id), ne(safetyAudit.action, "approved")));
    result = {
      status: claim?.status === "done" ? "done" : "failed",
      // The stored answer: the trusted rewrite when the judge asked for one, else what `done` carried.
      answer: claim?.answer ?? null,
      toolsCalled: turn.toolsCalled,
      safetyHits: hits,
      verdict: turn.verdict,
      latencyMs: turn.doneAtMs === null ? null : Math.max(0, turn.doneAtMs - sentAt),
      error:
        claim?.status === "done" ? null : (turn.error ?? `the turn ended ${claim?.status ?? "unrecorded"}`),
      turnId: sent.claim.id,
    };
  } catch (error) {
    // The send itself was refused (a domain error: unavailable, at capacity): that is this question's
    // result. Anything else (the database failing) fails the job, and the queue retries it.
    if (!(error instanceof AppError)) throw error;
    result = {
      status: "failed",
      answer: null,
      toolsCalled: [],
      safetyHits: [],
      verdict: null,
      latencyMs: null,
      error: `${error.code}: ${error.message}`,
      turnId: null,
    };
  }

  const stored = await db
    .update(qaResults)
    .set({
      status: result.status,
      answer: result.answer,
      toolsCalled: result.toolsCalled,
      safetyHits: result.safetyHits,
      verdict: result.verdict,
      latencyMs: result.latencyMs,
      error: result.error,
      sessionId: session.sessionId,
      turnId: result.turnId,
      finishedAt: new Date(),
    })
    .where(and(eq(qaResults.id, row.id), eq(qaResults.status, "pending")));
  if (affectedRows(stored) === 0) {
    ctx.log.warn("qa question answered twice; the first result stands", { task_id: taskId, position });
    return { position, skipped: "already_answered" };
  }
  await finishRunIfComplete(deps, taskId);
  return { position, status: result.status, latency_ms: result.latencyMs };
}

interface QuestionResult {
  status: "done" | "failed";
  answer: string | null;
  toolsCalled: string[];
  safetyHits: { layer: number; category: string; action: string }[];
  verdict: string | null;
  latencyMs: number | null;
  error: string | null;
  turnId: string | null;
}

interface FollowedTurn {
  toolsCalled: string[];
  /** `approved`, `revise`, `degraded` (the judge failed open), or null (no judge: a canned reply). */
  verdict: string | null;
  /** When `done` was appended, from its stream id (Redis's clock, in ms), or null without one. */
  doneAtMs: number | null;
  error: string | null;
}

/**
 * Reads the turn's Redis log until `end`, as a client would, without HTTP. Polled with XRANGE on the
 * shared command connection: a blocking read would hold that connection, and a QA question costs ten
 * reads a second at most.
 */
async function followTurn(chat: Chat, key: string): Promise<FollowedTurn> {
  const { config, redis } = chat.deps;
  const deadline =
    Date.now() +
    config.HILO_TURN_BUDGET_MS +
    config.HILO_JUDGE_BUDGET_MS +
    config.HILO_REWRITE_BUDGET_MS +
    FOLLOW_GRACE_MS;
  const turn: FollowedTurn = { toolsCalled: [], verdict: null, doneAtMs: null, error: null };
  let from = "-";
  for (;;) {
    const entries = (await redis.redis.xrange(key, from, "+", "COUNT", 500)) as [string, string[]][];
    for (const [id, fields] of entries) {
      from = `(${id}`;
      const event = fieldOf(fields, "e");
      const data = parseData(fieldOf(fields, "d"));
      switch (event) {
        case "tool_call":
          if (typeof data.name === "string") turn.toolsCalled.push(data.name);
          break;
        case "done":
          turn.doneAtMs = Number(id.slice(0, id.indexOf("-")));
          break;
        case "eval_result":
          turn.verdict =
            data.degraded === true ? "degraded" : typeof data.verdict === "string" ? data.verdict : null;
          break;
        case "timeout":
          turn.error = `timeout: ${String(data.message ?? "")}`;
          break;
        case "error":
          turn.error = `${String(data.code ?? "error")}: ${String(data.message ?? "")}`;
          break;
        case "end":
          return turn;
      }
    }
    if (Date.now() > deadline) {
      return { ...turn, error: turn.error ?? "the turn did not end within its budgets" };
    }
    await Bun.sleep(FOLLOW_POLL_MS);
  }
}

function fieldOf(fields: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

function parseData(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The first question to start moves the run to `running`; every one refreshes its heartbeat. */
async function markRunActive(deps: Deps, taskId: string): Promise<void> {
  await deps.appDb.db
    .update(backgroundTasks)
    .set({
      status: sql`IF(${backgroundTasks.status} = 'queued', 'running', ${backgroundTasks.status})`,
      startedAt: sql`COALESCE(${backgroundTasks.startedAt}, CURRENT_TIMESTAMP(3))`,
      heartbeatAt: sql`CURRENT_TIMESTAMP(3)`,
    })
    .where(and(eq(backgroundTasks.id, taskId), eq(backgroundTasks.kind, QA_RUN_KIND)));
}

/** The question that leaves none pending closes the run (compare-and-set: once, whoever gets there). */
async function finishRunIfComplete(deps: Deps, taskId: string): Promise<void> {
  const db = deps.appDb.db;
  const counts = await db
    .select({ status: qaResults.status, count: sql<number>`COUNT(*)`.mapWith(Number) })
    .from(qaResults)
    .where(eq(qaResults.taskId, taskId))
    .groupBy(qaResults.status);
  const count = (status: string) => counts.find((row) => row.status === status)?.count ?? 0;
  if (count("pending") > 0) return;
  await db
    .update(backgroundTasks)
    .set({
      status: "done",
      result: { total: count("done") + count("failed"), done: count("done"), failed: count("failed") },
      heartbeatAt: sql`CURRENT_TIMESTAMP(3)`,
      finishedAt: sql`CURRENT_TIMESTAMP(3)`,
    })
    .where(
      and(
        eq(backgroundTasks.id, taskId),
        eq(backgroundTasks.kind, QA_RUN_KIND),
        sql`${backgroundTasks.status} IN ('queued', 'running')`,
      ),
    );
}
