// Column shapes shared by every table, so ids and timestamps mean the same thing everywhere.
import { datetime, varchar } from "drizzle-orm/mysql-core";

/** UUIDv7 text ids: time-ordered, so they double as stable tie-breakers in cursors. */
export const id = (name = "id") => varchar(name, { length: 36 });
/** User and watch ids reference the external Hilo User DB: plain indexed strings, never FKs. */
export const userId = () => varchar("user_id", { length: 64 }).notNull();
/** All times are stored in UTC with millisecond precision. */
export const utc = (name: string) => datetime(name, { mode: "date", fsp: 3 });
