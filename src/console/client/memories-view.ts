// The memories panel: what the assistant remembers about the acting user, newest first, each with a
// delete button (DELETE /v1/memories/:id).
import { button, el, formatTime, required, setAlert } from "./dom";
import { type ActingUser, type ConsoleApi, describeError, expectOk } from "./http";
import { PagedList, pageQuery } from "./paged-list";

interface Memory {
  memory_id: string;
  content: string;
  created_at: string;
  updated_at: string;
}

const PAGE_SIZE = 50;

export class MemoriesView {
  private readonly error: HTMLElement;
  private readonly memories: PagedList<Memory>;

  constructor(
    root: HTMLElement,
    private readonly api: ConsoleApi,
    private readonly actingUser: () => ActingUser,
  ) {
    this.error = required(root, "memories-error", HTMLElement);
    this.memories = new PagedList(required(root, "memories-list", HTMLUListElement), {
      fetchPage: async (cursor) => {
        const page = await this.api.v1Json<{ memories: Memory[]; next_cursor: string | null }>(
          this.actingUser(),
          `/v1/memories?${pageQuery(PAGE_SIZE, cursor)}`,
        );
        return { items: page.memories, nextCursor: page.next_cursor };
      },
      render: (memory) => this.memoryItem(memory),
      emptyText: "Nothing remembered for this user.",
      moreLabel: "Load more",
      moreTestId: "memories-more",
      onError: (error) => setAlert(this.error, describeError(error)),
    });
    required(root, "memories-refresh", HTMLButtonElement).addEventListener("click", () => void this.load());
  }

  load(): Promise<void> {
    setAlert(this.error, null);
    return this.memories.reload();
  }

  private memoryItem(memory: Memory): HTMLLIElement {
    const item = el(
      "li",
      { "data-testid": "memory-item", "data-memory-id": memory.memory_id },
      el(
        "div",
        {},
        el("div", {}, memory.content),
        el(
          "div",
          { class: "hint" },
          `saved ${formatTime(memory.created_at)} · updated ${formatTime(memory.updated_at)}`,
        ),
      ),
    );
    const remove = button("Delete", "memory-delete", () => void this.remove(memory, item, remove), {
      "aria-label": `Delete memory: ${memory.content.slice(0, 60)}`,
    });
    remove.classList.add("danger");
    item.append(remove);
    return item;
  }

  private async remove(memory: Memory, item: HTMLLIElement, control: HTMLButtonElement): Promise<void> {
    setAlert(this.error, null);
    control.disabled = true;
    try {
      await expectOk(
        await this.api.v1(this.actingUser(), `/v1/memories/${encodeURIComponent(memory.memory_id)}`, {
          method: "DELETE",
        }),
      );
      item.remove();
    } catch (error) {
      control.disabled = false;
      setAlert(this.error, describeError(error));
    }
  }
}
