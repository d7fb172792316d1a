// The server's check behind "only after a failed FAQ lookup": did `search_faq` answer `no_match` in
// one of this session's recent turns? Tool results are not stored in MySQL, only in each turn's
// Redis log (tool_result events), so this reads those logs: the session's last few turns from
// chat_messages (indexed by session), their attempt from turn_claims (primary key), then one
// pipelined XRANGE per log. A log expires 6 h after its turn finished, so a miss older than that no
// longer counts, and neither does one whose events the model guard still holds back in this very
// turn: both fail closed (the tool answers `faq_first` and the agent searches the FAQ again).
import { and, eq, inArray } from "drizzle-orm";
import { recentUserMessages } from "../chat/sessions";
import { turnLogKey } from "../chat/turn-log";
import { turnClaims } from "../db/schema";
import type { Deps } from "../infra/deps";

/** The current turn and the few before it: the FAQ miss, the offer, and the user's "yes". */
export const FAQ_MISS_LOOKBACK_TURNS = 5;
/** A turn's log holds a few hundred entries (tokens are coalesced); this bounds a runaway one. */
const MAX_ENTRIES_PER_LOG = 2_000;

export async function sessionHadFaqMiss(
  deps: Pick<Deps, "appDb" | "redis">,
  input: { userId: string; sessionId: string },
): Promise<boolean> {
  const db = deps.appDb.db;
  const turns = await recentUserMessages(db, input, FAQ_MISS_LOOKBACK_TURNS);
  const turnIds = turns.flatMap((row) => (row.turnId === null ? [] : [row.turnId]));
  if (turnIds.length === 0) return false;
  const claims = await db
    .select({ id: turnClaims.id, attempt: turnClaims.attempt })
    .from(turnClaims)
    .where(and(inArray(turnClaims.id, turnIds), eq(turnClaims.userId, input.userId)));
  if (claims.length === 0) return false;

  const pipeline = deps.redis.redis.pipeline();
  for (const claim of claims) {
    pipeline.xrange(turnLogKey(claim.id, claim.attempt), "-", "+", "COUNT", MAX_ENTRIES_PER_LOG);
  }
  const replies = (await pipeline.exec()) ?? [];
  return replies.some(([error, entries]) => !error && Array.isArray(entries) && entries.some(isFaqMiss));
}

/** A logged `tool_result` of `search_faq` that succeeded with `{status: "no_match"}`. */
export function isFaqMiss(entry: unknown): boolean {
  if (!Array.isArray(entry)) return false;
  const fields = entry[1];
  if (!Array.isArray(fields)) return false;
  let event: unknown;
  let data: unknown;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === "e") event = fields[i + 1];
    else if (fields[i] === "d") data = fields[i + 1];
  }
  if (event !== "tool_result" || typeof data !== "string" || !data.includes("search_faq")) return false;
  try {
    const payload = JSON.parse(data) as {
      name?: unknown;
      ok?: unknown;
      result?: { status?: unknown } | null;
    };
    return payload.name === "search_faq" && payload.ok === true && payload.result?.status === "no_match";
  } catch {
    return false;
  }
}
