// Layer 1 emergency screen: what triggers crisis guidance, and which negations and past tenses
// cancel a symptom (self-harm is never cancelled).
import { describe, expect, test } from "bun:test";
import { detectEmergency, type EmergencyCategory } from "../../src/safety/index";

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

describe("detectEmergency in Spanish, German and French", () => {
  const cases: { text: string; category: EmergencyCategory }[] = [
    { text: "Me duele mucho el pecho y me falta el aire", category: "emergency_chest_pain" },
    {
      text: "A mi madre se le ha caído un lado de la cara y arrastra las palabras",
      category: "emergency_stroke",
    },
    { text: "No quiero seguir viviendo", category: "emergency_self_harm" },
    { text: "Me he tomado todas las pastillas de la tensión de golpe", category: "emergency_overdose" },
    { text: "Mi abuela se ha desmayado y no responde", category: "emergency_fainting" },
    { text: "Tengo la tensión a 19/12 y un dolor de cabeza terrible", category: "emergency_crisis_reading" },
    { text: "Ich habe starke Schmerzen in der Brust", category: "emergency_chest_pain" },
    { text: "Mein Mann redet plötzlich verwaschen und sein Mundwinkel hängt", category: "emergency_stroke" },
    { text: "Ich will nicht mehr leben", category: "emergency_self_harm" },
    { text: "Ich habe eine ganze Packung Ramipril geschluckt", category: "emergency_overdose" },
    { text: "Ich kriege keine Luft mehr", category: "emergency_breathing" },
    { text: "J'ai une douleur dans la poitrine", category: "emergency_chest_pain" },
    { text: "Mon mari a la bouche de travers et il parle bizarrement", category: "emergency_stroke" },
    { text: "Je ne veux plus vivre", category: "emergency_self_harm" },
    { text: "J'ai pris tout le pilulier de la semaine en une fois", category: "emergency_overdose" },
    { text: "Mon père a perdu connaissance", category: "emergency_fainting" },
  ];
  for (const { text, category } of cases) {
    test(`${category} in ${JSON.stringify(text)}`, () => expect(detectEmergency(text)).toContain(category));
  }
});

describe("overdoses: many tablets, whole containers, three times the dose or more", () => {
  const emergencies = [
    "I swallowed my whole week's pill organiser this morning",
    "My husband has taken something like 30 of his sleeping tablets",
    "I accidentally took a triple dose of metoprolol",
    "Took 200mg of losartan instead of 50mg",
    "I emptied the bottle of my blood pressure tablets into my mouth",
  ];
  for (const text of emergencies) {
    test(JSON.stringify(text), () => expect(detectEmergency(text)).toContain("emergency_overdose"));
  }
});

describe("a dose logged at a time is not an overdose", () => {
  const passes = [
    "I took my normal 5 mg dose at 8am",
    "I took 20 mg lisinopril at 07:30",
    "Took my 2 tablets at 7:15 with breakfast",
    "I took 10 mg instead of 5 mg as my doctor told me",
    "I took four readings this morning",
    "I feel odd after the new firmware",
    "Tomo cuatro pastillas al día",
    "Ich nehme morgens 5 mg Amlodipin",
    "J'ai pris mon comprimé de 5 mg à 8 h",
  ];
  for (const text of passes) {
    test(JSON.stringify(text), () => expect(detectEmergency(text)).toEqual([]));
  }
});

describe("negations and distant pasts in Spanish, German and French", () => {
  const passes = [
    "No tengo dolor en el pecho",
    "Mi abuelo tuvo un infarto hace diez años",
    "Keine Brustschmerzen, nur eine Frage",
    "Pas de douleur dans la poitrine",
    "Je n'ai plus mal à la poitrine",
    "Hoy he nadado 30 largos a braza",
    "Ich bin 1.500 m Brustschwimmen geschwommen",
  ];
  for (const text of passes) {
    test(JSON.stringify(text), () => expect(detectEmergency(text)).toEqual([]));
  }

  test("self-harm is never cancelled, in any language", () => {
    expect(detectEmergency("No es que quiera suicidarme")).toContain("emergency_self_harm");
  });
});

describe("every language's rules read every message", () => {
  test("a long English diary ending in a Spanish emergency is caught", () => {
    const diary = "Monday 128/82 at 07:30, took my amlodipine, walked 4,000 steps. ".repeat(60);
    expect(detectEmergency(`${diary} Ahora me duele mucho el pecho y me falta el aire`)).toContain(
      "emergency_chest_pain",
    );
  });
});
