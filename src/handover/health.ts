// Intercom in /health: optional, so it is reported beside the dependencies and never counts toward
// `degraded` (an Intercom outage costs a handover, never the service). Probed at most every
// INTERCOM_PROBE_TTL_MS with an authenticated GET /me (the token's admin), so /health traffic does
// not spend Intercom's rate limit.
import type { Config } from "../config";
import { INTERCOM_API_VERSION, intercomSettings } from "./intercom-api";

export const INTERCOM_PROBE_TTL_MS = 30_000;

/** `ok`: Intercom answered with our token; `failing`: it did not (down, slow, or the token refused). */
export type IntercomHealth = "ok" | "failing";

/** A probe of Intercom for /health, or null when Intercom is not configured. */
export function createIntercomProbe(config: Config): (() => Promise<IntercomHealth>) | null {
  const intercom = intercomSettings(config);
  if (!intercom) return null;
  const timeoutMs = config.HILO_HEALTH_CHECK_TIMEOUT_MS;
  let last: { state: IntercomHealth; at: number } | undefined;
  return async () => {
    if (last && performance.now() - last.at < INTERCOM_PROBE_TTL_MS) return last.state;
    let state: IntercomHealth;
    try {
      const response = await fetch(`${intercom.baseUrl}/me`, {
        headers: {
          authorization: `Bearer ${intercom.accessToken}`,
          "intercom-version": INTERCOM_API_VERSION,
          accept: "application/json",
        },
        signal: AbortSignal.timeout(timeoutMs),
        redirect: "error",
      });
      await response.body?.cancel();
      state = response.ok ? "ok" : "failing";
    } catch {
      state = "failing";
    }
    last = { state, at: performance.now() };
    return state;
  };
}
