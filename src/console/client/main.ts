// The console page's entry: sign-in, the acting demo user, and the tabs that switch between panels.
import { ChatView } from "./chat-view";
import { el, required } from "./dom";
import { GoalsView } from "./goals-view";
import { type ActingUser, ConsoleApi, type ConsoleSession, describeError } from "./http";
import { signIn, signOut, storedSession } from "./login";
import { MemoriesView } from "./memories-view";
import { type QaLimits, QaView } from "./qa-view";
import { SessionsView } from "./sessions-view";

type Tab = "chat" | "sessions" | "memories" | "goals" | "qa";

const page = document.body;
const login = required(page, "login", HTMLElement);
const loginForm = required(page, "login-form", HTMLFormElement);
const loginError = required(page, "login-error", HTMLElement);
const workspace = required(page, "workspace", HTMLElement);
const signedInAs = required(page, "signed-in-as", HTMLElement);
const signOutButton = required(page, "sign-out", HTMLButtonElement);
const userInput = required(page, "acting-user", HTMLInputElement);
const timezoneInput = required(page, "acting-timezone", HTMLInputElement);
const demoUsers = required(page, "demo-users", HTMLDataListElement);

function actingUser(): ActingUser {
  return { userId: userInput.value.trim(), timezone: timezoneInput.value.trim() };
}

function showLogin(message: string | null): void {
  workspace.hidden = true;
  login.hidden = false;
  signedInAs.hidden = true;
  signOutButton.hidden = true;
  loginError.hidden = message === null;
  loginError.textContent = message ?? "";
}

let api: ConsoleApi | null = null;

function openWorkspace(session: ConsoleSession): void {
  login.hidden = true;
  workspace.hidden = false;
  signedInAs.hidden = false;
  signOutButton.hidden = false;
  signedInAs.textContent = `signed in as ${session.username}`;
  // Signing in again after an expiry keeps the panels as they were, with the new token.
  if (api) {
    api.session = session;
    return;
  }
  api = new ConsoleApi(session, () => {
    signOut();
    showLogin("Your sign-in expired or was refused: sign in again.");
  });
  buildPanels(api);
}

function buildPanels(api: ConsoleApi): void {
  const chat = new ChatView(page, api, actingUser);
  const sessions = new SessionsView(page, api, actingUser, (sessionId) => {
    chat.useSession(sessionId);
    select("chat");
  });
  const memories = new MemoriesView(page, api, actingUser);
  const goals = new GoalsView(page, api, actingUser);
  const qa = new QaView(page, api);

  const loaders: Record<Tab, (() => Promise<void>) | null> = {
    chat: null,
    sessions: () => sessions.load(),
    memories: () => memories.load(),
    goals: () => goals.load(),
    qa: () => qa.load(),
  };
  let current: Tab = "chat";
  const select = (tab: Tab) => {
    current = tab;
    for (const button of page.querySelectorAll<HTMLButtonElement>("[data-tab]")) {
      button.setAttribute("aria-selected", String(button.dataset.tab === tab));
    }
    for (const panel of page.querySelectorAll<HTMLElement>("[data-panel]"))
      panel.hidden = panel.dataset.panel !== tab;
    void loaders[tab]?.();
  };
  for (const button of page.querySelectorAll<HTMLButtonElement>("[data-tab]")) {
    button.addEventListener("click", () => select(button.dataset.tab as Tab));
  }
  // Another user's sessions are not this user's: the chat starts afresh, the open panel reloads.
  const userChanged = () => {
    chat.useSession(null);
    void loaders[current]?.();
  };
  userInput.addEventListener("change", () => {
    // A demo user brings their own zone, as their phone would send it.
    const zone = demoUserZones.get(userInput.value.trim());
    if (zone) timezoneInput.value = zone;
    userChanged();
  });
  timezoneInput.addEventListener("change", userChanged);
  select("chat");
  void loadSessionInfo(api, qa);
}

interface DevSessionInfo {
  demo_users: { user_id: string; first_name: string | null; timezone: string }[];
  qa: QaLimits;
}

const demoUserZones = new Map<string, string>();

/**
 * What GET /dev/session tells the page: the users of the Hilo User DB the console may act as (offered in
 * the picker, each with their own zone) and the QA runs' limits.
 */
async function loadSessionInfo(api: ConsoleApi, qa: QaView): Promise<void> {
  try {
    const info = await api.devJson<DevSessionInfo>("/dev/session");
    qa.describeLimits(info.qa);
    const users = info.demo_users;
    if (users.length === 0) return;
    demoUsers.replaceChildren(
      ...users.map((user) =>
        el("option", { value: user.user_id }, `${user.first_name ?? ""} · ${user.timezone}`),
      ),
    );
    for (const user of users) demoUserZones.set(user.user_id, user.timezone);
    const zone = demoUserZones.get(userInput.value.trim());
    if (zone) timezoneInput.value = zone;
  } catch (error) {
    // The picker keeps its built-in names; typing any user id still works.
    signedInAs.textContent += ` (demo users unavailable: ${describeError(error)})`;
  }
}

loginForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const data = new FormData(loginForm);
  signIn(String(data.get("username") ?? ""), String(data.get("password") ?? ""))
    .then(openWorkspace)
    .catch((error: unknown) => showLogin(describeError(error)));
});

signOutButton.addEventListener("click", () => {
  signOut();
  location.reload();
});

const earlier = storedSession();
if (earlier) openWorkspace(earlier);
else showLogin(null);
