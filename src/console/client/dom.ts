// Building DOM nodes without innerHTML: every value the API returns (answers, tool results, memories,
// CSV cells) is someone's text and goes in as text, never as markup.

type Attributes = Record<string, string | number | boolean | undefined>;
type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? "" : String(value));
  }
  append(node, ...children);
  return node;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
}

/** Replaces every child of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** An element the page's markup must contain: a missing one is a bug in console.html. */
export function required<T extends HTMLElement>(root: ParentNode, testId: string, type: new () => T): T {
  const node = root.querySelector(`[data-testid="${testId}"]`);
  if (!(node instanceof type)) throw new Error(`console.html has no ${type.name} [data-testid="${testId}"]`);
  return node;
}

export function button(label: string, testId: string, onClick: () => void, attributes: Attributes = {}) {
  const node = el("button", { type: "button", "data-testid": testId, ...attributes }, label);
  node.addEventListener("click", onClick);
  return node;
}

/** A compact one-line rendering of a JSON value, cut to `max` characters. */
export function preview(value: unknown, max = 240): string {
  const json = value === undefined ? "" : JSON.stringify(value);
  return json.length > max ? `${json.slice(0, max - 1)}…` : json;
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** Shows `message` in an alert box, or empties and hides the box with null. */
export function setAlert(box: HTMLElement, message: string | null): void {
  box.hidden = message === null;
  box.textContent = message ?? "";
}
