// The QA runs panel: upload a CSV of questions (POST /dev/qa-runs), then follow the run
// (GET /dev/qa-runs/:id) with a progress bar and a results table until every question is finished, and
// download the results (GET /dev/qa-runs/:id.csv).
import { button, el, formatTime, preview, replaceChildren, required, setAlert } from "./dom";
import { ApiError, type ConsoleApi, describeError, errorOf, expectOk } from "./http";

/** The `qa` part of GET /dev/session. */
export interface QaLimits {
  user_id: string;
  max_questions: number;
  max_question_chars: number;
  tools: string[];
}

/** A run as GET /dev/qa-runs lists it (src/dev/routes.ts, RunSummary; only what the page shows). */
interface QaRunSummary {
  run_id: string;
  status: string;
  filename: string | null;
  requested_by: string | null;
  error: string | null;
  created_at: string;
  progress: { total: number; pending: number; done: number; failed: number };
}

/** GET /dev/qa-runs/:id. */
interface QaRunReport extends QaRunSummary {
  latency_ms: { p50: number; p95: number; max: number } | null;
  results: QaResult[];
}

interface QaResult {
  position: number;
  id: string;
  question: string;
  expected_tools: string[] | null;
  status: string;
  answer: string | null;
  tools_called: string[] | null;
  tools_match: boolean | null;
  safety_hits: { layer: number; category: string; action: string }[] | null;
  verdict: string | null;
  latency_ms: number | null;
  error: string | null;
}

const POLL_MS = 1_000;
const RECENT_RUNS = 10;
const COLUMNS = [
  "#",
  "id",
  "question",
  "status",
  "answer",
  "tools called",
  "expected",
  "safety",
  "verdict",
  "ms",
  "error",
];

export class QaView {
  private readonly form: HTMLFormElement;
  private readonly file: HTMLInputElement;
  private readonly pasted: HTMLTextAreaElement;
  private readonly start: HTMLButtonElement;
  private readonly error: HTMLElement;
  private readonly run: HTMLElement;
  private readonly runId: HTMLElement;
  private readonly status: HTMLElement;
  private readonly progress: HTMLProgressElement;
  private readonly progressText: HTMLElement;
  private readonly table: HTMLTableElement;
  private readonly recent: HTMLUListElement;
  private readonly limits: HTMLElement;
  private polling: ReturnType<typeof setTimeout> | null = null;
  private currentRun: string | null = null;

