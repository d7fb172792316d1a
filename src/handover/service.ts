// The handover verbs the app reads through: transport-free, every query scoped by the acting user.
import type { Cursor, Page } from "../db/cursor";
import type { AppDb } from "../infra/app-db";
import { type HandoverSummary, listHandovers } from "./store";

export function listUserHandovers({
  ctx,
  input,
}: {
  ctx: { db: AppDb; userId: string };
  input: { limit: number; cursor: Cursor | null };
}): Promise<Page<HandoverSummary>> {
  return listHandovers(ctx.db, ctx.userId, input.limit, input.cursor);
}
