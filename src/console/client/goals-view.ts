// The goals panel: the acting user's goals with their status (GET /v1/goals), and one goal's progress
// and evaluation series as a small chart (GET /v1/goals/:id; shapes in src/goals/model.ts). Where the
// api has no goal routes (404 on the list itself) the panel says "not available" instead of failing.
import { button, el, replaceChildren, required, setAlert } from "./dom";
import { evaluationChart } from "./evaluation-chart";
import { type ActingUser, ApiError, type ConsoleApi, describeError } from "./http";
import { PagedList, pageQuery } from "./paged-list";

interface GoalSummary {
  goal_id: string;
  title: string;
  description: string;
  status: string;
  kind: string;
  recipe_summary: string;
  starts_on: string | null;
  ends_on: string | null;
  last_evaluated_day: string | null;
  error_message: string | null;
}

interface GoalDetail extends GoalSummary {
  progress: {
    current_streak: number;
    longest_streak: number;
    hits: number;
    misses: number;
    no_data_days: number;
    evaluated_days: number;
    days_left: number | null;
  } | null;
  evaluations: { day: string; value: number | null; hit: boolean; no_data: boolean }[];
}

const PAGE_SIZE = 50;

export class GoalsView {
  private readonly list: HTMLUListElement;
  private readonly detail: HTMLElement;
  private readonly error: HTMLElement;
  private readonly goals: PagedList<GoalSummary>;

  constructor(
    root: HTMLElement,
    private readonly api: ConsoleApi,
    private readonly actingUser: () => ActingUser,
  ) {
    this.list = required(root, "goals-list", HTMLUListElement);
    this.detail = required(root, "goal-detail", HTMLElement);
    this.error = required(root, "goals-error", HTMLElement);
    this.goals = new PagedList(this.list, {
      fetchPage: async (cursor) => {
        const page = await this.api.v1Json<{ goals: GoalSummary[]; next_cursor: string | null }>(
          this.actingUser(),
          `/v1/goals?${pageQuery(PAGE_SIZE, cursor)}`,
        );
        return { items: page.goals, nextCursor: page.next_cursor };
      },
      render: (goal) => this.goalItem(goal),
      emptyText: "No goals for this user yet.",
      moreLabel: "Load more",
      moreTestId: "goals-more",
      onError: (error) => {
        // An api without the goal routes answers the list itself 404: the panel says so, calmly.
        if (error instanceof ApiError && error.status === 404 && error.code === "not_found") {
          this.list.replaceChildren(
            el(
              "li",
              { class: "hint", "data-testid": "goals-unavailable" },
              "Goals: not available on this api.",
            ),
          );
          return;
        }
        setAlert(this.error, describeError(error));
      },
    });
    required(root, "goals-refresh", HTMLButtonElement).addEventListener("click", () => void this.load());
  }

  load(): Promise<void> {
    setAlert(this.error, null);
    this.detail.replaceChildren();
    return this.goals.reload();
  }

  private goalItem(goal: GoalSummary): HTMLLIElement {
    const open = button("Evaluations", "goal-open", () => void this.showGoal(goal.goal_id));
    open.classList.add("secondary");
    return el(
      "li",
      { "data-testid": "goal-item", "data-goal-id": goal.goal_id },
      el("div", {}, el("div", {}, goal.title), el("div", { class: "hint" }, goal.description)),
      statusBadge(goal.status),
      open,
    );
  }

  private async showGoal(goalId: string): Promise<void> {
    setAlert(this.error, null);
    try {
      const goal = await this.api.v1Json<GoalDetail>(
        this.actingUser(),
        `/v1/goals/${encodeURIComponent(goalId)}`,
      );
      const points = goal.evaluations.map((evaluation) => ({
        period: evaluation.day,
        value: evaluation.value,
        hit: evaluation.hit,
        noData: evaluation.no_data,
      }));
      replaceChildren(
        this.detail,
        el("h3", {}, goal.title, " ", statusBadge(goal.status)),
        el("p", {}, goal.recipe_summary),
        el("p", { class: "hint" }, windowText(goal)),
        goal.error_message ? el("p", { class: "error" }, goal.error_message) : null,
        goal.progress ? el("p", { "data-testid": "goal-progress" }, progressText(goal.progress)) : null,
        points.length > 0
          ? evaluationChart(points)
          : el("p", { class: "hint", "data-testid": "goal-no-evaluations" }, "No evaluations yet."),
      );
    } catch (error) {
      setAlert(this.error, describeError(error));
    }
  }
}

function statusBadge(status: string): HTMLSpanElement {
  const tone =
    status === "achieved" || status === "active"
      ? "ok"
      : status === "missed" || status === "errored"
        ? "bad"
        : "warn";
  return el("span", { class: `badge ${tone}`, "data-testid": "goal-status" }, status.replaceAll("_", " "));
}

function windowText(goal: GoalSummary): string {
  if (!goal.starts_on) return "not confirmed yet";
  const until = goal.ends_on ? ` to ${goal.ends_on}` : "";
  const last = goal.last_evaluated_day ? `, last evaluated ${goal.last_evaluated_day}` : "";
  return `from ${goal.starts_on}${until}${last}`;
}

function progressText(progress: NonNullable<GoalDetail["progress"]>): string {
  const left = progress.days_left === null ? "" : `, ${progress.days_left} days left`;
  return (
    `${progress.hits} met, ${progress.misses} missed, ${progress.no_data_days} without data ` +
    `(streak ${progress.current_streak}, longest ${progress.longest_streak}${left})`
  );
}
