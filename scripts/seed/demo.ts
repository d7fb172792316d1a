/**
 * Seeds the demo users (MySQL `hilo_users`) and their watch data (MongoDB) for dev and tests.
 * Idempotent: re-running upserts by the unique keys; already generated days keep their values.
 *
 *   HILO_USERS_DB_URL=mysql://root@127.0.0.1:3306/hilo_users MONGO_URL=mongodb://127.0.0.1:27017/hilo \
 *     bun scripts/seed/demo.ts
 */
import { join } from "node:path";
import { type AnyBulkWriteOperation, MongoClient } from "mongodb";
import mysql from "mysql2/promise";
import {
  type BpReading,
  bpReadingsCollection,
  ensureReadingsIndexes,
  type WatchDaily,
  watchDailyCollection,
} from "../../src/readings/documents";
import { localDay } from "../../src/readings/local-day";
import { DEMO_USERS } from "./demo-users";
import { generateWatchData } from "./watch-data";

const USERS_DATABASE = "hilo_users";
const BATCH_SIZE = 1000;

export interface SeedDemoOptions {
  /** mysql:// URL of the user database server; a database in the path must be `hilo_users`. */
  usersDbUrl: string;
  /** mongodb:// URL; the database comes from its path. */
  mongoUrl: string;
  /** Local days of watch data per user, ending today in the user's time zone. */
  days?: number;
  /** "Now": the last day is today in each user's zone and no reading is later than this. */
  now?: Date;
}

export interface SeedCounts {
  users: number;
  daily: number;
  readings: number;
}

/** Creates the `hilo_users` schema if needed and upserts the demo users; returns the number of users. */
export async function seedUsersDb(usersDbUrl: string): Promise<number> {
  const url = new URL(usersDbUrl);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (database !== "" && database !== USERS_DATABASE) {
    throw new Error(
      `HILO_USERS_DB_URL names database "${database}", but the user schema is "${USERS_DATABASE}"`,
    );
  }
  // Connect without a default database: it may not exist until the DDL has run.
  url.pathname = "/";
  const ddl = await Bun.file(join(import.meta.dir, "hilo-users.sql")).text();
  const connection = await mysql.createConnection({ uri: url.toString(), multipleStatements: true });
  try {
    await connection.query(ddl);
    for (const user of DEMO_USERS) {
      const band = user.targetBand;
      await connection.query(
        `INSERT INTO ${USERS_DATABASE}.users
           (user_id, watch_id, first_name, timezone,
            target_systolic_min, target_systolic_max, target_diastolic_min, target_diastolic_max)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON DUPLICATE KEY UPDATE
           watch_id = VALUES(watch_id), first_name = VALUES(first_name), timezone = VALUES(timezone),
           target_systolic_min = VALUES(target_systolic_min), target_systolic_max = VALUES(target_systolic_max),
           target_diastolic_min = VALUES(target_diastolic_min), target_diastolic_max = VALUES(target_diastolic_max)`,
        [
          user.userId,
          user.watchId,
          user.firstName,
          user.timezone,
          band.systolicMin,
          band.systolicMax,
          band.diastolicMin,
          band.diastolicMax,
        ],
      );
    }
  } finally {
    await connection.end();
  }
  return DEMO_USERS.length;
}

function* batches<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) {
    yield items.slice(i, i + size);
  }
}

/** Creates the unique indexes and upserts the demo users' watch data; returns the documents written. */
export async function seedWatchData(
  mongoUrl: string,
  { days = 120, now = new Date() }: { days?: number; now?: Date } = {},
): Promise<{ daily: number; readings: number }> {
  const client = new MongoClient(mongoUrl);
  try {
    await client.connect();
    const db = client.db();
    const dailyCollection = watchDailyCollection(db);
    const readingCollection = bpReadingsCollection(db);
    await ensureReadingsIndexes(db);

    const counts = { daily: 0, readings: 0 };
    for (const user of DEMO_USERS) {
      const { daily, readings } = generateWatchData({
        watchId: user.watchId,
        timeZone: user.timezone,
        days,
        endDay: localDay(now, user.timezone),
        profile: user.profile,
        targetBand: user.targetBand,
        notAfter: now,
      });
      for (const batch of batches(daily, BATCH_SIZE)) {
        const operations: AnyBulkWriteOperation<WatchDaily>[] = batch.map((doc) => ({
          updateOne: {
            filter: { watch_id: doc.watch_id, day: doc.day },
            update: { $set: doc },
            upsert: true,
          },
        }));
        await dailyCollection.bulkWrite(operations, { ordered: false });
      }
      for (const batch of batches(readings, BATCH_SIZE)) {
        const operations: AnyBulkWriteOperation<BpReading>[] = batch.map((doc) => ({
          updateOne: { filter: { watch_id: doc.watch_id, at: doc.at }, update: { $set: doc }, upsert: true },
        }));
        await readingCollection.bulkWrite(operations, { ordered: false });
      }
      counts.daily += daily.length;
      counts.readings += readings.length;
    }
    return counts;
  } finally {
    await client.close();
  }
}

/** Seeds both databases with the demo users and `days` days of their watch data. */
export async function seedDemo({
  usersDbUrl,
  mongoUrl,
  days = 120,
  now = new Date(),
}: SeedDemoOptions): Promise<SeedCounts> {
  const users = await seedUsersDb(usersDbUrl);
  const { daily, readings } = await seedWatchData(mongoUrl, { days, now });
  return { users, daily, readings };
}

if (import.meta.main) {
  const usersDbUrl = process.env.HILO_USERS_DB_URL;
  const mongoUrl = process.env.MONGO_URL;
  if (!usersDbUrl || !mongoUrl) {
    console.error("Set HILO_USERS_DB_URL (mysql://…) and MONGO_URL (mongodb://…) to seed the demo data.");
    process.exit(2);
  }
  try {
    const counts = await seedDemo({ usersDbUrl, mongoUrl });
    console.log(
      `Seeded ${counts.users} users, ${counts.daily} daily docs and ${counts.readings} readings (idempotent).`,
    );
  } catch (error) {
    console.error("Demo seed failed:", error);
    process.exit(1);
  }
}
