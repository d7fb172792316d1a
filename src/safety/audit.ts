// The audit-row shape: one row per safety decision, holding the layer, the category, what was done
// and why, never any text of the message or the answer. `recordSafetyAudit` (audit-log.ts) is the
// one writer; counts per category feed the daily report.

import type { Layer1Outcome, Layer1Verdict } from "./layer1";
import type { Layer3Verdict } from "./layer3";

export type SafetyLayer = 1 | 3 | 4;

export type AuditAction =
  /** Layer 1: crisis guidance given instead of a model answer. */
  | "crisis_reply"
  /** Layer 1: medical-advice request declined without a model call. */
  | "declined"
  /** Layer 1: injection attempt answered neutrally without a model call. */
  | "blocked"
  /** Layer 1: personal information replaced in place; the turn continued. */
  | "redacted"
  /** Layer 3: a soft correction appended to the streamed reply. */
  | "correction_appended"
  /** Layer 4: the judge asked for a revision and the one trusted rewrite replaced the answer. */
  | "rewritten"
  /** Layer 4: the judge asked for a revision but the rewrite failed or came back empty; the answer stands. */
  | "rewrite_failed"
  /** Layer 4: the judge approved the answer. */
  | "approved"
  /** Layer 4: the judge failed (error, timeout, malformed verdict); the answer counts as approved. */
  | "judge_failed_open"
  /** Layer 1's model guard failed or was late; the turn went on without it. */
  | "guard_failed_open";

/** Why a decision was taken, in words and rule ids only: never text of the message or the answer. */
export interface AuditDetail {
  /** Layer 4: the judge's one-sentence reason, or why it failed open. */
  reason?: string;
  /** Layer 4: the tool data given to the judge was shrunk to fit its cap. */
  evidence_shrunk?: boolean;
  /** Layer 1: the decision is the model guard's, not the rules'. */
  source?: "model";
  /** Layer 1: the language the reply was given in. */
  language?: string;
}

export interface AuditEntry {
  layer: SafetyLayer;
  category: string;
  action: AuditAction;
  detail?: AuditDetail;
}

const LAYER1_ACTION: Record<Exclude<Layer1Outcome, "pass">, AuditAction> = {
  emergency: "crisis_reply",
  injection: "blocked",
  medical_advice: "declined",
};

/** The rows a verdict produces: none for a clean pass. */
export function auditEntriesFor(verdict: Layer1Verdict | Layer3Verdict): AuditEntry[] {
  if (verdict.layer === 3) {
    return verdict.categories.map((category) => ({ layer: 3, category, action: "correction_appended" }));
  }
  const outcome = verdict.verdict;
  return verdict.categories.map((category) => ({
    layer: 1,
    category,
    action: category.startsWith("pii_") || outcome === "pass" ? "redacted" : LAYER1_ACTION[outcome],
  }));
}
