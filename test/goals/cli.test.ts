// `hilo tools run create_goal` for a seeded user, as ops and the demo use it: the stand-in's offline
// compiler turns a plain goal into a checked recipe with a preview, printed as the model's envelope.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import type { MongoClient } from "mongodb";
import { goals } from "../../src/db/schema";
import { closeDeps, createDeps } from "../../src/infra/deps";
import { MAIN, ROOT, stackEnv } from "../support/processes";
import { testConfig } from "../support/stack";
import {
  type GoalUser,
  removeGoalUser,
  type Standin,
  seedGoalUser,
  standinBaseUrl,
  startGoalStandin,
  testMongo,
} from "./harness";

const deps = createDeps(testConfig());
let standin: Standin;
let mongo: MongoClient;
let user: GoalUser;

beforeAll(async () => {
  standin = await startGoalStandin();
  mongo = testMongo();
  user = await seedGoalUser(mongo, { daysWithData: 14 });
});

afterAll(async () => {
  await removeGoalUser(mongo, user);
  await mongo.close();
  await standin.close();
  await closeDeps(deps);
});

test("hilo tools run create_goal prints the awaiting goal with its preview and stores it", async () => {
  const proc = Bun.spawn(
    [
      "bun",
      MAIN,
      "tools",
      "run",
      "create_goal",
      "--user",
      user.userId,
      "--args",
      JSON.stringify({ description: "keep my evening systolic under 135 five days out of seven" }),
    ],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...stackEnv({ OPENAI_BASE_URL: `${standinBaseUrl(standin)}/v1` }),
      },
      stdout: "pipe",
      stderr: "pipe",
    },
  );
  const [stdout, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
  expect(code).toBe(0);
  const envelope = JSON.parse(stdout) as { ok: boolean; data: { goal_id: string; preview: unknown[] } };
  expect(envelope).toMatchObject({
    ok: true,
    data: { status: "awaiting_confirmation", title: "Evening systolic < 135, 5 of 7 days" },
  });
  expect(envelope.data.preview).toHaveLength(14);
  const [row] = await deps.appDb.db.select().from(goals).where(eq(goals.id, envelope.data.goal_id));
  expect(row).toMatchObject({ userId: user.userId, watchId: user.watchId, status: "awaiting_confirmation" });
});
