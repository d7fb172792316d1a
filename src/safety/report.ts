// Counts of safety decisions per layer, category and action over a time range: what the daily
// report reads. The audit table holds no text, so neither does this.
import { and, count, gte, lt } from "drizzle-orm";
import { safetyAudit } from "../db/schema";
import type { AppDb } from "../infra/app-db";

export interface SafetyCount {
  layer: number;
  category: string;
  action: string;
  count: number;
}

export async function safetyCountsBetween(db: AppDb, from: Date, to: Date): Promise<SafetyCount[]> {
  const rows = await db
    .select({
      layer: safetyAudit.layer,
      category: safetyAudit.category,
      action: safetyAudit.action,
      count: count(),
    })
    .from(safetyAudit)
    .where(and(gte(safetyAudit.createdAt, from), lt(safetyAudit.createdAt, to)))
    .groupBy(safetyAudit.layer, safetyAudit.category, safetyAudit.action)
    .orderBy(safetyAudit.layer, safetyAudit.category, safetyAudit.action);
  return rows.map((row) => ({ ...row, count: Number(row.count) }));
}
