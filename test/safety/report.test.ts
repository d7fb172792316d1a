// The daily report's safety section: counts per layer, category and action within a time range.
import { afterAll, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { safetyAudit } from "../../src/db/schema";
import { safetyCountsBetween } from "../../src/safety/report";
import { buildTestApp, newUserId } from "../support/stack";

const app = buildTestApp();
afterAll(() => app.close());

test("counts decisions per layer, category and action inside the range only", async () => {
  const db = app.deps.appDb.db;
  const userId = newUserId("report");
  // A range far in the past, so rows written by other tests never fall into it.
  const day = new Date("2001-02-03T00:00:00Z");
  const at = (hours: number) => new Date(day.getTime() + hours * 3_600_000);
  await db.insert(safetyAudit).values([
    { userId, layer: 1, category: "pii_phone", action: "redacted", createdAt: at(1) },
    { userId, layer: 1, category: "pii_phone", action: "redacted", createdAt: at(2) },
    { userId, layer: 1, category: "emergency_chest_pain", action: "crisis_reply", createdAt: at(3) },
    { userId, layer: 4, category: "V1", action: "rewritten", createdAt: at(4) },
    { userId, layer: 1, category: "pii_phone", action: "redacted", createdAt: at(25) },
  ]);
  const counts = await safetyCountsBetween(db, day, at(24)).finally(() =>
    db.delete(safetyAudit).where(eq(safetyAudit.userId, userId)),
  );
  expect(counts).toEqual([
    { layer: 1, category: "emergency_chest_pain", action: "crisis_reply", count: 1 },
    { layer: 1, category: "pii_phone", action: "redacted", count: 2 },
    { layer: 4, category: "V1", action: "rewritten", count: 1 },
  ]);
});
