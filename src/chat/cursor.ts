// Opaque pagination cursors: (timestamp, id) of the last row of a page, base64url-encoded JSON.
// Ordering by (time desc, id desc) is stable even when rows share a millisecond.
import { z } from "zod";

export interface Cursor {
  at: Date;
  id: string;
}

const cursorShape = z.object({ t: z.number().int().nonnegative(), id: z.string().min(1).max(36) });

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
