// Schedule freshness and `hilo jobs status`, from background_tasks rows the tests write with an
// injected clock in 2001, under queue names of their own, so no other test's runs count.
import { afterAll, describe, expect, test } from "bun:test";
import { inArray } from "drizzle-orm";
import { EXIT_OVERDUE, reportJobsStatus } from "../../src/cli/jobs";
import { backgroundTasks } from "../../src/db/schema";
import { closeDeps, createDeps } from "../../src/infra/deps";
import { collectHealthChecks } from "../../src/jobs/health-monitor";
import { createJobProducer } from "../../src/jobs/producer";
import { freshness, readScheduleStatus } from "../../src/jobs/schedule-status";
import type { ScheduleDeclaration } from "../../src/jobs/schedules";
import { testConfig } from "../support/stack";
import { uniquePrefix } from "./support";

const deps = createDeps(testConfig());
const db = deps.appDb.db;
const kinds: string[] = [];

afterAll(async () => {
  if (kinds.length > 0) await db.delete(backgroundTasks).where(inArray(backgroundTasks.kind, kinds));
  await closeDeps(deps);
});

/** A nightly schedule at 03:30 UTC over a queue name no other test uses. */
function nightly(): ScheduleDeclaration {
  const queue = `status-${uniquePrefix().slice(-8)}`;
  kinds.push(queue);
  return {
    name: queue,
    cron: "30 3 * * *",
    queue,
    jobId: () => `${queue}@x`,
    payload: () => ({}),
  };
}

async function recordRun(
  schedule: ScheduleDeclaration,
  status: "running" | "done" | "failed",
  started: string,
  finished?: string,
  error?: string,
): Promise<void> {
  await db.insert(backgroundTasks).values({
    id: Bun.randomUUIDv7(),
    kind: schedule.queue,
    status,
    createdAt: new Date(started),
    startedAt: new Date(started),
    finishedAt: finished ? new Date(finished) : null,
    error: error ?? null,
  });
}

const at = (iso: string) => ({ now: () => new Date(iso) });

describe("freshness", () => {
  test.each([
    // A daily schedule is overdue 26 h after its last success finished.
    ["2001-03-01T03:31:00Z", "2001-03-02T05:30:59Z", false],
    ["2001-03-01T03:31:00Z", "2001-03-02T05:31:01Z", true],
    [null, "2001-03-01T00:00:00Z", true],
  ])("last success %p, now %p: overdue %p", (lastSuccess, now, overdue) => {
    const verdict = freshness("30 3 * * *", lastSuccess ? new Date(lastSuccess) : null, new Date(now));
    expect(verdict.overdue).toBe(overdue);
  });

  test("an hourly schedule has an hour plus the grace", () => {
    const last = new Date("2001-03-01T10:00:00Z");
    expect(freshness("0 * * * *", last, new Date("2001-03-01T12:59:00Z")).overdue).toBe(false);
    expect(freshness("0 * * * *", last, new Date("2001-03-01T13:01:00Z")).overdue).toBe(true);
  });
});

describe("schedule status from background_tasks", () => {
  test("a failed run after a success shows as the last run; freshness counts the success only", async () => {
    const schedule = nightly();
    await recordRun(schedule, "done", "2001-03-01T03:30:00Z", "2001-03-01T03:31:00Z");
    await recordRun(schedule, "failed", "2001-03-02T03:30:00Z", "2001-03-02T03:30:02Z", "db away");

    const [early] = await readScheduleStatus(db, [schedule], new Date("2001-03-02T05:00:00Z"));
    expect(early?.lastRun?.status).toBe("failed");
    expect(early?.lastRun?.error).toBe("db away");
    expect(early?.lastSuccessAt?.toISOString()).toBe("2001-03-01T03:31:00.000Z");
    expect(early?.dueBy?.toISOString()).toBe("2001-03-02T05:31:00.000Z");
    expect(early?.overdue).toBe(false);

    const [late] = await readScheduleStatus(db, [schedule], new Date("2001-03-02T06:00:00Z"));
    expect(late?.overdue).toBe(true);
  });

  test("`hilo jobs status` prints the overdue schedule and exits 1; once it ran, 0", async () => {
    const schedule = nightly();
    await recordRun(schedule, "done", "2001-03-01T03:30:00Z", "2001-03-01T03:31:00Z");
    let printed = "";
    const write = (text: string) => {
      printed += text;
    };

    const overdue = await reportJobsStatus(db, write, [schedule], at("2001-03-03T00:00:00Z"));
    expect(overdue).toBe(EXIT_OVERDUE);
    expect(printed).toContain(schedule.name);
    expect(printed).toContain("last run 2001-03-01T03:30:00.000Z done");
    expect(printed).toContain("OVERDUE");

    await recordRun(schedule, "done", "2001-03-02T03:30:00Z", "2001-03-02T03:31:00Z");
    printed = "";
    expect(await reportJobsStatus(db, write, [schedule], at("2001-03-03T00:00:00Z"))).toBe(0);
    expect(printed).not.toContain("OVERDUE");
  });

  test("a schedule that never ran is overdue", async () => {
    const schedule = nightly();
    let printed = "";
    const code = await reportJobsStatus(
      db,
      (text) => {
        printed += text;
      },
      [schedule],
      at("2001-03-01T00:00:00Z"),
    );
    expect(code).toBe(EXIT_OVERDUE);
    expect(printed).toContain("last run never no run");
  });

  test("the monitor's freshness check turns bad for an overdue schedule", async () => {
    const schedule = nightly();
    await recordRun(schedule, "done", "2001-03-01T03:30:00Z", "2001-03-01T03:31:00Z");
    const sources = {
      probe: async () => ({}),
      producer: createJobProducer(deps.redis.redis, uniquePrefix()),
      queues: [],
      db,
      schedules: [schedule],
    };
    expect(await collectHealthChecks(sources, new Date("2001-03-01T12:00:00Z"))).toEqual([
      {
        name: `schedule:${schedule.name}`,
        ok: true,
        detail: "fresh (last success 2001-03-01T03:31:00.000Z)",
      },
    ]);
    expect(await collectHealthChecks(sources, new Date("2001-03-03T12:00:00Z"))).toEqual([
      {
        name: `schedule:${schedule.name}`,
        ok: false,
        detail: "overdue (last success 2001-03-01T03:31:00.000Z)",
      },
    ]);
  });
});
