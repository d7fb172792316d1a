// The Intercom stand-in: the three REST calls a handover makes, with Intercom's paths, fields and
// error shapes (POST /contacts/search, POST /contacts, POST /conversations; Bearer token and
// Intercom-Version checked), GET /me for the backend's health probe, and a /_standin/ control API: failure injection (5xx, timeout, 401) scoped
// to one external id so parallel tests never see each other's faults, what was received, and a reply
// sender that POSTs a signed notification to a webhook as Intercom does. In memory; used in-process
// by tests and through main.ts by the local stack.
import { randomUUID } from "node:crypto";
import { replyNotification, signedNotification } from "./notification";

export interface IntercomStandinOptions {
  host?: string;
  port?: number;
  accessToken: string;
  clientSecret: string;
  /** Where /_standin/reply posts when the request names no `webhook_url`. */
  webhookUrl?: string;
}

export interface IntercomStandin {
  port: number;
  url: string;
  close(): Promise<void>;
}

type Endpoint = "/contacts/search" | "/contacts" | "/conversations";
const ENDPOINTS: readonly Endpoint[] = ["/contacts/search", "/contacts", "/conversations"];
type FailureMode = "5xx" | "timeout" | "401";

interface FailureRule {
  endpoint: Endpoint;
  mode: FailureMode;
  /** Only calls for this external id fail; null: any call. */
  externalId: string | null;
  remaining: number;
}

interface Contact {
  id: string;
  externalId: string;
  createdAt: number;
}

interface Conversation {
  id: string;
  contactId: string;
  body: string;
  createdAt: number;
}

interface ReceivedCall {
  method: string;
  path: string;
  externalId: string | null;
  status: number;
  at: string;
}

/** Intercom's error envelope. */
function errorList(status: number, code: string, message: string): Response {
  return Response.json(
    { type: "error.list", request_id: randomUUID(), errors: [{ code, message }] },
    { status },
  );
}

function contactJson(contact: Contact): Record<string, unknown> {
  return {
    type: "contact",
    id: contact.id,
    workspace_id: "standin",
    external_id: contact.externalId,
    role: "user",
    email: null,
    name: null,
    created_at: contact.createdAt,
    updated_at: contact.createdAt,
  };
}

