// The dev console's accounts: usernames with argon2id password hashes (Bun.password), in App MySQL.
// Created by the dev seed (scripts/seed/dev-users.ts); there is no route that creates one.
import { eq, sql } from "drizzle-orm";
import { devUsers } from "../db/schema";
import type { AppDb } from "../infra/app-db";

export const DEV_USERNAME = /^[A-Za-z0-9_.-]{1,64}$/;

export async function findDevUserHash(db: AppDb, username: string): Promise<string | null> {
  const [row] = await db
    .select({ passwordHash: devUsers.passwordHash })
    .from(devUsers)
    .where(eq(devUsers.username, username));
  return row?.passwordHash ?? null;
}

/** Creates the account, or sets a new password on an existing one. */
export async function upsertDevUser(db: AppDb, username: string, password: string): Promise<void> {
  if (!DEV_USERNAME.test(username)) throw new Error(`invalid dev username '${username}'`);
  const passwordHash = await Bun.password.hash(password, { algorithm: "argon2id" });
  await db
    .insert(devUsers)
    .values({ username, passwordHash })
    .onDuplicateKeyUpdate({ set: { passwordHash, updatedAt: sql`CURRENT_TIMESTAMP(3)` } });
}
