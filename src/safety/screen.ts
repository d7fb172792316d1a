// Layer 1 as the turn's first step: the message as it may be stored and sent on (personal
// information redacted), the canned reply that replaces the model when Layer 1 caught something,
// and the audit rows of the decision.
import { type AuditEntry, auditEntriesFor } from "./audit";
import { screenUserMessage } from "./layer1";

export interface Screening {
  /** The message with personal information redacted: the only text stored or sent anywhere. */
  text: string;
  /** Crisis guidance, the medical-advice decline or the injection reply; null when the agent answers. */
  cannedReply: string | null;
  audit: AuditEntry[];
}

export function screenMessage(text: string, options: { timezone: string }): Screening {
  const verdict = screenUserMessage(text, options);
  return {
    text: verdict.redacted,
    cannedReply: verdict.verdict === "pass" ? null : (verdict.reply ?? null),
    audit: auditEntriesFor(verdict),
  };
}

/**
 * Builds Layer 1's lazily prepared rule gates now, off the request path: the api calls it right
 * after it listens, so neither start-up nor the first user's message pays for them.
 */
export function warmUpScreening(): void {
  screenMessage("How were my readings this week?", { timezone: "UTC" });
}
