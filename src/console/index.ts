// The internal console (issue 17): one HTML page and its client modules, bundled by Bun's HTML imports.
// `bun build --compile` bundles the page into the binary at build time; `bun src/main.ts api` bundles it
// on the first request. Either way the api serves it from the same process: no second server, no CDN.
//
// Bun serves an HTML import only through `Bun.serve`'s `routes`, and itself adds the routes of the page's
// hashed assets (`/chunk-<hash>.js`, `.css`). Those routes answer before Elysia sees the request, so none
// of the app's hooks (address limit, body limit) run for them: acceptable for static files of a page that
// exists only outside production. In production nothing is registered, so the page and its assets fall
// through to the app's JSON 404.
import type { HTMLBundle } from "bun";
import type { Config } from "../config";
import consolePage from "./console.html";

export const CONSOLE_PATH = "/console";

/** The `Bun.serve` routes of the console: none in production. */
export function consoleRoutes(config: Pick<Config, "HILO_ENV">): Record<string, HTMLBundle> {
  if (config.HILO_ENV === "production") return {};
  return { [CONSOLE_PATH]: consolePage };
}
