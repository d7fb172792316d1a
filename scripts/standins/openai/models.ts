// GET /v1/models: a fixed catalogue so health checks and model pickers in the backend have something real.
import { jsonResponse, openAIError } from "./http";

const MODEL_IDS = [
  "gpt-4o-mini",
  "gpt-4o",
  "gpt-4.1-mini",
  "gpt-4.1",
  "text-embedding-3-small",
  "text-embedding-3-large",
];
// A fixed timestamp keeps the listing byte-identical across runs.
const CREATED = 1_700_000_000;

function model(id: string) {
  return { id, object: "model", created: CREATED, owned_by: "openai-standin" };
}

export function listModels(): Response {
  return jsonResponse({ object: "list", data: MODEL_IDS.map(model) });
}

export function getModel(id: string): Response {
  if (!MODEL_IDS.includes(id)) {
    return openAIError(404, `The model '${id}' does not exist or you do not have access to it.`, {
      code: "model_not_found",
    });
  }
  return jsonResponse(model(id));
}
