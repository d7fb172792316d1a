// Opaque pagination cursors: (timestamp, id) of the last row of a page, base64url-encoded JSON.
// Ordering by (time desc, id desc) is stable even when rows share a millisecond.
import { and, eq, lt, or, type SQL } from "drizzle-orm";
import type { MySqlColumn } from "drizzle-orm/mysql-core";
import { z } from "zod";
import { invalidRequest } from "../errors";
import { isEntityId } from "./ids";

export interface Cursor {
  at: Date;
  id: string;
}

/** The last millisecond MySQL's DATETIME(3) holds (9999-12-31 23:59:59.999 UTC); every row is within. */
const LAST_DATETIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

// Only what a row of ours can produce: a time MySQL can store (a later one would be an Invalid Date
// inside the driver, a 500) and one of our ids.
const cursorShape = z.object({
  t: z.number().int().min(0).max(LAST_DATETIME_MS),
  id: z.string().refine(isEntityId),
});

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify({ t: cursor.at.getTime(), id: cursor.id })).toString("base64url");
}

/** Null when the string is not a cursor this service issued. */
export function decodeCursor(value: string): Cursor | null {
  if (value.length > 200) return null;
  try {
    const parsed = cursorShape.safeParse(JSON.parse(Buffer.from(value, "base64url").toString("utf8")));
    return parsed.success ? { at: new Date(parsed.data.t), id: parsed.data.id } : null;
  } catch {
    return null;
  }
}

/** A `cursor` query parameter: null when absent, the decoded cursor, or `invalid_request`. */
export function cursorParam(value: string | undefined): Cursor | null {
  if (value === undefined) return null;
  const cursor = decodeCursor(value);
  if (!cursor) throw invalidRequest("cursor is not a cursor this API issued");
  return cursor;
}

/** Rows strictly after the cursor in (time desc, id desc) order: the keyset condition of every list. */
export function beforeCursor(time: MySqlColumn, id: MySqlColumn, cursor: Cursor | null): SQL | undefined {
  if (!cursor) return undefined;
  return or(lt(time, cursor.at), and(eq(time, cursor.at), lt(id, cursor.id)));
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Cuts a `limit + 1` query result to a page; the extra row only says whether another page exists. */
export function toPage<T>(rows: T[], limit: number, cursorOf: (row: T) => Cursor): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(cursorOf(last)) : null };
}
