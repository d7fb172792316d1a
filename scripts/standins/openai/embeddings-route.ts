// POST /v1/embeddings: OpenAI's list/embedding envelope around the hashed vectors from embeddings.ts, plus
// the failure injection scripted with `endpoint: "embeddings"`.
import type { StandinContext } from "./context";
import { embedText, toBase64Float32, tokenizeWords } from "./embeddings";
import { clientGone, scriptedError } from "./errors";
import { isRecord, jsonResponse, openAIError, readJson, sleep, waitForAbort } from "./http";

const DEFAULT_EMBEDDING_MODEL = "text-embedding-3-small";

// Token-id inputs have no text to match scripts on; their ids are embedded as words, which is still stable.
function inputTexts(input: unknown): string[] | undefined {
  if (typeof input === "string") return [input];
  if (!Array.isArray(input) || input.length === 0) return undefined;
  if (input.every((item) => typeof item === "number")) return [input.join(" ")];
  if (input.every((item) => typeof item === "string")) return input;
  if (input.every((item) => Array.isArray(item) && item.every((n) => typeof n === "number"))) {
    return input.map((item: number[]) => item.join(" "));
  }
  return undefined;
}

export async function handleEmbeddings(httpReq: Request, ctx: StandinContext): Promise<Response> {
  const json = await readJson(httpReq);
  if (!json.ok) return openAIError(400, "We could not parse the JSON body of your request.");
  const body = json.value;
  if (!isRecord(body)) return openAIError(400, "The request body must be a JSON object.");
  if (body.input === undefined) {
    return openAIError(400, "Missing required parameter: 'input'.", { param: "input" });
  }
  const texts = inputTexts(body.input);
  // Real OpenAI rejects empty strings too; failing the same way surfaces the same backend bugs.
  if (texts === undefined || texts.some((t) => t === "")) {
    return openAIError(400, "'$.input' is invalid. Please check the API reference.", { param: "input" });
  }
  const dimensions = body.dimensions ?? ctx.embeddingDimensions;
  if (
    typeof dimensions !== "number" ||
    !Number.isInteger(dimensions) ||
    dimensions < 1 ||
    dimensions > 8192
  ) {
    return openAIError(400, "Invalid 'dimensions': expected an integer between 1 and 8192.", {
      param: "dimensions",
    });
  }
  const encoding = body.encoding_format ?? "float";
  if (encoding !== "float" && encoding !== "base64") {
    return openAIError(400, "Invalid 'encoding_format': expected 'float' or 'base64'.", {
      param: "encoding_format",
    });
  }
  const model = typeof body.model === "string" && body.model !== "" ? body.model : DEFAULT_EMBEDDING_MODEL;

  ctx.recorder.record({
    endpoint: "embeddings",
    model,
    lastUserMessage: texts[0] ?? "",
    tools: [],
    stream: false,
  });
  const scripted = ctx.scripts.takeEmbeddings(texts);
  if (scripted !== undefined) {
    ctx.recorder.recordMatch(scripted.match);
    const reply = scripted.reply;
    const signal = AbortSignal.any([httpReq.signal, ctx.shutdown]);
    if (reply.delayMs !== undefined && !(await sleep(reply.delayMs, signal))) return clientGone();
    if ("hang" in reply) {
      await waitForAbort(signal);
      return clientGone();
    }
    if ("error" in reply) return scriptedError(reply.error);
  }

  const promptTokens = texts.reduce((n, t) => n + tokenizeWords(t).length, 0);
  return jsonResponse({
    object: "list",
    data: texts.map((text, index) => {
      const vector = embedText(text, dimensions);
      return {
        object: "embedding",
        index,
        embedding: encoding === "base64" ? toBase64Float32(vector) : vector,
      };
    }),
    model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  });
}
