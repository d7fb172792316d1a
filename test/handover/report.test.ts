// The daily report's handover count: rows created on one UTC day, by status, every status present.
import { afterAll, expect, test } from "bun:test";
import { inArray } from "drizzle-orm";
import { intercomHandovers } from "../../src/db/schema";
import { countHandoversForUtcDay } from "../../src/handover";
import { buildTestApp, newUserId } from "../support/stack";

const app = buildTestApp();
const db = app.deps.appDb.db;
const written: string[] = [];
afterAll(async () => {
  if (written.length > 0) await db.delete(intercomHandovers).where(inArray(intercomHandovers.id, written));
  await app.close();
});

/** A day no other run uses (rows of other tests are all "today"). */
function unusedDay(): string {
  const offsetDays = 30_000 + Math.floor(Math.random() * 300_000);
  return new Date(Date.UTC(2030, 0, 1) + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

async function handoverAt(at: string, status: "pending" | "accepted" | "failed"): Promise<void> {
  const id = Bun.randomUUIDv7();
  written.push(id);
  await db.insert(intercomHandovers).values({
    id,
    userId: newUserId("report"),
    sessionId: Bun.randomUUIDv7(),
    status,
    summary: "s",
    createdAt: new Date(at),
    updatedAt: new Date(at),
  });
}

test("handovers of one UTC day by status, the day's edges included and excluded exactly", async () => {
  const day = unusedDay();
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const before = new Date(Date.parse(`${day}T00:00:00Z`) - 1).toISOString();
  expect(await countHandoversForUtcDay(db, day)).toEqual({ pending: 0, accepted: 0, failed: 0 });
  await handoverAt(`${day}T00:00:00.000Z`, "accepted");
  await handoverAt(`${day}T12:00:00.000Z`, "accepted");
  await handoverAt(`${day}T23:59:59.999Z`, "failed");
  await handoverAt(before, "failed");
  await handoverAt(`${next}T00:00:00.000Z`, "pending");
  expect(await countHandoversForUtcDay(db, day)).toEqual({ pending: 0, accepted: 2, failed: 1 });
  expect(await countHandoversForUtcDay(db, next)).toEqual({ pending: 1, accepted: 0, failed: 0 });
  await expect(countHandoversForUtcDay(db, "not-a-day")).rejects.toThrow("not a UTC day");
});
