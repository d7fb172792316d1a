// Reads a user's profile from the Hilo User DB. That database belongs to the wider Hilo platform:
// raw SQL against its fixed `users` table, read-only, never modelled as one of our tables.
import type { RowDataPacket } from "mysql2/promise";
import { notFound } from "../errors";
import type { UsersDbClient } from "../infra/users-db";

export interface BpTargetBand {
  systolic: { min: number; max: number };
  diastolic: { min: number; max: number };
}

export interface UserProfile {
  userId: string;
  watchId: string;
  firstName: string;
  timezone: string;
  target: BpTargetBand;
}

interface UserRow extends RowDataPacket {
  user_id: string;
  watch_id: string;
  first_name: string;
  timezone: string;
  target_systolic_min: number;
  target_systolic_max: number;
  target_diastolic_min: number;
  target_diastolic_max: number;
}

// The platform's table compares user_id ignoring case, and it is not ours to change: the query
// finds the candidates through its index and the code keeps only the exact id, so `U-abc` never
// reads the profile (and through it the watch data) of `u-abc`. A handful of rows at most.
const SELECT_PROFILE = `SELECT user_id, watch_id, first_name, timezone,
  target_systolic_min, target_systolic_max, target_diastolic_min, target_diastolic_max
  FROM users WHERE user_id = ? LIMIT 16`;

export async function readUserProfile(usersDb: UsersDbClient, userId: string): Promise<UserProfile | null> {
  const [rows] = await usersDb.pool.query<UserRow[]>(SELECT_PROFILE, [userId]);
  const row = rows.find((candidate) => candidate.user_id === userId);
  if (!row) return null;
  return {
    userId: row.user_id,
    watchId: row.watch_id,
    firstName: row.first_name,
    timezone: row.timezone,
    target: {
      systolic: { min: row.target_systolic_min, max: row.target_systolic_max },
      diastolic: { min: row.target_diastolic_min, max: row.target_diastolic_max },
    },
  };
}

/** The acting user's profile; a user the platform does not know is not found. */
export async function findProfile({
  ctx,
}: {
  ctx: { usersDb: UsersDbClient; userId: string };
}): Promise<UserProfile> {
  const profile = await readUserProfile(ctx.usersDb, ctx.userId);
  if (!profile) throw notFound("user profile");
  return profile;
}
