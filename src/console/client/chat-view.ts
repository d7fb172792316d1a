// The chat panel: send as the acting demo user and watch every event of the turn as what it is (tokens,
// tool calls and results, the judge's verdict, a correction, suggestions, failures), with a button that
// cuts the connection mid-turn to show the resume with Last-Event-ID arriving without a gap.
import { button, el, preview, replaceChildren, required } from "./dom";
import { type ActingUser, type ConsoleApi, describeError } from "./http";
import type { SseFrame } from "./sse-parser";
import { type TurnState, turnContinuity } from "./turn-state";
import { type ConnectionStatus, TurnStream } from "./turn-stream";

interface TurnView {
  root: HTMLLIElement;
  answer: HTMLDivElement;
  tools: HTMLUListElement;
  verdict: HTMLDivElement;
  correction: HTMLDivElement;
  suggestions: HTMLDivElement;
  failure: HTMLDivElement;
  integrity: HTMLDivElement;
  connection: HTMLParagraphElement;
  events: HTMLOListElement;
}

export class ChatView {
  private sessionId: string | null = null;
  private turn: TurnStream | null = null;
  private readonly transcript: HTMLOListElement;
  private readonly sessionLabel: HTMLElement;
  private readonly form: HTMLFormElement;
  private readonly message: HTMLTextAreaElement;
  private readonly send: HTMLButtonElement;
  private readonly drop: HTMLButtonElement;
  private readonly status: HTMLElement;

