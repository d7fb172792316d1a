// The console is served by the api itself, bundled by Bun's HTML imports: from source outside
// production, from the compiled binary, and never in production (the page and its assets are 404).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type LiveApi, startLiveApi } from "../support/live-api";
import { freePort, ROOT, spawnHilo, stackEnv } from "../support/processes";

/** The hashed asset paths the page links (`/chunk-<hash>.js`, `.css`). */
function assetPaths(html: string): string[] {
  return [...html.matchAll(/(?:src|href)="(\/[^"]+\.(?:js|css))"/g)].map((match) => match[1] ?? "");
}

async function expectConsoleServed(baseUrl: string): Promise<string[]> {
  const page = await fetch(`${baseUrl}/console`);
  expect(page.status).toBe(200);
  expect(page.headers.get("content-type")).toStartWith("text/html");
  const html = await page.text();
  expect(html).toContain("<title>Ask Hilo console</title>");
  expect(html).toContain('data-testid="login-form"');
  // Bundled: the page links built assets, not its TypeScript source.
  expect(html).not.toContain("main.ts");
  const assets = assetPaths(html);
  expect(assets.some((path) => path.endsWith(".js"))).toBe(true);
  expect(assets.some((path) => path.endsWith(".css"))).toBe(true);
  for (const path of assets) {
    const asset = await fetch(`${baseUrl}${path}`);
    expect(asset.status).toBe(200);
    const body = await asset.text();
    if (path.endsWith(".js")) {
      expect(asset.headers.get("content-type")).toContain("javascript");
      // The client modules are in the bundle, TypeScript stripped.
      expect(body).toContain("/dev/login");
      expect(body).not.toContain(": ActingUser");
    } else {
      expect(asset.headers.get("content-type")).toContain("text/css");
    }
  }
  return assets;
}

let development: LiveApi;
let production: LiveApi;

beforeAll(async () => {
  development = await startLiveApi({ HILO_ENV: "test" });
  production = await startLiveApi({
    HILO_ENV: "production",
    // Production refuses the development OpenAI key; the stand-in accepts any.
    OPENAI_API_KEY: "sk-console-serving-test-key",
    HILO_DEV_JWT_SECRET: "console-serving-test-secret-0123456789abcdef",
  });
});

afterAll(async () => {
  await development?.stop();
  await production?.stop();
});

describe("/console", () => {
  test("outside production the api serves the bundled page and its assets", async () => {
    await expectConsoleServed(development.url);
  });

  test("with HILO_ENV=production the page and every asset it links are the JSON 404 of an unknown route", async () => {
    const assets = assetPaths(await (await fetch(`${development.url}/console`)).text());
    expect(assets.length).toBeGreaterThan(0);
    for (const path of ["/console", "/console/", "/console.html", "/console/index.html", ...assets]) {
      const response = await fetch(`${production.url}${path}`);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      expect(response.headers.get("content-type")).toStartWith("application/json");
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("not_found");
    }
  });
});

describe("/console from the compiled binary", () => {
  const outDir = mkdtempSync(join(tmpdir(), "hilo-console-bin-"));
  const binary = join(outDir, "hilo");

  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  test("dist/hilo carries the bundled page: served outside production, 404 in production", async () => {
    // Built exactly as `bun run build` builds the release binary, only elsewhere.
    const pkg = (await Bun.file(join(ROOT, "package.json")).json()) as { scripts: { build: string } };
    const args = pkg.scripts.build.split(/\s+/).map((arg) => (arg === "dist/hilo" ? binary : arg));
    if (!args.includes(binary)) throw new Error("the build script no longer writes dist/hilo");
    const build = Bun.spawnSync(args, { cwd: ROOT });
    if (build.exitCode !== 0) throw new Error(`build failed: ${build.stderr.toString()}`);

    for (const env of ["test", "production"] as const) {
      const port = await freePort();
      const api = spawnHilo(
        ["api"],
        stackEnv({
          HILO_ENV: env,
          HOST: "127.0.0.1",
          PORT: String(port),
          OPENAI_API_KEY: "sk-console-serving-test-key",
          HILO_DEV_JWT_SECRET: "console-serving-test-secret-0123456789abcdef",
        }),
        [binary],
      );
      try {
        await api.waitFor('"ready"', 30_000);
        const base = `http://127.0.0.1:${port}`;
        if (env === "test") {
          await expectConsoleServed(base);
        } else {
          expect((await fetch(`${base}/console`)).status).toBe(404);
        }
      } finally {
        api.proc.kill("SIGTERM");
        await api.exited;
      }
    }
  }, 120_000);
});
