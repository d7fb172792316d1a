// The /_standin/ control API that tests use to script replies and inspect what the backend sent. Kept off
// the /v1 prefix so it can never collide with a real OpenAI route.
import type { StandinContext } from "./context";
import { isRecord, jsonResponse, readJson } from "./http";
import { scriptRequestSchema } from "./scripts";

function badRequest(message: string): Response {
  return jsonResponse({ error: { message, type: "invalid_request_error", param: null, code: null } }, 400);
}

async function addScript(req: Request, ctx: StandinContext): Promise<Response> {
  const json = await readJson(req);
  if (!json.ok || !isRecord(json.value)) return badRequest("Body must be a JSON object.");
  // `endpoint` is optional for the common case of scripting chat completions.
  const parsed = scriptRequestSchema.safeParse({ endpoint: "chat", ...json.value });
  if (!parsed.success) {
    const details = parsed.error.issues
      .map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`)
      .join("; ");
    return badRequest(`Invalid script: ${details}`);
  }
  return jsonResponse({ ok: true, ...ctx.scripts.add(parsed.data) });
}

export async function handleControl(
  req: Request,
  url: URL,
  ctx: StandinContext,
): Promise<Response | undefined> {
  const route = `${req.method} ${url.pathname.replace(/\/+$/, "")}`;
  switch (route) {
    case "POST /_standin/script":
      return addScript(req, ctx);
    case "GET /_standin/scripts":
      return jsonResponse({ scripts: ctx.scripts.list() });
    case "GET /_standin/stats":
      return jsonResponse(ctx.recorder.snapshot());
    case "GET /_standin/requests":
      return jsonResponse(ctx.recorder.chatBodiesMatching(url.searchParams.get("match") ?? ""));
    case "POST /_standin/reset":
      ctx.scripts.clear();
      ctx.recorder.reset();
      ctx.ids.reset();
      return jsonResponse({ ok: true });
    default:
      return undefined;
  }
}