  constructor(
    root: HTMLElement,
    private readonly api: ConsoleApi,
    private readonly actingUser: () => ActingUser,
  ) {
    this.transcript = required(root, "chat-transcript", HTMLOListElement);
    this.sessionLabel = required(root, "chat-session", HTMLElement);
    this.form = required(root, "chat-form", HTMLFormElement);
    this.message = required(root, "chat-message", HTMLTextAreaElement);
    this.send = required(root, "chat-send", HTMLButtonElement);
    this.drop = required(root, "chat-drop", HTMLButtonElement);
    this.status = required(root, "chat-connection", HTMLElement);
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.submit(this.message.value);
    });
    // Ctrl+Enter (⌘+Enter) sends, as in most chat tools; Enter alone makes a new line.
    this.message.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) this.form.requestSubmit();
    });
    this.drop.addEventListener("click", () => this.turn?.drop());
    required(root, "chat-new-session", HTMLButtonElement).addEventListener("click", () =>
      this.useSession(null),
    );
  }

  /** Continues `sessionId` (from the sessions panel), or starts afresh with null. */
  useSession(sessionId: string | null): void {
    this.sessionId = sessionId;
    this.sessionLabel.textContent = sessionId ?? "none yet (one opens with the first message)";
    this.transcript.replaceChildren();
  }

  /** Sends `text`; a retry of a failed turn passes the failed send's key, so the api re-runs that turn. */
  private async submit(text: string, idempotencyKey: string = crypto.randomUUID()): Promise<void> {
    const message = text.trim();
    if (!message || this.turn) return;
    const user = this.actingUser();
    this.send.disabled = true;
    const view = this.addTurn(message);
    try {
      const sessionId = this.sessionId ?? (await this.openSession(user));
      this.message.value = "";
      const turn = new TurnStream(this.api, user, sessionId, {
        onFrame: (frame, state) => this.renderFrame(view, frame, state),
        onConnection: (status) => this.renderConnection(view, status),
      });
      this.turn = turn;
      const state = await turn.run(message, idempotencyKey);
      if (state.failure && (state.failure.kind === "timeout" || state.failure.retryable)) {
        const retry = button("Retry with the same Idempotency-Key", "turn-retry", () => {
          retry.disabled = true;
          void this.submit(message, idempotencyKey);
        });
        retry.classList.add("secondary");
        view.failure.append(" ", retry);
      }
    } catch (error) {
      showFailure(view, describeError(error));
      view.root.dataset.phase = "failed";
    } finally {
      this.turn = null;
      this.send.disabled = false;
      this.drop.disabled = true;
    }
  }

  private async openSession(user: ActingUser): Promise<string> {
    const created = await this.api.v1Json<{ session_id: string }>(user, "/v1/sessions", { method: "POST" });
    this.sessionId = created.session_id;
    this.sessionLabel.textContent = created.session_id;
    return created.session_id;
  }

  private addTurn(question: string): TurnView {
    const view: TurnView = {
      root: el("li", { class: "turn", "data-testid": "turn", "data-phase": "sending" }),
      answer: el("div", { class: "answer", "data-testid": "turn-answer", "aria-label": "Answer" }),
      tools: el("ul", { class: "activity", "data-testid": "turn-tools", "aria-label": "Tool calls" }),
      verdict: el("div", { "data-testid": "turn-verdict" }),
      correction: el("div", { "data-testid": "turn-correction", hidden: true, class: "correction" }),
      suggestions: el("div", { class: "suggestions", "data-testid": "turn-suggestions" }),
      failure: el("div", { class: "failure", role: "alert", "data-testid": "turn-failure", hidden: true }),
      integrity: el("div", { "data-testid": "turn-integrity" }),
      connection: el("p", { class: "connection-note", "data-testid": "turn-connection" }),
      events: el("ol", { "data-testid": "turn-events" }),
    };
    const userMessage = el(
      "div",
      { class: "message user", "data-testid": "turn-question" },
      el("span", { class: "role" }, "user"),
      question,
    );
    const rawLog = el(
      "details",
      { class: "events" },
      el("summary", {}, "Every event, as received (id, event, data)"),
      view.events,
    );
    replaceChildren(
      view.root,
      userMessage,
      view.tools,
      view.answer,
      view.verdict,
      view.correction,
      view.suggestions,
      view.failure,
      view.connection,
      view.integrity,
      rawLog,
    );
    this.transcript.append(view.root);
    return view;
  }

  /** Redraws what `frame` changed; the raw log, the phase and the gap check follow every frame. */
  private renderFrame(view: TurnView, frame: SseFrame, state: TurnState): void {
    view.events.append(el("li", {}, `${frame.id ?? "(no id)"}  ${frame.event}  ${preview(frame.data, 400)}`));
    if (state.turnId) view.root.dataset.turnId = state.turnId;
    view.root.dataset.phase = phaseOf(state);
    view.root.dataset.events = String(state.eventCount);
    switch (frame.event) {
      case "token":
      case "done":
        // Tokens as they arrive; once `done` comes its answer is authoritative.
        view.answer.textContent = state.answer ?? state.streamedText;
        break;
      case "tool_call":
      case "tool_result":
        renderTools(view.tools, state);
        break;
      case "eval_pending":
      case "eval_result":
        renderVerdict(view.verdict, state);
        break;
      case "correction_start":
      case "correction_token":
      case "correction_done":
        renderCorrection(view.correction, state);
        // A rewrite that replaced the answer leaves the original visible, struck through.
        view.answer.classList.toggle("superseded", state.correction?.replaced === true);
        break;
      case "suggestions":
        this.renderSuggestions(view.suggestions, state);
        break;
      case "timeout":
      case "error":
        if (state.failure) {
          const { kind, code, message, retryable } = state.failure;
          const label = kind === "timeout" ? "timeout" : `error ${code ?? ""}`;
          showFailure(view, `${label}: ${message}${retryable ? " (retryable)" : ""}`);
        }
        break;
      default:
        // `end`, and events this console does not know: the raw log above shows them.
        break;
    }
    renderIntegrity(view.integrity, state, this.turn?.resumes ?? 0);
  }

  private renderConnection(view: TurnView, status: ConnectionStatus): void {
    this.drop.disabled = status.kind !== "streaming";
    switch (status.kind) {
      case "streaming":
        this.status.textContent = "streaming";
        break;
      case "dropped": {
        const after = status.afterEventId ?? "the start";
        const who = status.byUser ? "dropped by you" : "closed before end";
        this.status.textContent = `connection ${who}`;
        view.events.append(el("li", { class: "drop" }, `— connection ${who} after ${after} —`));
        view.connection.textContent = `Connection ${who} after event ${after}.`;
        break;
      }
      case "resuming": {
        const after = status.afterEventId ?? "the start";
        this.status.textContent = `resuming after ${after}`;
        view.events.append(el("li", { class: "drop" }, `— resumed with Last-Event-ID: ${after} —`));
        view.connection.textContent += ` Resumed with Last-Event-ID ${after}.`;
        break;
      }
      case "finished":
        this.status.textContent = "idle";
        break;
    }
  }

  private renderSuggestions(container: HTMLDivElement, state: TurnState): void {
    replaceChildren(
      container,
      ...state.suggestions.map((suggestion) =>
        button(suggestion, "suggestion", () => {
          this.message.value = suggestion;
          void this.submit(suggestion);
        }),
      ),
    );
  }
}

