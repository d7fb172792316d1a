// The MongoDB expressions generated from the single definitions of dayparts and BP categories agree with
// those definitions for every input, evaluated by the stack's MongoDB.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { randomUUID } from "node:crypto";
import { type Db, MongoClient } from "mongodb";
import { categoryRankOf, daypartOfHour } from "../../../../src/agent/tools/readings/pipeline";
import { bpCategoryRank, classifyBp } from "../../../../src/readings/bp-category";
import { daypartOfLocalHour } from "../../../../src/readings/dayparts";
import { requireEnv } from "../../../support/stack";

let client: MongoClient;
let db: Db;

beforeAll(async () => {
  client = new MongoClient(requireEnv("MONGO_URL"));
  db = client.db(`tools_pipeline_${randomUUID().replaceAll("-", "").slice(0, 12)}`);
});

afterAll(async () => {
  await db.dropDatabase();
  await client.close();
});

describe("daypartOfHour", () => {
  test("matches daypartOfLocalHour for all 24 hours", async () => {
    const hours = Array.from({ length: 24 }, (_, hour) => ({ hour }));
    await db.collection("hours").insertMany(hours);
    const rows = await db
      .collection("hours")
      .aggregate<{ hour: number; daypart: string }>([
        { $project: { _id: 0, hour: 1, daypart: daypartOfHour("$hour") } },
        { $sort: { hour: 1 } },
      ])
      .toArray();
    expect(rows).toEqual(hours.map(({ hour }) => ({ hour, daypart: daypartOfLocalHour(hour) })));
  });
});

describe("categoryRankOf", () => {
  test("matches classifyBp on and around every threshold", async () => {
    const systolic = [90, 119, 119.9, 120, 129, 130, 139, 140, 159, 160, 185];
    const diastolic = [55, 79, 79.5, 80, 84, 85, 89, 90, 99, 100, 115];
    const pressures = systolic.flatMap((s) => diastolic.map((d) => ({ s, d })));
    await db.collection("pressures").insertMany(pressures.map((p) => ({ ...p })));
    const rows = await db
      .collection("pressures")
      .aggregate<{ s: number; d: number; rank: number }>([
        { $project: { _id: 0, s: 1, d: 1, rank: categoryRankOf("$s", "$d") } },
      ])
      .toArray();
    expect(rows).toHaveLength(pressures.length);
    for (const row of rows)
      expect([row.s, row.d, row.rank]).toEqual([row.s, row.d, bpCategoryRank(classifyBp(row.s, row.d))]);
  });
});
