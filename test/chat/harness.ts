// What the chat tests share: a real app on the local stack, a fresh user with a session, and sends.
import { randomUUID } from "node:crypto";
import { buildTestApp, clientHeaders, newUserId, type TestApp } from "../support/stack";

export interface ChatUser {
  userId: string;
  sessionId: string;
}

export async function openSession(app: TestApp, userId = newUserId("chat")): Promise<ChatUser> {
  const response = await app.request("/v1/sessions", { method: "POST", headers: clientHeaders(userId) });
  if (response.status !== 201)
    throw new Error(`session not created: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { session_id: string };
  return { userId, sessionId: body.session_id };
}

export function newIdempotencyKey(): string {
  return `key-${randomUUID()}`;
}

export function send(
  app: TestApp,
  user: ChatUser,
  message: string,
  options: { key?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  return app.request(`/v1/sessions/${user.sessionId}/messages`, {
    method: "POST",
    headers: {
      ...clientHeaders(user.userId),
      "content-type": "application/json",
      "idempotency-key": options.key ?? newIdempotencyKey(),
      ...options.headers,
    },
    body: JSON.stringify({ message }),
  });
}

export type { TestApp };
export { buildTestApp, clientHeaders, newUserId };
