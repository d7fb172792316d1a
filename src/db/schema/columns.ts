// Column shapes shared by every table, so ids and timestamps mean the same thing everywhere.
import { customType, datetime } from "drizzle-orm/mysql-core";

/**
 * Opaque identifiers (our ids, the platform's user and watch ids, idempotency keys, Intercom ids)
 * compare byte for byte. The database's default collation ignores case and trailing spaces, which
 * made `DEMO-ALICE` read demo-alice's rows and two distinct idempotency keys one claim.
 */
export const exactText = customType<{ data: string; config: { length: number }; configRequired: true }>({
  dataType: ({ length }) => `varchar(${length}) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
});

/** UUIDv7 text ids: time-ordered, so they double as stable tie-breakers in cursors. */
export const id = (name = "id") => exactText(name, { length: 36 });
/** User and watch ids reference the external Hilo User DB: plain indexed strings, never FKs. */
export const userId = () => exactText("user_id", { length: 64 }).notNull();
/** All times are stored in UTC with millisecond precision. */
export const utc = (name: string) => datetime(name, { mode: "date", fsp: 3 });
