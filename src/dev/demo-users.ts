// The users the console can act as: the Hilo User DB's accounts (on a dev stack, the seeded demo users).
import type { RowDataPacket } from "mysql2/promise";
import type { UsersDbClient } from "../infra/users-db";

/** Enough for any dev stack; the console shows them as a picker. */
const DEMO_USERS_LIMIT = 100;

export interface DemoUser {
  user_id: string;
  first_name: string;
  timezone: string;
}

interface DemoUserRow extends RowDataPacket, DemoUser {}

/**
 * The seeded demo accounts (`demo-*`) first, then the QA user, then the others by id: a shared dev
 * database also holds thousands of test and benchmark users, which must not crowd the demo ones out.
 */
export async function listDemoUsers(usersDb: UsersDbClient, qaUserId: string): Promise<DemoUser[]> {
  const [rows] = await usersDb.pool.query<DemoUserRow[]>(
    `SELECT user_id, first_name, timezone FROM users
     ORDER BY user_id LIKE 'demo-%' DESC, user_id = ? DESC, user_id LIMIT ?`,
    [qaUserId, DEMO_USERS_LIMIT],
  );
  return rows.map((row) => ({ user_id: row.user_id, first_name: row.first_name, timezone: row.timezone }));
}
