// Check 1 as tables: the pipelines a daily metric needs pass, and every malicious or invalid compiler
// output is refused, one case each, with the reason and where it was found.
import { describe, expect, test } from "bun:test";
import {
  checkPipeline,
  MAX_PIPELINE_DEPTH,
  MAX_PIPELINE_JSON_CHARS,
  MAX_PIPELINE_NODES,
  MAX_PIPELINE_STAGES,
  SandboxError,
} from "../../src/goals/sandbox";

const evening = { $eq: ["$last_reading.daypart", "evening"] };
// MongoDB's $cond and $switch name an argument `then`, which the linter keeps out of object literals.
const ifThenElse = (condition: unknown, yes: unknown, no: unknown, extra: Record<string, unknown> = {}) => ({
  // biome-ignore lint/suspicious/noThenProperty: MongoDB's argument name, never awaited
  ...{ if: condition, then: yes, else: no },
  ...extra,
});
// biome-ignore lint/suspicious/noThenProperty: MongoDB's argument name, never awaited
const branch = (condition: unknown, result: unknown) => ({ case: condition, then: result });

describe("checkPipeline accepts what a daily metric needs", () => {
  const cases: [string, unknown[]][] = [
    ["a metric as the value", [{ $set: { value: "$avg_systolic" } }]],
    [
      "a filter on the daypart, then the value",
      [{ $match: { "last_reading.daypart": "evening" } }, { $set: { value: "$last_reading.systolic" } }],
    ],
    ["$cond as a list", [{ $set: { value: { $cond: [evening, "$last_reading.systolic", null] } } }]],
    [
      "$cond with names",
      [{ $addFields: { value: { $cond: ifThenElse(evening, "$last_reading.systolic", null) } } }],
    ],
    ["$project keeping day", [{ $project: { _id: 0, day: 1, value: { $divide: ["$steps", 1000] } } }]],
    [
      "$let with a variable",
      [{ $set: { value: { $let: { vars: { s: "$avg_systolic" }, in: { $subtract: ["$$s", 120] } } } } }],
    ],
    [
      "$map and $filter over a literal list",
      [
        {
          $set: {
            value: {
              $size: {
                $filter: {
                  input: {
                    $map: { input: { $literal: [1, 2, 3] }, as: "n", in: { $add: ["$$n", "$steps"] } },
                  },
                  cond: { $gt: ["$$this", 8000] },
                },
              },
            },
          },
        },
      ],
    ],
    [
      "BP category as a rank",
      [
        {
          $set: {
            value: {
              $switch: {
                branches: [
                  branch({ $eq: ["$bp_category", "Optimal"] }, 0),
                  branch({ $eq: ["$bp_category", "Normal"] }, 1),
                ],
                default: 2,
              },
            },
          },
        },
      ],
    ],
    [
      "the hour of the last reading",
      [{ $set: { value: { $hour: { date: "$last_reading.at", timezone: "Europe/London" } } } }],
    ],
    ["$$ROOT with a listed field", [{ $set: { value: "$$ROOT.sleep_hours" } }]],
    [
      "$match with $expr, $or and operators",
      [
        { $match: { $or: [{ steps: { $gte: 1 } }, { sleep_hours: { $exists: true } }] } },
        { $match: { $expr: { $lt: ["$avg_diastolic", 90] }, bp_category: { $in: ["Optimal", "Normal"] } } },
        { $set: { value: "$in_target_pct" } },
      ],
    ],
  ];
  test.each(cases)("%s", (_label, pipeline) => {
    expect(() => checkPipeline(pipeline)).not.toThrow();
  });
});

const set = (value: unknown) => [{ $set: { value } }];
const deepAdd = (levels: number): unknown => (levels === 0 ? "$steps" : { $add: [deepAdd(levels - 1), 1] });

