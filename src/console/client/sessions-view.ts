// The sessions panel: the acting user's sessions (most recent activity first) and a session's history,
// oldest first, with support replies (handover) set apart from the assistant's.
import { button, el, formatTime, required, setAlert } from "./dom";
import { type ActingUser, type ConsoleApi, describeError } from "./http";
import { PagedList, pageQuery } from "./paged-list";

interface SessionSummary {
  session_id: string;
  title: string | null;
  created_at: string;
  last_activity_at: string;
}

interface HistoryMessage {
  message_id: string;
  role: string;
  content: string;
  turn_id: string | null;
  created_at: string;
  /** A support reply's author as Intercom names them; null for user and assistant messages. */
  author?: string | null;
}

const PAGE_SIZE = 20;
const HISTORY_PAGE_SIZE = 100;

/** Roles the page styles; anything else still shows, under its own name. */
const KNOWN_ROLES = new Set(["user", "assistant", "support"]);

export class SessionsView {
  private readonly list: HTMLUListElement;
  private readonly historyList: HTMLOListElement;
  private readonly historyTitle: HTMLElement;
  private readonly error: HTMLElement;
  private readonly sessions: PagedList<SessionSummary>;
  private readonly history: PagedList<HistoryMessage>;
  private historySession = "";

  constructor(
    root: HTMLElement,
    private readonly api: ConsoleApi,
    private readonly actingUser: () => ActingUser,
    private readonly continueInChat: (sessionId: string) => void,
  ) {
    this.list = required(root, "sessions-list", HTMLUListElement);
    this.historyList = required(root, "history-list", HTMLOListElement);
    this.historyTitle = required(root, "history-title", HTMLElement);
    this.error = required(root, "sessions-error", HTMLElement);
    this.sessions = new PagedList(this.list, {
      fetchPage: async (cursor) => {
        const page = await this.api.v1Json<{ sessions: SessionSummary[]; next_cursor: string | null }>(
          this.actingUser(),
          `/v1/sessions?${pageQuery(PAGE_SIZE, cursor)}`,
        );
        return { items: page.sessions, nextCursor: page.next_cursor };
      },
      render: (session) => this.sessionItem(session),
      emptyText: "No sessions for this user yet.",
      moreLabel: "Load more",
      moreTestId: "sessions-more",
      onError: (error) => setAlert(this.error, describeError(error)),
    });
    // Pages come newest first; each older page goes above what is shown, so the history reads top-down.
    this.history = new PagedList(this.historyList, {
      fetchPage: async (cursor) => {
        const path = `/v1/sessions/${encodeURIComponent(this.historySession)}/messages`;
        const page = await this.api.v1Json<{ messages: HistoryMessage[]; next_cursor: string | null }>(
          this.actingUser(),
          `${path}?${pageQuery(HISTORY_PAGE_SIZE, cursor)}`,
        );
        return { items: page.messages.toReversed(), nextCursor: page.next_cursor };
      },
      render: messageItem,
      emptyText: "No messages yet.",
      moreLabel: "Load older",
      moreTestId: "history-more",
      placement: "before",
      onError: (error) => setAlert(this.error, describeError(error)),
    });
    required(root, "sessions-refresh", HTMLButtonElement).addEventListener("click", () => void this.load());
  }

  load(): Promise<void> {
    setAlert(this.error, null);
    this.historyList.replaceChildren();
    this.historyTitle.textContent = "History";
    return this.sessions.reload();
  }

  private sessionItem(session: SessionSummary): HTMLLIElement {
    const item = el(
      "li",
      { "data-testid": "session-item", "data-session-id": session.session_id },
      el(
        "div",
        {},
        el("div", {}, session.title ?? "(untitled)"),
        el("div", { class: "hint" }, `last activity ${formatTime(session.last_activity_at)}`),
      ),
    );
    const open = button("History", "session-open", () => {
      for (const other of this.list.querySelectorAll("li.selected")) other.classList.remove("selected");
      item.classList.add("selected");
      void this.showHistory(session);
    });
    open.classList.add("secondary");
    const resume = button("Continue in chat", "session-continue", () =>
      this.continueInChat(session.session_id),
    );
    resume.classList.add("secondary");
    item.append(open, resume);
    return item;
  }

  private showHistory(session: SessionSummary): Promise<void> {
    setAlert(this.error, null);
    this.historyTitle.textContent = `History: ${session.title ?? session.session_id}`;
    this.historySession = session.session_id;
    return this.history.reload();
  }
}

function messageItem(message: HistoryMessage): HTMLLIElement {
  const role = KNOWN_ROLES.has(message.role) ? message.role : "other";
  const label =
    message.role === "support" ? `support team${message.author ? `: ${message.author}` : ""}` : message.role;
  return el(
    "li",
    { class: `message ${role}`, "data-testid": "history-message", "data-role": message.role },
    el("span", { class: "role" }, `${label} · ${formatTime(message.created_at)}`),
    message.content,
  );
}