  constructor(
    root: HTMLElement,
    private readonly api: ConsoleApi,
  ) {
    this.form = required(root, "qa-form", HTMLFormElement);
    this.file = required(root, "qa-file", HTMLInputElement);
    this.pasted = required(root, "qa-csv", HTMLTextAreaElement);
    this.start = required(root, "qa-start", HTMLButtonElement);
    this.error = required(root, "qa-error", HTMLElement);
    this.run = required(root, "qa-run", HTMLElement);
    this.runId = required(root, "qa-run-id", HTMLElement);
    this.status = required(root, "qa-status", HTMLElement);
    this.progress = required(root, "qa-progress", HTMLProgressElement);
    this.progressText = required(root, "qa-progress-text", HTMLElement);
    this.table = required(root, "qa-results", HTMLTableElement);
    this.recent = required(root, "qa-recent-list", HTMLUListElement);
    this.limits = required(root, "qa-limits", HTMLElement);
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.submit();
    });
    required(root, "qa-download", HTMLButtonElement).addEventListener("click", () => void this.download());
    replaceChildren(
      this.table.tHead ?? this.table.createTHead(),
      el("tr", {}, ...COLUMNS.map((name) => el("th", { scope: "col" }, name))),
    );
  }

  describeLimits(limits: QaLimits): void {
    this.limits.textContent =
      `Runs as ${limits.user_id}; up to ${limits.max_questions.toLocaleString()} questions of at most ` +
      `${limits.max_question_chars.toLocaleString()} characters. expected_tools names tools separated by ";": ` +
      `${limits.tools.join(", ")}.`;
  }

  /** The newest runs (GET /dev/qa-runs), each one click from its progress and results. */
  async load(): Promise<void> {
    try {
      const { runs } = await this.api.devJson<{ runs: QaRunSummary[] }>(`/dev/qa-runs?limit=${RECENT_RUNS}`);
      replaceChildren(
        this.recent,
        ...runs.map((run) => {
          const { total, done, failed } = run.progress;
          const open = button("Open", "qa-recent-open", () => this.follow(run.run_id));
          open.classList.add("secondary");
          return el(
            "li",
            { "data-testid": "qa-recent-run", "data-run-id": run.run_id },
            el(
              "div",
              {},
              `${run.filename ?? "(unnamed)"} · ${run.status} · ${done + failed}/${total}`,
              el("div", { class: "hint" }, `${formatTime(run.created_at)} by ${run.requested_by ?? "?"}`),
            ),
            open,
          );
        }),
      );
      if (runs.length === 0) this.recent.append(el("li", { class: "hint" }, "No runs yet."));
    } catch (error) {
      this.showError(describeError(error));
    }
  }

  private async submit(): Promise<void> {
    setAlert(this.error, null);
    const chosen = this.file.files?.[0];
    const csv = chosen ? await chosen.text() : this.pasted.value;
    const filename = chosen?.name ?? "pasted.csv";
    if (!csv.trim()) {
      this.showError("Choose a CSV file or paste one.");
      return;
    }
    this.start.disabled = true;
    try {
      const runId = await this.createRun(csv, filename);
      this.follow(runId);
    } catch (error) {
      this.showError(describeError(error), error instanceof ApiError ? error : null);
    } finally {
      this.start.disabled = false;
    }
  }

  private async createRun(csv: string, filename: string): Promise<string> {
    const response = await this.api.dev("/dev/qa-runs", {
      method: "POST",
      // Header values are Latin-1 on the wire: a name in another script is kept readable, not sent raw.
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "x-filename": filename.replace(/[^\x20-\x7e]/g, "_"),
      },
      body: csv,
    });
    if (!response.ok) throw await errorOf(response);
    const created = (await response.json()) as { run_id?: string };
    if (!created.run_id) throw new Error("the api did not name the new run");
    return created.run_id;
  }

  private follow(runId: string): void {
    if (this.polling) clearTimeout(this.polling);
    this.currentRun = runId;
    this.run.hidden = false;
    this.runId.textContent = runId;
    this.table.tBodies[0]?.replaceChildren();
    void this.poll(runId);
  }

  private async poll(runId: string): Promise<void> {
    if (this.currentRun !== runId) return;
    try {
      const report = await this.api.devJson<QaRunReport>(`/dev/qa-runs/${encodeURIComponent(runId)}`);
      this.render(report);
      if (report.status === "done" || report.status === "failed") {
        void this.load();
        return;
      }
    } catch (error) {
      this.showError(describeError(error));
    }
    this.polling = setTimeout(() => void this.poll(runId), POLL_MS);
  }

  private render(report: QaRunReport): void {
    const { total, done, failed } = report.progress;
    const finished = done + failed;
    this.run.dataset.status = report.status;
    this.status.textContent = `status: ${report.status}${report.error ? ` (${report.error})` : ""}`;
    this.progress.max = Math.max(total, 1);
    this.progress.value = finished;
    const latency = report.latency_ms
      ? ` · latency p50 ${report.latency_ms.p50} ms, p95 ${report.latency_ms.p95} ms, max ${report.latency_ms.max} ms`
      : "";
    this.progressText.textContent = `${finished} of ${total} finished (${done} answered, ${failed} failed)${latency}`;
    const body = this.table.tBodies[0] ?? this.table.createTBody();
    replaceChildren(body, ...report.results.map(resultRow));
  }

  private async download(): Promise<void> {
    if (!this.currentRun) return;
    try {
      const response = await expectOk(
        await this.api.dev(`/dev/qa-runs/${encodeURIComponent(this.currentRun)}.csv`),
      );
      const url = URL.createObjectURL(await response.blob());
      const link = el("a", { href: url, download: `qa-run-${this.currentRun}.csv` });
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      this.showError(describeError(error));
    }
  }

  /** A refused file lists every bad line: the API's error carries them as `problems`. */
  private showError(message: string, error: ApiError | null = null): void {
    setAlert(this.error, message);
    const problems = error?.details;
    if (Array.isArray(problems) && problems.length > 0) {
      this.error.append(
        el(
          "ul",
          { "data-testid": "qa-problems" },
          ...problems.map((problem) => el("li", {}, problemText(problem))),
        ),
      );
    }
  }
}

function problemText(problem: unknown): string {
  if (problem && typeof problem === "object") {
    const { line, message } = problem as { line?: unknown; message?: unknown };
    if (typeof message === "string") return typeof line === "number" ? `line ${line}: ${message}` : message;
  }
  return preview(problem, 200);
}

function resultRow(result: QaResult): HTMLTableRowElement {
  const safety = (result.safety_hits ?? [])
    .map((hit) => `L${hit.layer} ${hit.category} ${hit.action}`)
    .join(", ");
  const expected =
    result.expected_tools === null
      ? ""
      : `${result.expected_tools.join(", ")}${result.tools_match === null ? "" : result.tools_match ? " ✓" : " ✗"}`;
  return el(
    "tr",
    { "data-testid": "qa-result", "data-status": result.status },
    el("td", {}, String(result.position)),
    el("td", {}, result.id),
    el("td", {}, result.question),
    el("td", {}, result.status),
    el("td", { class: "answer-cell" }, result.answer ?? ""),
    el("td", {}, (result.tools_called ?? []).join(", ")),
    el("td", {}, expected),
    el("td", {}, safety),
    el("td", {}, result.verdict ?? ""),
    el("td", {}, result.latency_ms === null ? "" : String(result.latency_ms)),
    el("td", {}, result.error ?? ""),
  );
}
