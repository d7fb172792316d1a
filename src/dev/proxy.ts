// /dev/v1/<path>: the console's way into the /v1 API without holding the API key. The request is
// answered by the app's own /v1 routes, in process, as a copy with the server's key added and the
// console's token removed; the response (an event stream included) is passed back untouched.

/** Never forwarded: the console's credentials, and what the copy recomputes. */
const DROPPED_HEADERS = ["authorization", "x-api-key", "cookie", "host", "content-length"];

export function forwardToV1(
  request: Request,
  parsedBody: unknown,
  apiKey: string,
  handleV1: (request: Request) => Promise<Response>,
): Promise<Response> {
  const url = new URL(request.url);
  url.pathname = url.pathname.replace(/^\/dev\/v1(?=\/|$)/, "/v1");
  const headers = new Headers(request.headers);
  for (const name of DROPPED_HEADERS) headers.delete(name);
  headers.set("x-api-key", apiKey);
  // The app's body reader has read the body already (every /v1 body is JSON): it is sent on as JSON.
  const hasBody = parsedBody !== undefined && request.method !== "GET" && request.method !== "HEAD";
  if (hasBody) headers.set("content-type", "application/json");
  return handleV1(
    new Request(url.href, {
      method: request.method,
      headers,
      body: hasBody ? JSON.stringify(parsedBody) : undefined,
      signal: request.signal,
    }),
  );
}
