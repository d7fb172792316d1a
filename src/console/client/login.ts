// Signing in through the dev-only login (POST /dev/login). The token lives in sessionStorage: it
// survives a reload of the tab, not the tab itself, and it is short-lived anyway.
import { type ConsoleSession, errorOf } from "./http";

const STORAGE_KEY = "hilo-console-session";

interface LoginAnswer {
  token?: unknown;
  expires_at?: unknown;
}

export async function signIn(username: string, password: string): Promise<ConsoleSession> {
  const response = await fetch("/dev/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw await errorOf(response);
  const answer = (await response.json()) as LoginAnswer;
  if (typeof answer.token !== "string") throw new Error("the login answered without a token");
  const expiresAt = typeof answer.expires_at === "string" ? Date.parse(answer.expires_at) : Number.NaN;
  const session = { token: answer.token, username, expiresAt: Number.isNaN(expiresAt) ? null : expiresAt };
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  return session;
}

/** The session of an earlier sign-in in this tab, unless it has expired. */
export function storedSession(): ConsoleSession | null {
  const raw = sessionStorage.getItem(STORAGE_KEY);
  if (!raw) return null;
  try {
    const session = JSON.parse(raw) as ConsoleSession;
    if (typeof session.token !== "string" || typeof session.username !== "string") return null;
    if (session.expiresAt !== null && session.expiresAt <= Date.now()) return null;
    return session;
  } catch {
    // Unreadable (written by another version of the page): treated as signed out.
    return null;
  }
}

export function signOut(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
