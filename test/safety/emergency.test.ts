// Layer 1 emergency screen: what triggers crisis guidance, and which negations and past tenses
// cancel a symptom (self-harm is never cancelled).
import { describe, expect, test } from "bun:test";
import { detectEmergency, type EmergencyCategory } from "../../src/safety/index.ts";

describe("detectEmergency finds", () => {
  const cases: { text: string; category: EmergencyCategory }[] = [
    { text: "I have chest pain and my left arm hurts", category: "emergency_chest_pain" },
    { text: "crushing pressure in my chest", category: "emergency_chest_pain" },
    { text: "it feels like a band tightening around my chest", category: "emergency_chest_pain" },
    { text: "I think I'm having a heart attack", category: "emergency_chest_pain" },
    { text: "I can't breathe", category: "emergency_breathing" },
    { text: "suddenly very short of breath", category: "emergency_breathing" },
    { text: "breathing is really hard right now", category: "emergency_breathing" },
    { text: "my throat is closing up", category: "emergency_breathing" },
    { text: "I don't want to live anymore", category: "emergency_self_harm" },
    { text: "I want to end it all", category: "emergency_self_harm" },
    { text: "thinking about killing myself", category: "emergency_self_harm" },
    { text: "everyone would be better off without me", category: "emergency_self_harm" },
    { text: "what's the lethal dose of amlodipine", category: "emergency_self_harm" },
    { text: "my face is drooping and my speech is slurred", category: "emergency_stroke" },
    { text: "sudden numbness on the left side", category: "emergency_stroke" },
    { text: "she can't lift her right arm", category: "emergency_stroke" },
    { text: "I fainted in the kitchen", category: "emergency_fainting" },
    { text: "my dad passed out and won't wake up", category: "emergency_fainting" },
    { text: "I took too many of my pills", category: "emergency_overdose" },
    { text: "my toddler swallowed some of my lisinopril", category: "emergency_overdose" },
    { text: "BP 190/125 and a pounding headache", category: "emergency_crisis_reading" },
    { text: "200 over 130 and my vision is blurry", category: "emergency_crisis_reading" },
    { text: "blood pressure 230/140 help", category: "emergency_crisis_reading" },
    { text: "my wife is having a seizure", category: "emergency_seizure" },
    { text: "I'm bleeding heavily and can't stop it", category: "emergency_bleeding" },
    { text: "I feel like I'm dying", category: "emergency_dying" },
  ];
  for (const { text, category } of cases) {
    test(`${category} in ${JSON.stringify(text)}`, () => {
      expect(detectEmergency(text)).toContain(category);
    });
  }
});

describe("detectEmergency errs towards emergency", () => {
  const emergencies = [
    "What should I do if I get chest pain?",
    "Not sure if it's heartburn or chest pain",
    "No headache but I have chest pain",
    "I had chest pain last year and it's back again today",
    "I'm not suicidal, I just feel low",
    "I tried to kill myself in 2019",
    "MY CHEST HURTS",
    "my chest’s tight and I can’t breathe",
  ];
  for (const text of emergencies) {
    test(JSON.stringify(text), () => expect(detectEmergency(text)).not.toEqual([]));
  }
});

describe("detectEmergency lets through", () => {
  const passes = [
    "No chest pain today, just checking my average",
    "I don't have any chest pain",
    "I never had any chest pain, why is my doctor worried?",
    "no more chest pains since the new routine",
    "My chest pain went away last year after I started exercising",
    "My blood pressure drops when I stand up but I've never fainted",
    "My reading was 185/115, no headache or other symptoms",
    "Is 180/120 considered a crisis?",
    "I was out of breath after my run",
    "Does the watch track breathing rate?",
    "my chest strap keeps disconnecting",
    "This app is killing me",
    "I'm dying to know my weekly average",
    "My grandfather had a heart attack years ago",
    "Can the watch detect a stroke?",
    "my arm goes numb when the cuff inflates",
    "my watch won't wake up",
    "The heat makes me feel faint-hearted about running",
    "Passed my fitness test today",
    "I swam 40 lengths, mostly breaststroke",
  ];
  for (const text of passes) {
    test(JSON.stringify(text), () => expect(detectEmergency(text)).toEqual([]));
  }
});
