// One-letter typos in the key terms are corrected before the rules run; real words and short
// words never are.
import { describe, expect, test } from "bun:test";
import { detectEmergency } from "../../src/safety/index";
import { normaliseForMatching } from "../../src/safety/normalise";
import { correctKeyTermTypos } from "../../src/safety/typos";

const corrected = (text: string) => correctKeyTermTypos(normaliseForMatching(text));

describe("correctKeyTermTypos corrects one edit in a key term", () => {
  const cases: [string, string][] = [
    ["I have chest pian", "i have chest pain"],
    ["chestpain since lunch", "chest pain since lunch"],
    ["I want to commit suicde", "i want to commit suicide"],
    ["overdoze on my pills", "overdose on my pills"],
    ["having a stroek", "having a stroke"],
    ["kil myself", "kill myself"],
    ["kill my self", "kill myself"],
    ["heart atack", "heart attack"],
    ["lisinipril 10mg", "lisinopril 10mg"],
    ["dolor de pexho", "dolor de pecho"],
    ["quiero suicdarme", "quiero suicidarme"],
    ["eine Ueberdosis", "eine uberdosis"],
    ["ein Schlaganfal", "ein schlaganfall"],
    ["une douleur thoraccique", "une douleur thoracique"],
    ["je veux me suisider", "je veux me suicider"],
  ];
  for (const [text, expected] of cases) {
    test(JSON.stringify(text), () => expect(corrected(text)).toBe(expected));
  }
});

describe("correctKeyTermTypos leaves alone", () => {
  const untouched = [
    "I painted the fence",
    "the strike was long",
    "cooking dinner",
    "we passed our exam",
    "my stroke rate in the pool",
    "breaststroke and backstroke",
    "the chest paint was dry",
    "I end my live stream at 9",
    "a faint smell",
    "my pain is a 3 out of 10",
    "tables and tablet",
    "je suis surdoué",
  ];
  for (const text of untouched) {
    test(JSON.stringify(text), () => expect(corrected(text)).toBe(normaliseForMatching(text)));
  }

  test("a text with nothing to correct is returned as the same string", () => {
    const text = normaliseForMatching("my average this week was 128/82");
    expect(correctKeyTermTypos(text)).toBe(text);
  });
});

describe("the emergency screen sees through the typos", () => {
  const emergencies = ["chest pian and sweating", "feeling suicidial tonight", "I think I'm having a stroek"];
  for (const text of emergencies) {
    test(JSON.stringify(text), () => expect(detectEmergency(text)).not.toEqual([]));
  }
  test("but a painted fence is not a fainting", () =>
    expect(detectEmergency("I painted the fence")).toEqual([]));
});
