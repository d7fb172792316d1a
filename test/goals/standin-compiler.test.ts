// The OpenAI stand-in's offline goal compiler and goal tool picking, as tables: common phrasings in,
// recipes out that pass the backend's own checks, and the tool rounds the demo agent takes.
import { describe, expect, test } from "bun:test";
import type { ChatTool } from "../../scripts/standins/openai/chat-request";
import { compileGoalReply, planGoalCalls } from "../../scripts/standins/openai/offline-goals";
import { compileComparison } from "../../src/goals/comparison";
import { recipeSchema } from "../../src/goals/recipe";
import { checkPipeline } from "../../src/goals/sandbox";

const compiled = (description: string) =>
  JSON.parse(compileGoalReply(`Goal to compile: ${description}`)) as Record<string, unknown> & {
    pipeline_json: string;
  };

describe("the offline compiler", () => {
  const cases: [string, Record<string, unknown>][] = [
    [
      "keep my evening systolic under 135 five days out of seven",
      {
        metric: "last_reading_systolic",
        comparison: "value < 135",
        kind: "count_hits_in_window",
        target: 5,
        window_days: 7,
      },
    ],
    [
      "walk 10,000 steps 5 days in a row",
      { metric: "steps", comparison: "value >= 10000", kind: "streak", target: 5 },
    ],
    [
      "at least 8k steps 4 times a week",
      { metric: "steps", comparison: "value >= 8000", target: 4, window_days: 7 },
    ],
    [
      "sleep at least 7 hours every night for two weeks",
      {
        metric: "sleep_hours",
        comparison: "value >= 7",
        kind: "sustained_pattern",
        target: 14,
        window_days: 14,
      },
    ],
    ["heart rate below 75 on 4 of 7 days", { metric: "heart_rate", comparison: "value < 75", target: 4 }],
    [
      "diastolic between 70 and 85 for 10 of 14 days",
      { metric: "avg_diastolic", comparison: "value >= 70 && value <= 85" },
    ],
    [
      "blood pressure optimal or normal 10 days in a row",
      { metric: "bp_category", comparison: "value <= 1", kind: "streak" },
    ],
    ["80% of readings in target 5 of 7 days", { metric: "in_target_pct", comparison: "value >= 80" }],
    ["mantener mi presión bajo 130", { metric: "avg_systolic", comparison: "value < 130" }],
    ["Blutdruck unter 128 an 5 von 7 Tagen", { metric: "avg_systolic", comparison: "value < 128" }],
  ];
  test.each(cases)("%s", (description, expected) => {
    const reply = compiled(description);
    expect(reply).toMatchObject({ unsupported_reason: null, ...expected });
    const pipeline = JSON.parse(reply.pipeline_json);
    expect(() => checkPipeline(pipeline)).not.toThrow();
    expect(() => compileComparison(String(reply.comparison))).not.toThrow();
    const { unsupported_reason: _, pipeline_json: __, ...rest } = reply;
    expect(recipeSchema.safeParse({ ...rest, pipeline }).success).toBe(true);
  });

  test("a goal without a metric it knows is unsupported, with a reason", () => {
    expect(compiled("be more mindful").unsupported_reason).toMatch(/blood pressure/);
  });

  test("only the goal's own line is read on a retry", () => {
    const retry = compileGoalReply(
      "Goal to compile: walk 9000 steps 3 days in a row\n\nYour previous reply was refused: sleep is not allowed",
    );
    expect(JSON.parse(retry)).toMatchObject({ metric: "steps", comparison: "value >= 9000" });
  });
});

describe("goal tool picking", () => {
  const tools = ["create_goal", "confirm_goal", "list_goals", "get_goal_progress"].map(
    (name): ChatTool => ({ name, parameters: {} }),
  );
  const listed = {
    name: "list_goals",
    content: JSON.stringify({
      ok: true,
      data: {
        goals: [
          { goal_id: "g-active", status: "active" },
          { goal_id: "g-new", status: "awaiting_confirmation" },
        ],
      },
    }),
  };
  const cases: [string, ChatTool[] | never[], { name: string; content: string }[], unknown][] = [
    [
      "keep my evening systolic under 135 five days out of seven",
      tools,
      [],
      [
        {
          name: "create_goal",
          arguments: { description: "keep my evening systolic under 135 five days out of seven" },
        },
      ],
    ],
    ["Yes, please confirm it", tools, [], [{ name: "list_goals", arguments: {} }]],
    ["Yes, please confirm it", tools, [listed], [{ name: "confirm_goal", arguments: { goal_id: "g-new" } }]],
    [
      "how is my goal going?",
      tools,
      [listed],
      [{ name: "get_goal_progress", arguments: { goal_id: "g-active" } }],
    ],
    ["show my goals", tools, [], [{ name: "list_goals", arguments: {} }]],
    ["can you confirm my reading yesterday was high?", tools, [], null],
    ["How did I sleep last week?", tools, [], null],
    ["keep my steps over 8000 five days out of seven", [], [], null],
  ];
  test.each(cases)("%s", (message, offered, results, expected) => {
    expect(planGoalCalls(message, offered, results)).toEqual(expected as never);
  });
});
