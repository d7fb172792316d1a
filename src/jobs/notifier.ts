// Where alerts go: every alert is logged, and when HILO_ALERT_WEBHOOK_URL is set it is also POSTed as
// `{"text": …}` (a Slack-compatible incoming webhook). Fail-open: a webhook that is down, slow or
// answers an error is logged and given up on after its retries; `notify` never throws, and it returns
// within (1 + ALERT_RETRIES) × ALERT_TIMEOUT_MS + the retry pauses at the latest.
import type { Logger } from "../observability/logger";

/** A Slack webhook answers in well under a second; 3 s rides out a slow one without holding alerts up. */
export const ALERT_TIMEOUT_MS = 3_000;
/** Two more tries after the first: one network blip or a 5xx from the chat service is not a lost alert. */
export const ALERT_RETRIES = 2;
/** Pause before a retry: long enough for a transient failure to pass, short beside the monitor's minute. */
export const ALERT_RETRY_PAUSE_MS = 1_000;

export interface Notifier {
  /** Logs the alert and delivers it if a webhook is configured. Never throws. */
  notify(text: string): Promise<void>;
}

export interface WebhookOptions {
  timeoutMs?: number;
  retries?: number;
  retryPauseMs?: number;
}

/** Alerts only logged: what a process without HILO_ALERT_WEBHOOK_URL gets. */
export function logOnlyNotifier(log: Logger): Notifier {
  return {
    notify: async (text) => {
      log.warn("alert", { text, delivered: false });
    },
  };
}

export function webhookNotifier(url: string, log: Logger, options: WebhookOptions = {}): Notifier {
  const timeoutMs = options.timeoutMs ?? ALERT_TIMEOUT_MS;
  const retries = options.retries ?? ALERT_RETRIES;
  const retryPauseMs = options.retryPauseMs ?? ALERT_RETRY_PAUSE_MS;
  return {
    notify: async (text) => {
      log.warn("alert", { text });
      for (let attempt = 1; attempt <= retries + 1; attempt++) {
        try {
          const response = await fetch(url, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ text }),
            signal: AbortSignal.timeout(timeoutMs),
          });
          // The body is not needed, but reading it frees the connection.
          await response.body?.cancel();
          if (response.ok) return;
          log.warn("alert webhook refused", { status: response.status, attempt });
        } catch (error) {
          log.warn("alert webhook failed", { error, attempt });
        }
        if (attempt <= retries) await Bun.sleep(retryPauseMs);
      }
      // Handled: the alert is in the log above; a monitor must not fail because its channel did.
      log.error("alert not delivered", { text, attempts: retries + 1 });
    },
  };
}

export function createNotifier(url: string | undefined, log: Logger, options?: WebhookOptions): Notifier {
  return url ? webhookNotifier(url, log, options) : logOnlyNotifier(log);
}
