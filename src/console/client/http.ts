// The console's one way to call the api: the dev login's token and the acting demo user become headers
// here and nowhere else, and every error answer becomes an ApiError carrying the API's own code.
//
// /v1 is reached through the dev proxy (`/dev/v1/<path>`, src/dev/routes.ts): the page sends the /v1
// context headers and its Bearer token, the server adds the API key, so the key never reaches a browser.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Whatever else the error carried, e.g. every bad line of a refused CSV. */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Who the console acts as on /v1: the demo user picked in the page. */
export interface ActingUser {
  userId: string;
  timezone: string;
}

export interface ConsoleSession {
  token: string;
  username: string;
  /** Epoch milliseconds, or null when the login did not say. */
  expiresAt: number | null;
}

const APP_VERSION = "0.0.0-console";

export class ConsoleApi {
  constructor(
    /** Replaced when the user signs in again after the token expired. */
    public session: ConsoleSession,
    private readonly onUnauthorized: () => void,
  ) {}

  /** A /v1 request (`path` starts with `/v1/`) on behalf of `user`, through the dev proxy. */
  v1(user: ActingUser, path: string, init: RequestInit = {}): Promise<Response> {
    if (!path.startsWith("/v1/")) throw new Error(`not a /v1 path: ${path}`);
    const headers = {
      "x-user-id": user.userId,
      "x-timezone": user.timezone,
      "x-platform": "web",
      "x-app-version": APP_VERSION,
      ...headerRecord(init.headers),
    };
    return this.dev(`/dev${path}`, { ...init, headers });
  }

  /** A /dev request with the console's token. */
  dev(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = { ...headerRecord(init.headers), authorization: `Bearer ${this.session.token}` };
    return this.send(path, init, headers);
  }

  async v1Json<T>(user: ActingUser, path: string, init: RequestInit = {}): Promise<T> {
    return (await expectOk(await this.v1(user, path, init))).json() as Promise<T>;
  }

  async devJson<T>(path: string, init: RequestInit = {}): Promise<T> {
    return (await expectOk(await this.dev(path, init))).json() as Promise<T>;
  }

  private async send(path: string, init: RequestInit, headers: Record<string, string>): Promise<Response> {
    const response = await fetch(path, { ...init, headers });
    // An expired or revoked token: back to the sign-in form rather than a page of errors.
    if (response.status === 401) this.onUnauthorized();
    return response;
  }
}

function headerRecord(headers: HeadersInit | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  new Headers(headers).forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

/** The response when it is 2xx; otherwise the API's `{error: {code, message}}` as an ApiError. */
export async function expectOk(response: Response): Promise<Response> {
  if (response.ok) return response;
  throw await errorOf(response);
}

export async function errorOf(response: Response): Promise<ApiError> {
  const body = await response.text();
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown; problems?: unknown } };
    const code = typeof parsed.error?.code === "string" ? parsed.error.code : `http_${response.status}`;
    const message = typeof parsed.error?.message === "string" ? parsed.error.message : body;
    return new ApiError(response.status, code, message, parsed.error?.problems);
  } catch {
    // Not the API's JSON error (a proxy's page, an empty 404 from Bun): keep the status and the text.
    return new ApiError(
      response.status,
      `http_${response.status}`,
      body.slice(0, 300) || response.statusText,
    );
  }
}

/** The message to show for anything a request threw. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return `${error.code} (${error.status}): ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}
