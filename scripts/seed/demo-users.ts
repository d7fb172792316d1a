/**
 * The demo users of the external `hilo_users` database (dev only), with the watch profile their generated
 * readings follow.
 */
import type { TargetBand } from "../../src/readings/bp-category";
import type { ProfileName } from "./watch-data";

export interface DemoUser {
  userId: string;
  watchId: string;
  firstName: string;
  timezone: string;
  targetBand: TargetBand;
  profile: ProfileName;
}

export const DEMO_ALICE: DemoUser = {
  userId: "demo-alice",
  watchId: "watch-alice-001",
  firstName: "Alice",
  timezone: "America/New_York",
  targetBand: { systolicMin: 90, systolicMax: 130, diastolicMin: 60, diastolicMax: 85 },
  profile: "improving",
};

export const DEMO_BOB: DemoUser = {
  userId: "demo-bob",
  watchId: "watch-bob-001",
  firstName: "Bob",
  timezone: "Europe/London",
  targetBand: { systolicMin: 90, systolicMax: 135, diastolicMin: 60, diastolicMax: 85 },
  profile: "steady",
};

/** The account QA evaluation runs ask their questions as (HILO_QA_USER_ID), with a watch of its own. */
export const DEMO_QA: DemoUser = {
  userId: "qa-eval",
  watchId: "watch-qa-001",
  firstName: "Quinn",
  timezone: "Europe/Berlin",
  targetBand: { systolicMin: 90, systolicMax: 135, diastolicMin: 60, diastolicMax: 85 },
  profile: "steady",
};

export const DEMO_USERS: readonly DemoUser[] = [DEMO_ALICE, DEMO_BOB, DEMO_QA];
