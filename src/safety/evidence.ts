// The tool data the judge checks an answer against, made to fit its cap as valid JSON. Per-reading
// detail goes first (long lists keep their ends and say how much was left out); every aggregate a
// tool returned (averages, counts, categories, as_of) stays, since those are what an answer cites.

export interface Evidence {
  json: string;
  /** True when anything was left out to fit the cap. */
  shrunk: boolean;
}

/** How many items of a long list survive each round of shrinking, from each end. */
const KEEP_PER_END = [5, 2, 1, 0];
const LONG_TEXT_CHARS = 200;

export function evidenceFor(toolResults: readonly unknown[], maxChars: number): Evidence {
  const whole = JSON.stringify(toolResults);
  if (whole.length <= maxChars) return { json: whole, shrunk: false };
  for (const keep of KEEP_PER_END) {
    const json = JSON.stringify(shrinkLists(toolResults, keep));
    if (json.length <= maxChars) return { json, shrunk: true };
  }
  const trimmed = shrinkText(shrinkLists(toolResults, 0));
  const json = JSON.stringify(trimmed);
  if (json.length <= maxChars) return { json, shrunk: true };
  // Still too large: whole tool results in order while they fit, and a count of the rest.
  const kept: unknown[] = [];
  for (const result of trimmed as unknown[]) {
    const next = JSON.stringify([...kept, result, { omitted_results: 0 }]);
    if (next.length > maxChars) break;
    kept.push(result);
  }
  const omitted = (trimmed as unknown[]).length - kept.length;
  return { json: JSON.stringify([...kept, { omitted_results: omitted }]), shrunk: true };
}

/** Lists of more than 2 × keep items keep `keep` items from each end and a note of the rest. */
function shrinkLists(value: unknown, keep: number): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => shrinkLists(item, keep));
    // The top level (one entry per tool call) is never cut here: each call's aggregates matter.
    return items;
  }
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    out[key] = Array.isArray(field) ? shrinkList(field, keep) : shrinkLists(field, keep);
  }
  return out;
}

function shrinkList(list: unknown[], keep: number): unknown[] {
  const items = list.map((item) => shrinkLists(item, keep));
  if (items.length <= keep * 2 + 1) return items;
  const omitted = items.length - keep * 2;
  return [...items.slice(0, keep), { omitted_items: omitted }, ...items.slice(items.length - keep)];
}

function shrinkText(value: unknown): unknown {
  if (typeof value === "string") {
    return value.length > LONG_TEXT_CHARS ? `${value.slice(0, LONG_TEXT_CHARS)}…` : value;
  }
  if (Array.isArray(value)) return value.map(shrinkText);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, shrinkText(field)]));
}
