// The six goal tools of the agent (seed §4.1). Who acts, their watch and zone come from the turn's
// context; a goal id of another user is "not found". Creating or editing compiles through the small
// compiler model once; the assistant then shows the preview and asks the user to confirm.
import { z } from "zod";
import { defineTool, type ToolContext, type ToolDefinition, ToolError } from "../agent/tool";
import { GOAL_STATUSES } from "../db/schema/goals";
import { AppError } from "../errors";
import { COMPILE_ATTEMPT_TIMEOUT_MS, GOAL_DESCRIPTION_MAX_CHARS } from "./compile";
import { describeRecipe } from "./describe";
import { evaluationView, goalSummaryView, previewView, progressView } from "./model";
import {
  type CompiledGoal,
  confirmGoal,
  createGoal,
  deleteGoal,
  type GoalCompileCtx,
  type GoalCtx,
  type GoalRow,
  getGoalDetail,
  listGoals,
  updateGoalDescription,
} from "./service";

/** Two compiler calls and two replays, inside the turn's own budget. */
const COMPILING_TOOL_TIMEOUT_MS = 2 * COMPILE_ATTEMPT_TIMEOUT_MS + 5_000;
const LIST_LIMIT = 20;
const RECENT_EVALUATIONS = 7;

const goalId = z.string().min(1).max(64).describe("The goal_id from create_goal or list_goals.");
const description = z
  .string()
  .trim()
  .min(3)
  .max(GOAL_DESCRIPTION_MAX_CHARS)
  .describe(
    "The goal in the user's own words, e.g. 'keep my evening systolic under 135 five days out of seven'.",
  );

function goalCtx(ctx: ToolContext): GoalCtx {
  return { userId: ctx.userId, db: ctx.deps.appDb.db, now: () => ctx.now() };
}

function compileCtx(ctx: ToolContext): GoalCompileCtx {
  return {
    ...goalCtx(ctx),
    watchId: ctx.watchId,
    timezone: ctx.timezone,
    sessionId: ctx.sessionId,
    compiler: {
      llm: ctx.llm,
      model: ctx.deps.config.HILO_GOAL_COMPILER_MODEL,
      deps: ctx.deps,
      signal: ctx.signal,
      log: ctx.log,
    },
  };
}

/** Domain errors as the model reads them: not found, or a refused status change with its reason. */
async function asTool<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found")
      throw new ToolError("not_found", error.message);
    if (error instanceof AppError && error.code === "illegal_transition")
      throw new ToolError("failed", error.message);
    throw error;
  }
}

/** A goal as the model reads it: what it is and its dates, without the app's fields. */
function goalBrief(goal: GoalRow) {
  const view = goalSummaryView(goal);
  return {
    goal_id: view.goal_id,
    title: view.title,
    status: view.status,
    recipe: view.recipe_summary,
    starts_on: view.starts_on,
    ends_on: view.ends_on,
  };
}

function compiledResult(result: CompiledGoal) {
  if (result.status === "could_not_compile") return { status: result.status, reason: result.reason };
  return {
    status: result.status,
    goal_id: result.goal.id,
    title: result.recipe.title,
    recipe: describeRecipe(result.recipe),
    preview: previewView(result.preview),
    next_step:
      "Show the user the recipe and the preview, and ask them to confirm before calling confirm_goal.",
  };
}

const createGoalTool = defineTool({
  name: "create_goal",
  description: [
    "Set up a health goal the user asked for, from their own words (blood pressure, heart rate, sleep, steps or",
    "readings in target; e.g. 'evening systolic under 135 five days out of seven', '8,000 steps 5 days in a row').",
    "It is compiled into a daily check and replayed on the last 14 days. Returns status 'awaiting_confirmation'",
    "with goal_id, title, the recipe in plain words and a preview [{day, value, hit}]: describe them and ask the",
    "user to confirm; call confirm_goal only after they agree. 'could_not_compile' carries a reason to relay.",
  ].join("\n"),
  input: z.strictObject({ description }),
  timeoutMs: COMPILING_TOOL_TIMEOUT_MS,
  handler: async (args, ctx) =>
    compiledResult(
      await asTool(() => createGoal({ ctx: compileCtx(ctx), input: { description: args.description } })),
    ),
});

const confirmGoalTool = defineTool({
  name: "confirm_goal",
  description:
    "Start tracking a goal the user has confirmed after seeing its preview. Only for a goal awaiting confirmation; " +
    "it counts from the user's today and is evaluated every night.",
  input: z.strictObject({ goal_id: goalId }),
  handler: async (args, ctx) => {
    const goal = await asTool(() => confirmGoal({ ctx: goalCtx(ctx), input: { goalId: args.goal_id } }));
    return goalBrief(goal);
  },
});

const listGoalsTool = defineTool({
  name: "list_goals",
  description: "List the user's goals, newest first (at most 20), with their status and what each tracks.",
  input: z.strictObject({
    status: z.enum(GOAL_STATUSES).optional().describe("Only goals in this status."),
  }),
  handler: async (args, ctx) => {
    const page = await listGoals({
      ctx: goalCtx(ctx),
      input: {
        limit: LIST_LIMIT,
        cursor: null,
        statuses: args.status === undefined ? undefined : [args.status],
      },
    });
    return {
      goals: page.items.map(goalBrief),
      more: page.nextCursor !== null,
    };
  },
});

const getGoalProgressTool = defineTool({
  name: "get_goal_progress",
  description:
    "How a goal is going: its status, the current streak, hits and misses so far, days left in its window " +
    "(null for a streak) and the last evaluated days. Days are evaluated each night after they end.",
  input: z.strictObject({ goal_id: goalId }),
  handler: async (args, ctx) => {
    const detail = await asTool(() => getGoalDetail({ ctx: goalCtx(ctx), input: { goalId: args.goal_id } }));
    return {
      ...goalBrief(detail.goal),
      progress: detail.progress === null ? null : progressView(detail.progress),
      last_evaluations: detail.evaluations.slice(-RECENT_EVALUATIONS).map(evaluationView),
      ...(detail.goal.errorMessage === null ? {} : { error: detail.goal.errorMessage }),
    };
  },
});

const updateGoalTool = defineTool({
  name: "update_goal",
  description:
    "Change what a goal tracks, from the user's new wording. The goal is compiled again, its history is cleared " +
    "and it waits for confirmation again (same result as create_goal). Achieved or missed goals cannot change.",
  input: z.strictObject({ goal_id: goalId, description }),
  timeoutMs: COMPILING_TOOL_TIMEOUT_MS,
  handler: async (args, ctx) =>
    compiledResult(
      await asTool(() =>
        updateGoalDescription({
          ctx: compileCtx(ctx),
          input: { goalId: args.goal_id, description: args.description },
        }),
      ),
    ),
});

const deleteGoalTool = defineTool({
  name: "delete_goal",
  description: "Remove a goal and its history, when the user asks to.",
  input: z.strictObject({ goal_id: goalId }),
  handler: async (args, ctx) => {
    const deleted = await deleteGoal({ ctx: goalCtx(ctx), input: { goalId: args.goal_id } });
    if (!deleted) throw new ToolError("not_found", "goal not found");
    return { status: "deleted", goal_id: args.goal_id };
  },
});

export const GOAL_TOOLS: readonly ToolDefinition[] = [
  createGoalTool,
  confirmGoalTool,
  listGoalsTool,
  getGoalProgressTool,
  updateGoalTool,
  deleteGoalTool,
];