function phaseOf(state: TurnState): string {
  if (state.failure) return "failed";
  if (state.ended) return "ended";
  if (state.answer !== null) return "answered";
  return "streaming";
}

function renderTools(list: HTMLUListElement, state: TurnState): void {
  replaceChildren(
    list,
    ...state.tools.map((tool) => {
      const result =
        tool.ok === undefined ? "… running" : `${tool.ok ? "→ ok" : "→ failed"} ${preview(tool.result, 300)}`;
      return el(
        "li",
        { class: tool.ok === false ? "tool-failed" : "tool", "data-testid": "tool-activity" },
        el("strong", {}, `tool ${tool.name}`),
        ` ${preview(tool.arguments, 200)} `,
        el("span", { "data-testid": "tool-result" }, result),
      );
    }),
  );
}

function renderVerdict(container: HTMLDivElement, state: TurnState): void {
  if (state.verdict) {
    const { verdict, violations, degraded } = state.verdict;
    const tone = degraded ? "warn" : verdict === "approved" ? "ok" : "bad";
    const detail = violations.length > 0 ? ` · violations: ${preview(violations, 200)}` : "";
    replaceChildren(
      container,
      "Judge: ",
      el(
        "span",
        { class: `badge ${tone}`, "data-testid": "verdict" },
        degraded ? `${verdict} (degraded)` : verdict,
      ),
      detail,
    );
  } else if (state.evalPending) {
    replaceChildren(
      container,
      "Judge: ",
      el("span", { class: "badge warn", "data-testid": "verdict" }, "reviewing…"),
    );
  }
}

function renderCorrection(container: HTMLDivElement, state: TurnState): void {
  const correction = state.correction;
  if (!correction) return;
  container.hidden = false;
  const heading =
    correction.answer === undefined
      ? "Correction streaming…"
      : correction.replaced
        ? "Correction: this rewrite replaces the stored answer"
        : "Correction offered, not applied: the answer stands";
  replaceChildren(
    container,
    el("strong", {}, heading),
    el("div", { "data-testid": "correction-text" }, correction.answer ?? correction.text),
  );
}

function renderIntegrity(container: HTMLDivElement, state: TurnState, resumes: number): void {
  const continuity = turnContinuity(state);
  container.dataset.status = continuity.status;
  const resumed = resumes > 0 ? `, resumed ${resumes}×` : "";
  switch (continuity.status) {
    case "pending":
      container.textContent = "";
      break;
    case "complete":
      replaceChildren(
        container,
        el("span", { class: "badge ok" }, "no gap"),
        ` the streamed tokens add up to the final answer exactly (${continuity.events} events${resumed})`,
      );
      break;
    case "replayed":
      container.textContent = `Replayed from storage: the answer arrived whole (${continuity.events} events${resumed})`;
      break;
    case "gap":
      replaceChildren(
        container,
        el("span", { class: "badge bad" }, "gap"),
        ` ${continuity.reason}${resumed}`,
      );
      break;
  }
}

function showFailure(view: TurnView, message: string): void {
  view.failure.hidden = false;
  view.failure.textContent = message;
}
