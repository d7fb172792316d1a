// A list filled page by page from the API's cursor pagination (`next_cursor`), with a "Load more"
// button while pages remain: sessions, a session's history, memories and goals all read this way.
import { button, el } from "./dom";

/** `limit` and, after the first page, the `cursor` the previous page returned. */
export function pageQuery(limit: number, cursor: string | null): URLSearchParams {
  const query = new URLSearchParams({ limit: String(limit) });
  if (cursor) query.set("cursor", cursor);
  return query;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PagedListOptions<T> {
  fetchPage(cursor: string | null): Promise<Page<T>>;
  render(item: T): Node;
  /** Shown when the first page is empty. */
  emptyText: string;
  moreLabel: string;
  moreTestId: string;
  /** `before`: each page is older than what is shown and goes above it (a history read oldest first). */
  placement?: "after" | "before";
  onError(error: unknown): void;
}

export class PagedList<T> {
  /** Bumped by every reload: a page that arrives after a newer reload belongs to a list no longer shown. */
  private generation = 0;

  constructor(
    private readonly list: HTMLElement,
    private readonly options: PagedListOptions<T>,
  ) {}

  async reload(): Promise<void> {
    this.generation += 1;
    this.list.replaceChildren();
    await this.load(null);
  }

  private async load(cursor: string | null): Promise<void> {
    const { fetchPage, render, emptyText, moreLabel, moreTestId, onError } = this.options;
    const generation = this.generation;
    try {
      const page = await fetchPage(cursor);
      if (generation !== this.generation) return;
      this.list.querySelector(":scope > [data-more]")?.remove();
      const nodes = page.items.map(render);
      if (nodes.length === 0 && cursor === null) nodes.push(el("li", { class: "hint" }, emptyText));
      const next = page.nextCursor;
      const more = next
        ? el(
            "li",
            { "data-more": true },
            button(moreLabel, moreTestId, () => void this.load(next)),
          )
        : null;
      if (this.options.placement === "before") {
        if (more) nodes.unshift(more);
        this.list.prepend(...nodes);
      } else {
        if (more) nodes.push(more);
        this.list.append(...nodes);
      }
    } catch (error) {
      onError(error);
    }
  }
}
