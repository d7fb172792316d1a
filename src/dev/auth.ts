// The dev console's sign-in: username and password checked against argon2id hashes, answered with a
// short-lived HS256 JWT (jose) that every other /dev route requires as `Authorization: Bearer`.
// Only ever built outside production (src/app.ts registers the dev routes nowhere else).
import { randomBytes } from "node:crypto";
import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import { AppError } from "../errors";
import type { AppDb } from "../infra/app-db";
import type { Logger } from "../observability/logger";
import type { LoginLimits } from "./login-limits";
import { DEV_USERNAME, findDevUserHash } from "./users";

/** Long enough for a QA session at the console, short enough that a leaked token soon expires. */
export const DEV_TOKEN_TTL_SECONDS = 30 * 60;
const ISSUER = "hilo-dev";
const AUDIENCE = "hilo-console";

export interface DevSession {
  username: string;
  expiresAt: Date;
}

export interface DevToken extends DevSession {
  token: string;
}

export interface DevAuth {
  /** Throws `unauthorized` for a wrong username or password (one message for both) and `rate_limited`. */
  login(input: { username: string; password: string; address: string }): Promise<DevToken>;
  /** The session an `Authorization` header carries; throws `unauthorized` for anything else. */
  verify(authorization: string | null): Promise<DevSession>;
}

export function createDevAuth(options: {
  db: AppDb;
  limits: LoginLimits;
  secret: string | undefined;
  log: Logger;
  now?: () => Date;
}): DevAuth {
  const { db, limits, log } = options;
  const now = options.now ?? (() => new Date());
  if (options.secret === undefined) {
    log.warn("HILO_DEV_JWT_SECRET is unset: dev console tokens are signed with a key of this process only");
  }
  const key = options.secret === undefined ? randomBytes(32) : new TextEncoder().encode(options.secret);
  // Compared against when the username does not exist, so a wrong username costs the same argon2id
  // verification as a wrong password and timing does not tell which accounts exist.
  const decoy = Bun.password.hash(randomBytes(16).toString("hex"), { algorithm: "argon2id" });

  return {
    login: async ({ username, password, address }) => {
      await limits.admit(address, username);
      const hash = DEV_USERNAME.test(username) ? await findDevUserHash(db, username) : null;
      const matches = await Bun.password.verify(password, hash ?? (await decoy));
      if (hash === null || !matches) {
        await limits.failed(username);
        throw new AppError("unauthorized", "wrong username or password");
      }
      const issuedAt = now();
      const expiresAt = new Date(issuedAt.getTime() + DEV_TOKEN_TTL_SECONDS * 1000);
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setSubject(username)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(Math.floor(issuedAt.getTime() / 1000))
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(key);
      log.info("dev console login", { username });
      return { token, username, expiresAt };
    },
    verify: async (authorization) => {
      const match = /^Bearer ([A-Za-z0-9_.-]{1,4096})$/.exec(authorization?.trim() ?? "");
      if (!match?.[1])
        throw new AppError("unauthorized", "missing dev console token (Authorization: Bearer …)");
      try {
        const { payload } = await jwtVerify(match[1], key, {
          algorithms: ["HS256"],
          issuer: ISSUER,
          audience: AUDIENCE,
          currentDate: now(),
          requiredClaims: ["sub", "exp"],
        });
        return { username: String(payload.sub), expiresAt: new Date(Number(payload.exp) * 1000) };
      } catch (error) {
        if (error instanceof joseErrors.JOSEError) {
          const why = error instanceof joseErrors.JWTExpired ? "expired" : "invalid";
          throw new AppError("unauthorized", `dev console token ${why}; sign in again`);
        }
        throw error;
      }
    },
  };
}