async function readJson(req: Request): Promise<Record<string, unknown> | null> {
  try {
    const value = await req.json();
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

export async function startIntercomStandin(options: IntercomStandinOptions): Promise<IntercomStandin> {
  const contacts = new Map<string, Contact>();
  const contactsByExternalId = new Map<string, Contact>();
  const conversations = new Map<string, Conversation>();
  let failures: FailureRule[] = [];
  let calls: ReceivedCall[] = [];
  // Numeric like Intercom's, and never reused across restarts of the stand-in: the app's database
  // outlives it, and a conversation id seen before is a UNIQUE key there.
  let nextId = Date.now();
  const newId = () => String(++nextId);
  const shutdown = new AbortController();

  /** Applies a matching failure rule, if any: the response to send instead, or null to go on. */
  const injected = async (
    req: Request,
    endpoint: Endpoint,
    externalId: string | null,
  ): Promise<Response | null> => {
    const rule = failures.find(
      (candidate) =>
        candidate.endpoint === endpoint &&
        candidate.remaining > 0 &&
        (candidate.externalId === null || candidate.externalId === externalId),
    );
    if (!rule) return null;
    rule.remaining--;
    if (rule.mode === "401") return errorList(401, "unauthorized", "Access Token Invalid");
    if (rule.mode === "5xx")
      return errorList(503, "service_unavailable", "Sorry, the API service is temporarily unavailable");
    // A hang: answered only when the client gives up (or the stand-in stops), as a stalled upstream.
    await new Promise<void>((resolve) => {
      const done = () => resolve();
      req.signal.addEventListener("abort", done, { once: true });
      shutdown.signal.addEventListener("abort", done, { once: true });
      setTimeout(done, 120_000).unref();
    });
    return errorList(504, "gateway_timeout", "the stand-in held this call until the client gave up");
  };

  const checkAuth = (req: Request): Response | null => {
    if (req.headers.get("authorization") !== `Bearer ${options.accessToken}`) {
      return errorList(401, "unauthorized", "Access Token Invalid");
    }
    const version = req.headers.get("intercom-version");
    if (version === null || !/^(\d+\.\d+|Unstable)$/.test(version)) {
      return errorList(400, "intercom_version_invalid", "Requested Intercom-Version is not valid");
    }
    return null;
  };

  const api = async (
    req: Request,
    endpoint: Endpoint,
  ): Promise<{ response: Response; externalId: string | null }> => {
    const denied = checkAuth(req);
    if (denied) return { response: denied, externalId: null };
    const body = await readJson(req);
    if (!body)
      return { response: errorList(400, "parameter_invalid", "invalid JSON body"), externalId: null };

    if (endpoint === "/contacts/search") {
      const query = body.query as { field?: unknown; operator?: unknown; value?: unknown } | undefined;
      if (query?.field !== "external_id" || query.operator !== "=" || typeof query.value !== "string") {
        return {
          response: errorList(
            400,
            "parameter_invalid",
            "the stand-in searches by external_id = <string> only",
          ),
          externalId: null,
        };
      }
      const externalId = query.value;
      const failed = await injected(req, endpoint, externalId);
      if (failed) return { response: failed, externalId };
      const found = contactsByExternalId.get(externalId);
      return {
        externalId,
        response: Response.json({
          type: "list",
          data: found ? [contactJson(found)] : [],
          total_count: found ? 1 : 0,
          pages: { type: "pages", page: 1, per_page: 50, total_pages: found ? 1 : 0 },
        }),
      };
    }

    if (endpoint === "/contacts") {
      if (typeof body.external_id !== "string" || body.external_id === "") {
        return { response: errorList(400, "parameter_invalid", "external_id is required"), externalId: null };
      }
      const externalId = body.external_id;
      const failed = await injected(req, endpoint, externalId);
      if (failed) return { response: failed, externalId };
      const existing = contactsByExternalId.get(externalId);
      if (existing) {
        return {
          externalId,
          response: errorList(
            409,
            "conflict",
            `A contact matching those details already exists with id=${existing.id}`,
          ),
        };
      }
      const contact: Contact = {
        id: randomUUID().replaceAll("-", "").slice(0, 24),
        externalId,
        createdAt: now(),
      };
      contacts.set(contact.id, contact);
      contactsByExternalId.set(externalId, contact);
      return { externalId, response: Response.json(contactJson(contact)) };
    }

    const from = body.from as { type?: unknown; id?: unknown } | undefined;
    if (typeof from?.id !== "string" || !["user", "lead", "contact"].includes(String(from.type))) {
      return {
        response: errorList(400, "parameter_invalid", "from.type and from.id are required"),
        externalId: null,
      };
    }
    if (typeof body.body !== "string" || body.body === "") {
      return { response: errorList(400, "parameter_invalid", "body is required"), externalId: null };
    }
    const contact = contacts.get(from.id);
    const externalId = contact?.externalId ?? null;
    const failed = await injected(req, endpoint, externalId);
    if (failed) return { response: failed, externalId };
    if (!contact) return { externalId, response: errorList(404, "not_found", "User Not Found") };
    const conversation: Conversation = {
      id: newId(),
      contactId: contact.id,
      body: body.body,
      createdAt: now(),
    };
    conversations.set(conversation.id, conversation);
    return {
      externalId,
      response: Response.json({
        type: "user_message",
        id: newId(),
        created_at: conversation.createdAt,
        body: conversation.body,
        message_type: "inapp",
        conversation_id: conversation.id,
      }),
    };
  };

  const control = async (req: Request, url: URL): Promise<Response> => {
    const route = `${req.method} ${url.pathname.replace(/\/+$/, "")}`;
    const externalId = url.searchParams.get("external_id");
    switch (route) {
      case "POST /_standin/fail": {
        const body = await readJson(req);
        const endpoint = body?.path as Endpoint;
        const mode = body?.mode as FailureMode;
        const times = body?.times === undefined ? 1 : Number(body.times);
        if (!ENDPOINTS.includes(endpoint) || !["5xx", "timeout", "401"].includes(mode) || !(times >= 1)) {
          return Response.json(
            { error: `body: {path: ${ENDPOINTS.join("|")}, mode: 5xx|timeout|401, external_id?, times?}` },
            { status: 400 },
          );
        }
        failures.push({
          endpoint,
          mode,
          externalId: typeof body?.external_id === "string" ? body.external_id : null,
          remaining: times,
        });
        return Response.json({ ok: true });
      }
      case "GET /_standin/conversations":
        return Response.json(
          [...conversations.values()]
            .map((conversation) => ({
              id: conversation.id,
              contact_id: conversation.contactId,
              external_id: contacts.get(conversation.contactId)?.externalId ?? null,
              body: conversation.body,
              created_at: conversation.createdAt,
            }))
            .filter((conversation) => externalId === null || conversation.external_id === externalId),
        );
      case "GET /_standin/requests":
        return Response.json(calls.filter((call) => externalId === null || call.externalId === externalId));
      case "POST /_standin/reply":
        return sendReply(await readJson(req));
      case "POST /_standin/reset":
        contacts.clear();
        contactsByExternalId.clear();
        conversations.clear();
        failures = [];
        calls = [];
        return Response.json({ ok: true });
      default:
        return Response.json({ error: `unknown control route ${route}` }, { status: 404 });
    }
  };

  /** Posts a signed reply notification for a stored conversation to the webhook, as Intercom does. */
  const sendReply = async (body: Record<string, unknown> | null): Promise<Response> => {
    const conversation = conversations.get(String(body?.conversation_id ?? ""));
    const webhookUrl = typeof body?.webhook_url === "string" ? body.webhook_url : options.webhookUrl;
    if (!conversation || typeof body?.body !== "string" || !webhookUrl) {
      return Response.json(
        {
          error:
            "body: {conversation_id (of a conversation created here), body (HTML), author_name?, author_type? admin|bot, webhook_url?}",
        },
        { status: 400 },
      );
    }
    const contact = contacts.get(conversation.contactId);
    const partId = newId();
    const payload = replyNotification({
      conversationId: conversation.id,
      contact: { id: conversation.contactId, externalId: contact?.externalId ?? null },
      partId,
      body: body.body,
      author: {
        type: body.author_type === "bot" ? "bot" : "admin",
        name:
          typeof body.author_name === "string"
            ? body.author_name
            : body.author_type === "bot"
              ? "Fin"
              : "Sam from Hilo Support",
      },
    });
    const signed = signedNotification(payload, options.clientSecret);
    try {
      const delivered = await fetch(webhookUrl, {
        method: "POST",
        headers: signed.headers,
        body: signed.body,
        signal: AbortSignal.timeout(10_000),
      });
      return Response.json({
        notification_id: payload.id,
        part_id: partId,
        webhook_status: delivered.status,
        webhook_body: await delivered.text(),
      });
    } catch (error) {
      return Response.json(
        { error: `webhook ${webhookUrl} unreachable: ${(error as Error).message}` },
        { status: 502 },
      );
    }
  };

  const server = Bun.serve({
    hostname: options.host ?? "127.0.0.1",
    port: options.port ?? 0,
    // Injected timeouts hold a request open until the client gives up.
    idleTimeout: 0,
    async fetch(req) {
      const url = new URL(req.url);
      const path = url.pathname.replace(/\/+$/, "");
      if (path.startsWith("/_standin/")) return control(req, url);
      // The token's admin: what the backend's /health probes.
      if (req.method === "GET" && path === "/me") {
        return (
          checkAuth(req) ??
          Response.json({
            type: "admin",
            id: "814860",
            name: "Stand-in Admin",
            email: "support@hilo.example",
          })
        );
      }
      const endpoint = ENDPOINTS.find((candidate) => candidate === path);
      if (req.method !== "POST" || endpoint === undefined) {
        return errorList(404, "not_found", `the stand-in has no ${req.method} ${url.pathname}`);
      }
      const { response, externalId } = await api(req, endpoint);
      calls.push({
        method: req.method,
        path,
        externalId,
        status: response.status,
        at: new Date().toISOString(),
      });
      return response;
    },
  });
  const port = server.port ?? options.port ?? 0;
  return {
    port,
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    close: async () => {
      shutdown.abort();
      await server.stop(true);
    },
  };
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}
