// Validation of the five headers every /v1 request carries; pure so it can be tested by table.
import { timingSafeEqual } from "node:crypto";
import { isIanaTimeZone } from "../readings/local-day";
import { invalidHeader, unauthorized } from "./errors";

export const PLATFORMS = ["ios", "android", "web"] as const;
export type Platform = (typeof PLATFORMS)[number];

export interface ClientContext {
  userId: string;
  timezone: string;
  platform: Platform;
  appVersion: string;
}

const USER_ID = /^[A-Za-z0-9_.-]{1,64}$/;
/** The Idempotency-Key header of a send: 8-128 visible ASCII characters, compared exactly. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,128}$/;
const APP_VERSION = /^\d{1,4}\.\d{1,4}(\.\d{1,6})?([-+][0-9A-Za-z.-]{1,40})?$/;

export function apiKeyMatches(presented: string | undefined | null, expected: string): boolean {
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  // Compare equal-length buffers so the time taken does not reveal how much of the key matched.
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}

type HeaderLookup = (name: string) => string | null | undefined;

/** Throws the ApiError a client should see, or returns the trusted context. */
export function readClientContext(header: HeaderLookup, apiKey: string): ClientContext {
  if (!apiKeyMatches(header("x-api-key"), apiKey)) throw unauthorized();

  const userId = header("x-user-id");
  if (!userId) throw invalidHeader("X-User-ID", "is required");
  if (!USER_ID.test(userId)) throw invalidHeader("X-User-ID", "must be 1-64 characters of A-Z a-z 0-9 _ . -");

  const timezone = header("x-timezone");
  if (!timezone) throw invalidHeader("X-Timezone", "is required");
  if (!isIanaTimeZone(timezone))
    throw invalidHeader("X-Timezone", "must be an IANA time zone such as Europe/London");

  const platform = header("x-platform")?.toLowerCase();
  if (!platform) throw invalidHeader("X-Platform", "is required");
  if (!(PLATFORMS as readonly string[]).includes(platform)) {
    throw invalidHeader("X-Platform", `must be one of ${PLATFORMS.join(", ")}`);
  }

  const appVersion = header("x-app-version");
  if (!appVersion) throw invalidHeader("X-App-Version", "is required");
  if (!APP_VERSION.test(appVersion)) throw invalidHeader("X-App-Version", "must look like 4.12.0");

  return { userId, timezone, platform: platform as Platform, appVersion };
}
