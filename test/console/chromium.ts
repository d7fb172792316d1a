// Which Chromium the browser test drives: Debian's `chromium` package, which ./scripts/test installs
// when it runs as root (see `ensure_chromium` there). Playwright never downloads a browser here: it gets
// this executable's path.
//
// Without one: under CI (CI=true) the browser test fails, naming what to install, because a green CI
// must mean the console was tested; on a developer's machine it is skipped with the same message, so
// the rest of the suite still runs for someone who cannot install packages.

export const CHROMIUM_MISSING =
  "Chromium is not installed: the console's browser test needs Debian's `chromium` package " +
  "(`sudo apt-get install chromium`, or run ./scripts/test as root, which installs it); " +
  "HILO_CHROMIUM_PATH may name another Chromium executable";

export function findChromium(): string | null {
  const configured = process.env.HILO_CHROMIUM_PATH;
  if (configured) return configured;
  return Bun.which("chromium") ?? Bun.which("chromium-browser");
}

export const isCi = (): boolean => ["true", "1"].includes((process.env.CI ?? "").toLowerCase());

/** Flags for a browser run as root in a container: no sandbox (it needs user namespaces), no /dev/shm. */
export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"];
