// The goals screen of the app: list, one goal with its progress and evaluation series, and the user's
// lifecycle actions. Goals are created and reworded only in chat (compiling needs the assistant's
// confirmation step). Thin: parse, call one verb, map the result. Another user's goal is 404, like a
// missing one; a change the goal's status does not allow is 409 `illegal_transition`.
import { Elysia } from "elysia";
import { cursorParam } from "../db/cursor";
import { isEntityId } from "../db/ids";
import { notFound } from "../errors";
import { clientAuth } from "../http/auth";
import { v1Operation } from "../http/openapi-contract";
import type { AppDb } from "../infra/app-db";
import { goalDetail, goalDetailView, goalList, goalPageQuery, goalParams, goalSummaryView } from "./model";
import {
  confirmGoal,
  deleteGoal,
  type GoalCtx,
  getGoalDetail,
  listGoals,
  pauseGoal,
  resumeGoal,
} from "./service";

export interface GoalRouteOptions {
  apiKey: string;
  db: AppDb;
}

const TAGS = ["goals"];

export function goalRoutes({ apiKey, db }: GoalRouteOptions) {
  const ctxOf = (userId: string): GoalCtx => ({ userId, db, now: () => new Date() });
  /** The goal after a lifecycle action, with its progress, as GET /v1/goals/:id shows it. */
  const detailOf = async (ctx: GoalCtx, goalId: string) =>
    goalDetailView(await getGoalDetail({ ctx, input: { goalId } }));
  /** A lifecycle action's handler: the verb, then the goal as it is now. */
  const act =
    (verb: (args: { ctx: GoalCtx; input: { goalId: string } }) => Promise<unknown>) =>
    async ({ client, params }: { client: { userId: string }; params: { id: string } }) => {
      const ctx = ctxOf(client.userId);
      await verb({ ctx, input: { goalId: params.id } });
      return detailOf(ctx, params.id);
    };

  return new Elysia({ prefix: "/v1/goals" })
    .use(clientAuth(apiKey))
    .onBeforeHandle(({ params }) => {
      // After the key and headers are checked, before any query: an id we never issued is not found.
      const id = (params as { id?: string } | undefined)?.id;
      if (id !== undefined && !isEntityId(id)) throw notFound("goal");
    })
    .get(
      "",
      async ({ client, query }) => {
        const page = await listGoals({
          ctx: ctxOf(client.userId),
          input: {
            limit: query.limit,
            cursor: cursorParam(query.cursor),
            statuses: query.status === undefined ? undefined : [query.status],
          },
        });
        return { goals: page.items.map(goalSummaryView), next_cursor: page.nextCursor };
      },
      {
        query: goalPageQuery,
        response: { 200: goalList },
        detail: {
          operationId: "listGoals",
          summary: "The user's goals, newest first",
          description:
            "Every goal the user set up in chat, newest first, optionally only one `status`. `limit` 1-100 " +
            "(default 20); pass `next_cursor` as `cursor` for the next page (null on the last page); a malformed " +
            "`limit`, `status` or `cursor` is 400 `invalid_request`.",
          tags: TAGS,
          ...v1Operation({
            responses: { 200: { description: "One page; `next_cursor` is null on the last" } },
          }),
        },
      },
    )
    .get("/:id", async ({ client, params }) => detailOf(ctxOf(client.userId), params.id), {
      params: goalParams,
      response: { 200: goalDetail },
      detail: {
        operationId: "getGoal",
        summary: "One goal with its progress and evaluation series",
        description:
          "The goal's recipe in plain words, status and progress (null until confirmed), and one evaluation per " +
          "evaluated local day, oldest first, for a chart. 404 when the user has no goal with this id.",
        tags: TAGS,
        ...v1Operation({ errors: [404], responses: { 200: { description: "The goal" } } }),
      },
    })
    .post("/:id/confirm", act(confirmGoal), {
      params: goalParams,
      response: { 200: goalDetail },
      detail: {
        operationId: "confirmGoal",
        summary: "Start tracking a goal awaiting confirmation",
        description:
          "`awaiting_confirmation` → `active`, counting from the user's today. 409 `illegal_transition` in any " +
          "other status.",
        tags: TAGS,
        ...v1Operation({ errors: [404, 409], responses: { 200: { description: "The goal, now active" } } }),
      },
    })
    .post("/:id/pause", act(pauseGoal), {
      params: goalParams,
      response: { 200: goalDetail },
      detail: {
        operationId: "pauseGoal",
        summary: "Pause an active goal",
        description: "`active` → `paused`: not evaluated until resumed. 409 `illegal_transition` otherwise.",
        tags: TAGS,
        ...v1Operation({ errors: [404, 409], responses: { 200: { description: "The goal, now paused" } } }),
      },
    })
    .post("/:id/resume", act(resumeGoal), {
      params: goalParams,
      response: { 200: goalDetail },
      detail: {
        operationId: "resumeGoal",
        summary: "Resume a paused goal, or re-activate an errored one",
        description:
          "`paused` or `errored` → `active`; the days that passed meanwhile are evaluated by the next nightly " +
          "run. 409 `illegal_transition` otherwise (`achieved` and `missed` are final).",
        tags: TAGS,
        ...v1Operation({ errors: [404, 409], responses: { 200: { description: "The goal, now active" } } }),
      },
    })
    .delete(
      "/:id",
      async ({ client, params, set }) => {
        const deleted = await deleteGoal({ ctx: ctxOf(client.userId), input: { goalId: params.id } });
        if (!deleted) throw notFound("goal");
        set.status = 204;
      },
      {
        params: goalParams,
        detail: {
          operationId: "deleteGoal",
          summary: "Remove a goal and its evaluations",
          description: "204 when removed, in any status; 404 when the user has no goal with this id.",
          tags: TAGS,
          ...v1Operation({ errors: [404], responses: { 204: { description: "Removed" } } }),
        },
      },
    );
}
