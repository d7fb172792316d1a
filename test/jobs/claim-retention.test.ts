// Claim retention against the stack's MariaDB: only finished claims older than the cutoff go, in
// batches; running claims stay; claims whose producer died are failed. The clock is set in 2001, so
// no other test's rows are old enough to be touched.
import { afterAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { turnClaims } from "../../src/db/schema";
import { closeDeps, createDeps } from "../../src/infra/deps";
import { runClaimRetention } from "../../src/jobs/claim-retention";
import { createLogger } from "../../src/observability/logger";
import { newUserId, testConfig } from "../support/stack";

const deps = createDeps(testConfig());
const log = createLogger("error");
const db = deps.appDb.db;
const NOW = new Date("2001-03-01T00:00:00Z"); // cutoff with the default 30 days: 2001-01-30
const users: string[] = [];

afterAll(async () => {
  for (const userId of users) await db.delete(turnClaims).where(eq(turnClaims.userId, userId));
  await closeDeps(deps);
});

type Status = "running" | "done" | "failed";

async function seedClaim(
  userId: string,
  key: string,
  status: Status,
  times: { created: string; finished?: string; heartbeat?: string; attemptStarted?: string },
): Promise<void> {
  await db.insert(turnClaims).values({
    id: Bun.randomUUIDv7(),
    userId,
    sessionId: Bun.randomUUIDv7(),
    idempotencyKey: key,
    requestHash: "0".repeat(64),
    status,
    createdAt: new Date(times.created),
    heartbeatAt: new Date(times.heartbeat ?? times.created),
    attemptStartedAt: new Date(times.attemptStarted ?? times.created),
    finishedAt: times.finished ? new Date(times.finished) : null,
  });
}

async function claimsOf(userId: string) {
  const rows = await db
    .select({ key: turnClaims.idempotencyKey, status: turnClaims.status, reason: turnClaims.failureReason })
    .from(turnClaims)
    .where(eq(turnClaims.userId, userId));
  return rows.sort((a, b) => a.key.localeCompare(b.key));
}

describe("claim retention", () => {
  test("deletes only finished claims older than the cutoff, in batches, and leaves a running one", async () => {
    const userId = newUserId("retention");
    users.push(userId);
    for (let i = 0; i < 7; i++) {
      const day = String(i + 1).padStart(2, "0");
      await seedClaim(userId, `old-${i}`, i % 2 === 0 ? "done" : "failed", {
        created: `2001-01-${day}T10:00:00Z`,
        finished: `2001-01-${day}T10:00:05Z`,
      });
    }
    // Old, but re-run half a minute ago and heartbeating: a turn still running.
    await seedClaim(userId, "running", "running", {
      created: "2001-01-02T10:00:00Z",
      heartbeat: "2001-02-28T23:59:55Z",
      attemptStarted: "2001-02-28T23:59:30Z",
    });
    // Created before the cutoff but finished after it (a failed turn re-run later): kept.
    await seedClaim(userId, "rerun", "done", {
      created: "2001-01-03T10:00:00Z",
      finished: "2001-02-20T10:00:00Z",
    });
    await seedClaim(userId, "recent", "done", {
      created: "2001-02-25T10:00:00Z",
      finished: "2001-02-25T10:00:05Z",
    });

    const result = await runClaimRetention(deps, log, { now: NOW, batchSize: 3 });
    expect(result).toEqual({ cutoff: "2001-01-30T00:00:00.000Z", deleted: 7, batches: 3, reconciled: 0 });
    expect(await claimsOf(userId)).toEqual([
      { key: "recent", status: "done", reason: null },
      { key: "rerun", status: "done", reason: null },
      { key: "running", status: "running", reason: null },
    ]);

    // Idempotent: a second pass (a retry, a stalled job's re-run) finds nothing more.
    const again = await runClaimRetention(deps, log, { now: NOW, batchSize: 3 });
    expect(again.deleted).toBe(0);
    expect(await claimsOf(userId)).toHaveLength(3);
  });

  test("a claim whose producer stopped heartbeating is failed and kept, since it finished just now", async () => {
    const userId = newUserId("retention");
    users.push(userId);
    await seedClaim(userId, "stuck", "running", {
      created: "2001-02-28T20:00:00Z",
      heartbeat: "2001-02-28T20:00:10Z",
    });
    const result = await runClaimRetention(deps, log, { now: NOW });
    expect(result.reconciled).toBe(1);
    expect(await claimsOf(userId)).toEqual([{ key: "stuck", status: "failed", reason: "producer_lost" }]);
  });

  test("a claim still heartbeating long past the turn budget is hung: failed, while a young one stays", async () => {
    const userId = newUserId("retention");
    users.push(userId);
    // Default budget 60 s + 15 s of grace: started 2 min ago is hung, 30 s ago is a live turn.
    await seedClaim(userId, "hung", "running", {
      created: "2001-02-28T23:58:00Z",
      heartbeat: "2001-02-28T23:59:58Z",
    });
    await seedClaim(userId, "young", "running", {
      created: "2001-02-28T23:59:30Z",
      heartbeat: "2001-02-28T23:59:58Z",
    });
    const result = await runClaimRetention(deps, log, { now: NOW });
    expect(result.reconciled).toBe(1);
    expect(await claimsOf(userId)).toEqual([
      { key: "hung", status: "failed", reason: "producer_hung" },
      { key: "young", status: "running", reason: null },
    ]);
  });
});
