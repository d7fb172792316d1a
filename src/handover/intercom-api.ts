// The two Intercom REST steps of a handover: find or create the contact whose `external_id` is our
// user id, then open a conversation from that contact. Every call has its own timeout and is made
// once: creating a conversation is not idempotent, so a blind retry could open two for one handover.
// A failure is thrown as an IntercomCallError carrying its class, which the handover row records.
import { z } from "zod";
import type { Config } from "../config";

/** The API version whose request and response shapes this file follows (sent as `Intercom-Version`). */
export const INTERCOM_API_VERSION = "2.11";

export interface IntercomSettings {
  baseUrl: string;
  accessToken: string;
  /** The client secret of the Intercom app: the key of the webhook signatures. */
  clientSecret: string;
  timeoutMs: number;
}

/** Intercom's settings when it is configured (token and client secret set together), else null. */
export function intercomSettings(config: Config): IntercomSettings | null {
  if (!config.INTERCOM_ACCESS_TOKEN || !config.INTERCOM_CLIENT_SECRET) return null;
  return {
    baseUrl: config.INTERCOM_BASE_URL.replace(/\/+$/, ""),
    accessToken: config.INTERCOM_ACCESS_TOKEN,
    clientSecret: config.INTERCOM_CLIENT_SECRET,
    timeoutMs: config.INTERCOM_TIMEOUT_MS,
  };
}

/** What went wrong, coarse enough to count and alert on; the row stores it with a short detail. */
export type IntercomErrorClass =
  | "timeout"
  | "aborted"
  | "network"
  | "unauthorized"
  | "rate_limited"
  | "server_error"
  | "client_error"
  | "invalid_response";

export class IntercomCallError extends Error {
  constructor(
    readonly errorClass: IntercomErrorClass,
    readonly status: number | null,
    message: string,
  ) {
    super(message);
    this.name = "IntercomCallError";
  }
}

const contactShape = z.object({ type: z.literal("contact").optional(), id: z.string().min(1).max(64) });
const contactListShape = z.object({ data: z.array(contactShape) });
// POST /conversations answers with the message it created, which names its conversation.
const createdMessageShape = z.object({
  id: z.string().min(1),
  conversation_id: z.coerce.string().min(1).max(64),
});

/** The contact id of our user in Intercom, created on first use. */
export async function findOrCreateContact(
  api: IntercomSettings,
  externalId: string,
  signal: AbortSignal,
): Promise<string> {
  const found = await searchContact(api, externalId, signal);
  if (found) return found;
  try {
    const created = await call(api, "POST", "/contacts", { role: "user", external_id: externalId }, signal);
    return parse(contactShape, created, "POST /contacts").id;
  } catch (error) {
    // Another handover of the same user created the contact a moment ago: read it back once (a search
    // is safe to repeat, unlike a create).
    if (error instanceof IntercomCallError && error.status === 409) {
      const raced = await searchContact(api, externalId, signal);
      if (raced) return raced;
    }
    throw error;
  }
}

/** Opens a conversation from the contact; returns the conversation id. */
export async function createConversation(
  api: IntercomSettings,
  contactId: string,
  body: string,
  signal: AbortSignal,
): Promise<string> {
  const created = await call(
    api,
    "POST",
    "/conversations",
    { from: { type: "user", id: contactId }, body },
    signal,
  );
  return parse(createdMessageShape, created, "POST /conversations").conversation_id;
}

async function searchContact(
  api: IntercomSettings,
  externalId: string,
  signal: AbortSignal,
): Promise<string | null> {
  const listed = await call(
    api,
    "POST",
    "/contacts/search",
    { query: { field: "external_id", operator: "=", value: externalId } },
    signal,
  );
  return parse(contactListShape, listed, "POST /contacts/search").data[0]?.id ?? null;
}

async function call(
  api: IntercomSettings,
  method: "POST",
  path: string,
  body: unknown,
  turnSignal: AbortSignal,
): Promise<unknown> {
  const what = `${method} ${path}`;
  const timeout = AbortSignal.timeout(api.timeoutMs);
  let response: Response;
  try {
    response = await fetch(`${api.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${api.accessToken}`,
        "intercom-version": INTERCOM_API_VERSION,
        accept: "application/json",
        "content-type": "application/json",
      },
      body: JSON.stringify(body),
      signal: AbortSignal.any([timeout, turnSignal]),
      redirect: "error",
    });
  } catch (error) {
    if (timeout.aborted)
      throw new IntercomCallError("timeout", null, `${what}: no answer within ${api.timeoutMs} ms`);
    if (turnSignal.aborted) throw new IntercomCallError("aborted", null, `${what}: the turn ended first`);
    throw new IntercomCallError("network", null, `${what}: ${(error as Error).message}`);
  }
  let text: string;
  try {
    text = await response.text();
  } catch {
    throw new IntercomCallError(
      timeout.aborted ? "timeout" : "network",
      response.status,
      `${what}: the answer was cut off`,
    );
  }
  if (!response.ok) {
    throw new IntercomCallError(
      statusClass(response.status),
      response.status,
      `${what} answered ${response.status}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new IntercomCallError("invalid_response", response.status, `${what}: the answer is not JSON`);
  }
}

function statusClass(status: number): IntercomErrorClass {
  if (status === 401 || status === 403) return "unauthorized";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "server_error";
  return "client_error";
}

function parse<T>(shape: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = shape.safeParse(value);
  if (!parsed.success)
    throw new IntercomCallError("invalid_response", 200, `${what}: unexpected answer shape`);
  return parsed.data;
}
