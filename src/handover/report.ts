// Handovers for the daily report: how many were created on a UTC day, by their status now.
import { and, count, gte, lt } from "drizzle-orm";
import { intercomHandovers } from "../db/schema";
import type { AppDb } from "../infra/app-db";
import { HANDOVER_STATUSES, type HandoverStatus } from "./store";

const DAY_MS = 24 * 60 * 60 * 1_000;

/**
 * Handovers created on `day` (YYYY-MM-DD, UTC), by current status; every status is present (0 when
 * none), so a day without handovers still reads "pending 0, accepted 0, failed 0". A row still
 * `pending` the next morning is one whose process died mid-call.
 */
export async function countHandoversForUtcDay(
  db: AppDb,
  day: string,
): Promise<Record<HandoverStatus, number>> {
  const from = new Date(`${day}T00:00:00.000Z`);
  if (Number.isNaN(from.getTime())) throw new Error(`not a UTC day: ${day}`);
  const to = new Date(from.getTime() + DAY_MS);
  const rows = await db
    .select({ status: intercomHandovers.status, n: count() })
    .from(intercomHandovers)
    .where(and(gte(intercomHandovers.createdAt, from), lt(intercomHandovers.createdAt, to)))
    .groupBy(intercomHandovers.status);
  const counts = Object.fromEntries(HANDOVER_STATUSES.map((status) => [status, 0])) as Record<
    HandoverStatus,
    number
  >;
  for (const row of rows) counts[row.status] = Number(row.n);
  return counts;
}
