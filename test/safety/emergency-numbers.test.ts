// Emergency numbers chosen from the user's time zone, with a generic fallback.
import { describe, expect, test } from "bun:test";
import { countryForTimezone, emergencyContactsFor, screenUserMessage } from "../../src/safety/index";
import { emergencyReply } from "../../src/safety/replies";

describe("countryForTimezone", () => {
  const cases: [string | undefined, string | undefined][] = [
    ["America/New_York", "US"],
    ["America/Los_Angeles", "US"],
    ["America/Indiana/Indianapolis", "US"],
    ["Pacific/Honolulu", "US"],
    ["US/Eastern", "US"],
    ["America/Toronto", "CA"],
    ["America/Sao_Paulo", "BR"],
    ["Europe/London", "GB"],
    ["Europe/Dublin", "IE"],
    ["Europe/Paris", "FR"],
    ["Europe/Berlin", "DE"],
    ["Europe/Rome", "IT"],
    ["Australia/Sydney", "AU"],
    ["Australia/Perth", "AU"],
    ["Asia/Kolkata", "IN"],
    ["Pacific/Auckland", "NZ"],
    ["America/Argentina/Buenos_Aires", undefined],
    ["Etc/UTC", undefined],
    ["Not/AZone", undefined],
    [undefined, undefined],
  ];
  for (const [zone, country] of cases) {
    test(`${zone} -> ${country}`, () => expect(countryForTimezone(zone)).toBe(country));
  }
});

describe("emergencyContactsFor", () => {
  test("the US gets 911, 988 by call or text, and poison help", () => {
    const contacts = emergencyContactsFor("America/Chicago");
    expect(contacts.emergencyNumbers).toEqual(["911"]);
    expect(contacts.crisisLine).toMatchObject({ numbers: ["988"], text: true });
    expect(contacts.poisonLine?.number).toBe("1-800-222-1222");
  });

  test("the UK gets 999 and Samaritans 116 123, free", () => {
    const contacts = emergencyContactsFor("Europe/London");
    expect(contacts.emergencyNumbers).toEqual(["999"]);
    expect(contacts.crisisLine).toEqual({ numbers: ["116 123"], name: "Samaritans", free: true });
  });

  test("an EU zone gets 112", () =>
    expect(emergencyContactsFor("Europe/Vienna").emergencyNumbers).toEqual(["112"]));

  test("Australia gets 000 and Lifeline 13 11 14", () => {
    const contacts = emergencyContactsFor("Australia/Melbourne");
    expect(contacts.emergencyNumbers).toEqual(["000"]);
    expect(contacts.crisisLine?.numbers).toEqual(["13 11 14"]);
  });

  test("an unknown zone gets no number at all", () => {
    expect(emergencyContactsFor("Etc/UTC")).toEqual({
      country: undefined,
      emergencyNumbers: [],
      crisisLine: undefined,
      poisonLine: undefined,
    });
  });
});

describe("the emergency reply", () => {
  test("leads with the crisis line for self-harm and still names the emergency number", () => {
    const reply = emergencyReply(["emergency_self_harm"], emergencyContactsFor("America/New_York"));
    expect(reply).toContain("988");
    expect(reply).toContain("call 911");
  });

  test("names the emergency number for a medical emergency", () => {
    const reply = emergencyReply(["emergency_chest_pain"], emergencyContactsFor("Europe/London"));
    expect(reply).toContain("call 999");
    expect(reply).not.toContain("116 123");
  });

  test("adds poison help for an overdose where one is listed", () => {
    expect(emergencyReply(["emergency_overdose"], emergencyContactsFor("America/Denver"))).toContain(
      "1-800-222-1222",
    );
  });

  test("falls back to generic wording without a known zone", () => {
    const reply = emergencyReply(
      ["emergency_self_harm", "emergency_breathing"],
      emergencyContactsFor(undefined),
    );
    expect(reply).toContain("your local emergency number");
    expect(reply).toContain("local crisis line");
    expect(reply).not.toMatch(/\b(?:911|999|112|988)\b/);
  });

  test("the UK crisis line reads as a sentence", () => {
    expect(emergencyReply(["emergency_self_harm"], emergencyContactsFor("Europe/London"))).toContain(
      "please call 116 123 (Samaritans, free), any time, day or night.",
    );
  });

  test("screenUserMessage picks the numbers from the timezone option", () => {
    expect(screenUserMessage("I can't breathe", { timezone: "Australia/Sydney" }).reply).toContain(
      "call 000",
    );
    expect(screenUserMessage("I can't breathe", { timezone: "Europe/Madrid" }).reply).toContain("call 112");
  });
});