describe("checkPipeline refuses", () => {
  const cases: [string, unknown, RegExp][] = [
    // Every forbidden stage or operator of the issue, at the top level.
    [
      "$where in $match",
      [{ $match: { $where: "sleep(10000) || true" } }],
      /\$where is not allowed.*\[0\]\.\$match\.\$where/,
    ],
    [
      "$function as the value",
      set({ $function: { body: "function () { return 1 }", args: [], lang: "js" } }),
      /\$function is not allowed/,
    ],
    [
      "$accumulator in a $group",
      [{ $group: { _id: null, v: { $accumulator: { init: "function () {}", lang: "js" } } } }],
      /\$accumulator is not allowed/,
    ],
    [
      "$lookup of another collection",
      [{ $lookup: { from: "users", localField: "watch_id", foreignField: "watch_id", as: "u" } }],
      /\$lookup is not allowed/,
    ],
    [
      "$graphLookup",
      [
        {
          $graphLookup: {
            from: "watch_daily",
            startWith: "$watch_id",
            connectFromField: "a",
            connectToField: "b",
            as: "g",
          },
        },
      ],
      /\$graphLookup is not allowed/,
    ],
    ["$unionWith another collection", [{ $unionWith: "bp_readings" }], /\$unionWith is not allowed/],
    [
      "$out after a valid stage",
      [{ $set: { value: 1 } }, { $out: "stolen" }],
      /\$out is not allowed.*\[1\]\.\$out/,
    ],
    ["$merge into another collection", [{ $merge: { into: "watch_daily" } }], /\$merge is not allowed/],
    ["$documents", [{ $documents: [{ value: 1, day: "2026-01-01" }] }], /\$documents is not allowed/],
    ["$collStats", [{ $collStats: { count: {} } }], /\$collStats is not allowed/],
    ["$indexStats", [{ $indexStats: {} }], /\$indexStats is not allowed/],
    ["$currentOp", [{ $currentOp: { allUsers: true } }], /\$currentOp is not allowed/],
    ["$listSessions", [{ $listSessions: { allUsers: true } }], /\$listSessions is not allowed/],
    ["$planCacheStats", [{ $planCacheStats: {} }], /\$planCacheStats is not allowed/],
    ["$sample", [{ $sample: { size: 1 } }], /\$sample is not allowed/],
    // The same, nested where a shallow check would not look.
    [
      "$lookup inside $facet",
      [{ $facet: { a: [{ $lookup: { from: "users", as: "u", pipeline: [] } }] } }],
      /\$lookup is not allowed.*\$facet\.a\[0\]\.\$lookup/,
    ],
    [
      "$unionWith inside $facet",
      [{ $facet: { a: [{ $unionWith: { coll: "bp_readings" } }] } }],
      /\$unionWith is not allowed/,
    ],
    ["$out inside $facet", [{ $facet: { a: [{ $out: "x" }] } }], /\$out is not allowed/],
    [
      "$function inside $cond's then",
      set({ $cond: ifThenElse(evening, { $function: { body: "x", args: [], lang: "js" } }, null) }),
      /\$function is not allowed.*\$cond\.then\.\$function/,
    ],
    [
      "$function inside a $cond list",
      set({ $cond: [true, { $function: { body: "x", args: [], lang: "js" } }, 0] }),
      /\$function is not allowed/,
    ],
    [
      "$function inside $map's in",
      set({ $map: { input: [1], as: "x", in: { $function: { body: "x", args: [], lang: "js" } } } }),
      /\$function is not allowed.*\$map\.in/,
    ],
    [
      "$accumulator inside $filter's cond",
      set({ $filter: { input: [1], cond: { $accumulator: { init: "x", lang: "js" } } } }),
      /\$accumulator is not allowed.*\$filter\.cond/,
    ],
    [
      "$function inside $let's vars",
      set({ $let: { vars: { a: { $function: { body: "x", args: [], lang: "js" } } }, in: "$$a" } }),
      /\$function is not allowed.*\$let\.vars\.a/,
    ],
    [
      "$where inside $match's $or",
      [{ $match: { $or: [{ steps: 1 }, { $where: "true" }] } }],
      /\$where is not allowed/,
    ],
    [
      "$sample inside $facet inside $facet",
      [{ $facet: { a: [{ $facet: { b: [{ $sample: { size: 5 } }] } }] } }],
      /\$sample is not allowed/,
    ],
    ["$where hidden in $literal", set({ $literal: { $where: "true" } }), /\$where is not allowed/],
    // System variables.
    ["$$NOW", set({ $hour: "$$NOW" }), /system variable \$\$NOW/],
    [
      "$$CLUSTER_TIME inside $let",
      set({ $let: { vars: { t: "$$CLUSTER_TIME" }, in: 1 } }),
      /system variable \$\$CLUSTER_TIME/,
    ],
    [
      "$$USER_ROLES inside $filter",
      set({ $filter: { input: "$$USER_ROLES", cond: true } }),
      /system variable \$\$USER_ROLES/,
    ],
    ["$$REMOVE in $project", [{ $project: { value: "$$REMOVE", day: 1 } }], /system variable \$\$REMOVE/],
    [
      "$$SEARCH_META inside $cond",
      set({ $cond: [true, "$$SEARCH_META", 0] }),
      /system variable \$\$SEARCH_META/,
    ],
    ["the whole document through $$ROOT", set("$$ROOT"), /\$\$ROOT must be followed by a field/],
    ["$$ROOT.watch_id", set("$$ROOT.watch_id"), /may not use "watch_id"/],
    ["$$CURRENT.user_id", set("$$CURRENT.user_id"), /may not use "user_id"/],
    ["a variable nobody declared", set({ $add: ["$$secret", 1] }), /unknown variable \$\$secret/],
    [
      "a $let variable used outside its $let",
      set({ $add: [{ $let: { vars: { a: 1 }, in: "$$a" } }, "$$a"] }),
      /unknown variable \$\$a/,
    ],
    [
      "a $map variable named like a system one",
      set({ $map: { input: [1], as: "NOW", in: 1 } }),
      /variable names start with a lower-case/,
    ],
    // Field paths outside the closed list.
    ["a field that is not a metric", set("$reading_count"), /the field "reading_count" is not available/],
    ["a whole sub-document", set("$last_reading"), /the field "last_reading" is not available/],
    ["_id", set({ $toDouble: "$_id" }), /may not use "_id"/],
    ["the zone field", set("$timezone"), /may not use "timezone"/],
    [
      "a metric-looking field in $match",
      [{ $match: { "last_reading.pulse": { $gt: 1 } } }],
      /"last_reading.pulse" is not available/,
    ],
    // Identity and day conditions of the model's own.
    [
      "another watch in $match",
      [{ $match: { watch_id: "someone-elses-watch" } }, ...set(1)],
      /may not use "watch_id".*server alone chooses/,
    ],
    ["a user_id condition", [{ $match: { user_id: { $ne: null } } }], /may not use "user_id"/],
    ["a day range of its own", [{ $match: { day: { $gte: "2000-01-01" } } }], /may not use "day"/],
    [
      "watch_id through $expr",
      [{ $match: { $expr: { $eq: ["$watch_id", "w-1"] } } }],
      /may not use "watch_id"/,
    ],
    ["watch_id inside $nor", [{ $match: { $nor: [{ watch_id: "mine" }] } }], /may not use "watch_id"/],
    [
      "rewriting day",
      [{ $set: { day: "2026-01-01", value: 1 } }],
      /may only write the field "value", not "day"/,
    ],
    ["writing watch_id", [{ $addFields: { watch_id: "other" } }], /may only write the field "value"/],
    [
      "projecting watch_id",
      [{ $project: { watch_id: 1, value: "$steps" } }],
      /may not name the field "watch_id"/,
    ],
    [
      "projecting day from something else",
      [{ $project: { day: "$bp_category", value: 1 } }],
      /may only keep "day"/,
    ],
    // Stages and operators that are not on the list.
    ["$group", [{ $group: { _id: "$day", value: { $avg: "$steps" } } }], /the stage \$group is not allowed/],
    ["$replaceRoot", [{ $replaceRoot: { newRoot: { value: 1 } } }], /the stage \$replaceRoot is not allowed/],
    ["$unwind", [{ $unwind: "$steps" }], /the stage \$unwind is not allowed/],
    ["$limit", [{ $limit: 1 }], /the stage \$limit is not allowed/],
    [
      "$getField",
      set({ $getField: { field: "watch_id", input: "$$CURRENT" } }),
      /operator \$getField is not allowed/,
    ],
    [
      "$regexMatch",
      set({ $regexMatch: { input: "$bp_category", regex: "(a+)+$" } }),
      /operator \$regexMatch is not allowed/,
    ],
    [
      "$regex in $match",
      [{ $match: { bp_category: { $regex: "(a+)+$" } } }],
      /condition \$regex is not allowed/,
    ],
    [
      "$text search",
      [{ $match: { $text: { $search: "x" } } }],
      /\$search is not allowed|query operator \$text is not allowed/,
    ],
    ["$jsonSchema", [{ $match: { $jsonSchema: {} } }], /query operator \$jsonSchema is not allowed/],
    ["$concat to build a path", set({ $concat: ["$", "watch_id"] }), /operator \$concat is not allowed/],
    ["$toString", set({ $toString: "$steps" }), /operator \$toString is not allowed/],
    // String and key tricks.
    [
      "a stage name with a trailing space",
      [{ "$lookup ": { from: "users" } }],
      /stage \$lookup {2}is not allowed|stage .* is not allowed/,
    ],
    ["a full-width dollar", [{ "＄lookup": { from: "users" } }], /is not allowed in a goal recipe/],
    ["a stage with two names", [{ $match: { steps: 1 }, $set: { value: 1 } }], /one stage name/],
    ["an expression with two operators", set({ $add: [1, 2], $subtract: [3, 4] }), /one operator/],
    [
      "a field path as a $match value",
      [{ $match: { steps: "$sleep_hours" } }],
      /may not look like a field path/,
    ],
    ["a path inside $literal", set({ $literal: "$watch_id" }), /\$literal holds only/],
    ["an object literal value", set({ nested: "$steps" }), /one operator/],
    [
      "__proto__ written from JSON",
      JSON.parse('[{"$set":{"value":1,"__proto__":{"polluted":true}}}]'),
      /may only write the field "value", not "__proto__"/,
    ],
    [
      "a constructor key in $match",
      [{ $match: { constructor: { $gt: 1 } } }],
      /"constructor" is not available/,
    ],
    [
      "a zone that is an offset",
      set({ $hour: { date: "$last_reading.at", timezone: "+05:00" } }),
      /IANA zone/,
    ],
    [
      "an unexpected argument",
      set({ $cond: ifThenElse(true, 1, 0, { extra: "$$NOW" }) }),
      /system variable|unexpected argument/,
    ],
    ["a non-finite number", [{ $set: { value: Number.POSITIVE_INFINITY } }], /finite/],
    // Shape and size.
    ["no list at all", { $set: { value: 1 } }, /must be a list of stages/],
    ["an empty pipeline", [], /at least one stage/],
    ["a stage that is not an object", ["$match"], /one stage name/],
    [
      "too many stages",
      Array.from({ length: MAX_PIPELINE_STAGES + 1 }, () => ({ $set: { value: 1 } })),
      /more than 10 stages/,
    ],
    [
      "oversize JSON",
      [
        {
          $match: {
            bp_category: { $in: Array.from({ length: 45 }, (_, i) => `category-${"x".repeat(190)}-${i}`) },
          },
        },
      ],
      new RegExp(`longer than ${MAX_PIPELINE_JSON_CHARS}`),
    ],
    ["too deep", set(deepAdd(MAX_PIPELINE_DEPTH)), new RegExp(`deeper than ${MAX_PIPELINE_DEPTH}`)],
    [
      "too many parts",
      set({ $add: Array.from({ length: 20 }, () => ({ $add: Array.from({ length: 40 }, () => 1) })) }),
      new RegExp(`more than ${MAX_PIPELINE_NODES} parts`),
    ],
    ["a very long string", [{ $match: { bp_category: "x".repeat(500) } }], /longer than 200 characters/],
    [
      "loops nested three deep (a CPU bomb)",
      set({
        $size: {
          $map: {
            input: { $literal: [1, 2] },
            in: {
              $map: {
                input: { $literal: [1, 2] },
                in: { $filter: { input: { $literal: [1] }, cond: true } },
              },
            },
          },
        },
      }),
      /nested at most 2 deep/,
    ],
    [
      "a huge $in list",
      [{ $match: { steps: { $in: Array.from({ length: 60 }, (_, i) => i) } } }],
      /at most 50 items/,
    ],
  ];

  test.each(cases)("%s", (_label, pipeline, message) => {
    let caught: unknown;
    try {
      checkPipeline(pipeline);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SandboxError);
    expect(caught instanceof Error ? caught.message : "").toMatch(message);
  });
});
