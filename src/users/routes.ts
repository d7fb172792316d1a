// GET /v1/me: the acting user's profile as the assistant sees it (from the Hilo User DB).
import { Elysia } from "elysia";
import { clientAuth } from "../http/auth";
import { v1Operation } from "../http/openapi-contract";
import type { UsersDbClient } from "../infra/users-db";
import { profileSchema } from "./model";
import { findProfile } from "./service";

export function meRoutes(apiKey: string, usersDb: UsersDbClient) {
  return new Elysia().use(clientAuth(apiKey)).get(
    "/v1/me",
    async ({ client }) => {
      const profile = await findProfile({ ctx: { usersDb, userId: client.userId } });
      return {
        user_id: profile.userId,
        watch_id: profile.watchId,
        first_name: profile.firstName,
        timezone: profile.timezone,
        bp_target: profile.target,
      };
    },
    {
      response: { 200: profileSchema },
      detail: {
        operationId: "getMe",
        summary: "The acting user's profile",
        tags: ["users"],
        ...v1Operation({ errors: [404], responses: { 200: { description: "The profile" } } }),
      },
    },
  );
}
