// Layer 4 as one step after `done`: the judge's verdict, then, for `revise`, the one trusted rewrite.
// Fail-open throughout (seed §5): a judge that fails approves, a rewrite that fails or comes back
// empty leaves the answer as it was. Either way the decision is audited.
import type { Llm } from "../llm/client";
import type { Logger } from "../observability/logger";
import type { AuditEntry } from "./audit";
import { type JudgeRule, type JudgeVerdict, judgeAnswer, rewriteAnswer } from "./judge";

/** What a client is shown of the review, in order; the turn maps these onto its events. */
export type ReviewEvent =
  | { type: "verdict"; verdict: JudgeVerdict }
  | { type: "rewrite_start"; violations: JudgeRule[] }
  | { type: "rewrite_text"; text: string }
  | { type: "rewrite_done"; answer: string; replaced: boolean };

export interface ReviewInput {
  llm: Llm;
  judgeModel: string;
  /** The rewrite is written by the chat model, as the agent's own voice; only the verdict is the judge's. */
  rewriteModel: string;
  question: string;
  answer: string;
  toolResults: unknown[];
  judgeBudgetMs: number;
  rewriteBudgetMs: number;
  signal: AbortSignal;
  log: Logger;
  emit(event: ReviewEvent): Promise<void>;
}

export interface ReviewOutcome {
  /** The rewrite that replaces the answer, or null when the answer stands. */
  replacement: string | null;
  audit: AuditEntry[];
}

export async function reviewAnswer(input: ReviewInput): Promise<ReviewOutcome> {
  const judged = {
    llm: input.llm,
    question: input.question,
    answer: input.answer,
    toolResults: input.toolResults,
    signal: input.signal,
    log: input.log,
  };
  const verdict = await judgeAnswer({ ...judged, model: input.judgeModel, timeoutMs: input.judgeBudgetMs });
  await input.emit({ type: "verdict", verdict });
  const detail = { reason: verdict.reason, ...(verdict.evidenceShrunk ? { evidence_shrunk: true } : {}) };
  if (verdict.verdict === "approved") {
    const action = verdict.failedOpen ? "judge_failed_open" : "approved";
    return { replacement: null, audit: [{ layer: 4, category: "approved", action, detail }] };
  }

  await input.emit({ type: "rewrite_start", violations: verdict.violations });
  const rewrite = await rewriteAnswer({
    ...judged,
    model: input.rewriteModel,
    timeoutMs: input.rewriteBudgetMs,
    verdict,
    onText: (text) => input.emit({ type: "rewrite_text", text }),
  }).catch((error: unknown) => {
    input.log.warn("rewrite failed; the original answer stands", { error });
    return null;
  });
  const usable = rewrite?.trim() ? rewrite : null;
  const replacement = usable !== null && usable !== input.answer ? usable : null;
  await input.emit({
    type: "rewrite_done",
    answer: replacement ?? input.answer,
    replaced: replacement !== null,
  });
  const action = usable === null ? "rewrite_failed" : "rewritten";
  return {
    replacement,
    audit: verdict.violations.map((rule) => ({ layer: 4, category: rule, action, detail })),
  };
}
