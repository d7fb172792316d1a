// Auth plugin for every /v1 route: shared API key (constant-time) plus the four context headers.
// Identity is owned upstream; once the key matches, X-User-ID is trusted as the acting user.
import { Elysia } from "elysia";
import { readClientContext } from "./client-context";

export function clientAuth(apiKey: string) {
  return new Elysia({ name: "client-auth" }).derive({ as: "scoped" }, ({ request }) => ({
    client: readClientContext((name) => request.headers.get(name), apiKey),
  }));
}
