// Turns a scripted `{ error: {...} }` reply into the response OpenAI would send for that status.
import { openAIError } from "./http";
import type { ErrorSpec } from "./scripts";

const DEFAULT_MESSAGES: Record<number, string> = {
  400: "Invalid request (scripted by the OpenAI stand-in).",
  401: "Incorrect API key provided.",
  403: "You are not allowed to access this resource.",
  404: "The model does not exist or you do not have access to it.",
  429: "Rate limit reached for requests. Please try again later.",
  500: "The server had an error while processing your request. Sorry about that!",
  502: "Bad gateway.",
  503: "The engine is currently overloaded, please try again later.",
};

export function scriptedError(spec: ErrorSpec): Response {
  const message = spec.message ?? DEFAULT_MESSAGES[spec.status] ?? `Scripted error ${spec.status}.`;
  return openAIError(spec.status, message, {
    type: spec.type,
    code: spec.code,
    retryAfterSeconds: spec.retryAfterSeconds,
  });
}

// The client is gone by the time this is returned; the status only shows up in server-side logs.
export function clientGone(): Response {
  return new Response(null, { status: 499 });
}
