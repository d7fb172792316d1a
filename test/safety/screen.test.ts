// Layer 1 as the turn's first step: the text that may be stored, the canned reply that replaces the
// model, and the audit rows, for each kind of message.
import { describe, expect, test } from "bun:test";
import { screenMessage } from "../../src/safety/screen";

describe("screenMessage", () => {
  test("a plain question passes to the agent untouched, with nothing to audit", () => {
    expect(
      screenMessage("How was my blood pressure this week? 128/82 on Monday", { timezone: "Europe/London" }),
    ).toEqual({
      text: "How was my blood pressure this week? 128/82 on Monday",
      cannedReply: null,
      audit: [],
    });
  });

  test("personal information is redacted and audited, and the agent still answers", () => {
    const screening = screenMessage("my number is +44 7700 900123, how did I sleep?", {
      timezone: "Europe/London",
    });
    expect(screening.text).not.toContain("7700");
    expect(screening.cannedReply).toBeNull();
    expect(screening.audit).toEqual([{ layer: 1, category: "pii_phone", action: "redacted" }]);
  });

  test("an emergency gets crisis guidance for the zone's country instead of the model", () => {
    const screening = screenMessage("crushing chest pain and I can't breathe", {
      timezone: "America/New_York",
    });
    expect(screening.cannedReply).toContain("911");
    expect(screening.audit.every((row) => row.layer === 1 && row.action === "crisis_reply")).toBe(true);
  });

  test("a dose question is declined without the model", () => {
    const screening = screenMessage("Should I double my lisinopril dose tonight?", {
      timezone: "Europe/London",
    });
    expect(screening.cannedReply).not.toBeNull();
    expect(screening.audit.map((row) => row.action)).toContain("declined");
  });
});
