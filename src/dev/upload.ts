// The body of POST /dev/qa-runs: a CSV file, sent as the raw body (text/csv) or as the `file` field of
// a multipart form. It is the one body the API takes that is not JSON and not small, so src/app.ts
// reads it through here, with its own cap, and only outside production.
import { invalidRequest } from "../errors";
import { readRawBody } from "../http/body";

/** A 10,000-question file of long questions; the body is held in memory once, on a dev api only. */
export const QA_UPLOAD_MAX_BYTES = 8 * 1024 * 1024;
export const QA_UPLOAD_PATH = "/dev/qa-runs";
const CSV_TYPES = new Set(["text/csv", "text/plain", "application/csv", "application/octet-stream"]);

export interface QaUpload {
  readonly csv: string;
  readonly filename: string | null;
}

export function isQaUpload(request: Request): boolean {
  return request.method === "POST" && URL.parse(request.url)?.pathname === QA_UPLOAD_PATH;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Reads and decodes the upload, stopping at the cap. Throws the AppError to answer. */
export async function readQaUpload(request: Request, maxBytes = QA_UPLOAD_MAX_BYTES): Promise<QaUpload> {
  // The multipart boundary is case-sensitive: only the media type is compared without case.
  const contentType = request.headers.get("content-type") ?? "";
  const mediaType = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  const bytes = await readRawBody(request, maxBytes);
  if (mediaType === "multipart/form-data") {
    const form = await new Response(bytes, { headers: { "content-type": contentType } })
      .formData()
      .catch(() => {
        throw invalidRequest("the multipart body could not be read");
      });
    const file = form.get("file");
    if (file === null) throw invalidRequest("the multipart form has no `file` field");
    if (typeof file === "string") return { csv: file, filename: null };
    return { csv: decode(new Uint8Array(await file.arrayBuffer())), filename: file.name || null };
  }
  if (mediaType === "" || CSV_TYPES.has(mediaType)) {
    return { csv: decode(bytes), filename: request.headers.get("x-filename")?.slice(0, 200) ?? null };
  }
  throw invalidRequest("send the file as text/csv, or as the `file` field of multipart/form-data");
}

function decode(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw invalidRequest("the file is not UTF-8 text");
  }
}
