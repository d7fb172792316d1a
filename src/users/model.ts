// Response schema of the users routes: the contract the mobile apps build against.
import { z } from "zod";

const range = z.object({ min: z.number(), max: z.number() });

export const profileSchema = z.object({
  user_id: z.string(),
  watch_id: z.string(),
  first_name: z.string(),
  timezone: z.string(),
  bp_target: z.object({ systolic: range, diastolic: range }),
});
