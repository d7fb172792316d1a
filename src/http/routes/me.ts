// GET /v1/me: the acting user's profile as the assistant sees it (from the Hilo User DB).
import { Elysia } from "elysia";
import { z } from "zod";
import { notFound } from "../../errors";
import type { UsersDbClient } from "../../infra/users-db";
import { readUserProfile } from "../../users/profile";
import { clientAuth } from "../auth";
import { v1Operation } from "../openapi-contract";

const range = z.object({ min: z.number(), max: z.number() });
const profileSchema = z.object({
  user_id: z.string(),
  watch_id: z.string(),
  first_name: z.string(),
  timezone: z.string(),
  bp_target: z.object({ systolic: range, diastolic: range }),
});

export function meRoutes(apiKey: string, usersDb: UsersDbClient) {
  return new Elysia().use(clientAuth(apiKey)).get(
    "/v1/me",
    async ({ client }) => {
      const profile = await readUserProfile(usersDb, client.userId);
      if (!profile) throw notFound("user profile");
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
