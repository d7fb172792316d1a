// Layer 3: the regex check of an assistant answer, with the clinician-redirect exemption.
import { describe, expect, test } from "bun:test";
import { checkAssistantAnswer, LAYER3_CORRECTION, type Layer3Category } from "../../src/safety/index";

describe("checkAssistantAnswer flags", () => {
  const cases: { text: string; categories: Layer3Category[] }[] = [
    {
      text: "You should take 10mg of amlodipine in the morning.",
      categories: ["prescription", "dosage_advice"],
    },
    { text: "Take 25mg of losartan twice daily.", categories: ["prescription", "dosage_advice"] },
    { text: "The usual dose of amlodipine is 5mg once a day.", categories: ["dosage_advice"] },
    { text: "Try stopping your metoprolol for a few days.", categories: ["prescription"] },
    { text: "You don't need your medication anymore.", categories: ["prescription"] },
    { text: "Based on these readings, you have hypertension.", categories: ["diagnosis"] },
    { text: "You might have sleep apnea.", categories: ["diagnosis"] },
    { text: "Your symptoms sound like hypertension.", categories: ["diagnosis"] },
    { text: "You are hypertensive.", categories: ["bp_category"] },
    { text: "You're in stage 2 hypertension.", categories: ["bp_category"] },
    { text: "This puts you in the Hypertension 1 category.", categories: ["bp_category"] },
  ];
  for (const { text, categories } of cases) {
    test(JSON.stringify(text), () => {
      const verdict = checkAssistantAnswer(text);
      expect(verdict.verdict).toBe("flag");
      expect([...verdict.categories].sort()).toEqual([...categories].sort());
      expect(verdict.correction).toBe(LAYER3_CORRECTION);
    });
  }
});

describe("checkAssistantAnswer passes", () => {
  const passes = [
    "This reading falls in the High-Normal range.",
    "Your 7-day average is 131/84, in the High-Normal category.",
    "Your average this week was 128/82, which falls in the Normal range.",
    "Hypertension stage 1 means readings between 140/90 and 159/99.",
    "You have 3 readings above 140/90 this week.",
    "You have high blood pressure readings on most mornings.",
    "You should take your blood pressure at the same time each morning.",
    "Your readings have improved since you started amlodipine in March.",
    "You logged 20mg of lisinopril this morning.",
    "You're in the normal range this week.",
    "A reading of 180/120 or higher with symptoms needs emergency care, so call 911.",
  ];
  for (const text of passes) {
    test(JSON.stringify(text), () => {
      expect(checkAssistantAnswer(text)).toEqual({ layer: 3, verdict: "pass", categories: [] });
    });
  }
});

describe("a sentence that sends the user to a clinician is exempt", () => {
  const exempt = [
    "Please talk to your doctor before you stop taking lisinopril.",
    "Your doctor can tell you whether you should take 10mg or 20mg.",
    "Ask your pharmacist whether you can take ibuprofen with lisinopril.",
    "Talk to your doctor about whether you have hypertension.",
  ];
  for (const text of exempt) {
    test(JSON.stringify(text), () => expect(checkAssistantAnswer(text).verdict).toBe("pass"));
  }

  test("only that sentence: another one in the same answer is still checked", () => {
    const verdict = checkAssistantAnswer("Talk to your doctor about it. You should stop your amlodipine.");
    expect(verdict.verdict).toBe("flag");
    expect(verdict.categories).toEqual(["prescription"]);
  });
});

describe("checkAssistantAnswer flags instructions without 'I recommend' and labels stated as fact", () => {
  const cases: { text: string; category: Layer3Category }[] = [
    { text: "Take it in the evening instead of the morning.", category: "prescription" },
    { text: "Just cut the tablet in half for the next week.", category: "prescription" },
    { text: "If you miss a dose, take two the next day.", category: "prescription" },
    { text: "You can double up tomorrow to make up for it.", category: "prescription" },
    { text: "Skip it on days when your pressure is below 110.", category: "prescription" },
    { text: "Move your amlodipine to bedtime.", category: "prescription" },
    { text: "This is atrial fibrillation.", category: "diagnosis" },
    { text: "You've got high blood pressure.", category: "diagnosis" },
    { text: "Tómela por la noche en lugar de por la mañana.", category: "prescription" },
    { text: "Usted tiene hipertensión de grado 2.", category: "diagnosis" },
    { text: "Teilen Sie die Tablette einfach in zwei Hälften.", category: "prescription" },
    { text: "Das ist Vorhofflimmern.", category: "diagnosis" },
    { text: "Si vous oubliez une prise, prenez-en deux le lendemain.", category: "prescription" },
    { text: "C'est une fibrillation auriculaire.", category: "diagnosis" },
  ];
  for (const { text, category } of cases) {
    test(JSON.stringify(text), () => expect(checkAssistantAnswer(text).categories).toContain(category));
  }
});

describe("checkAssistantAnswer keeps passing redirects, measuring and readings", () => {
  const passes = [
    "Talk to your doctor about whether to take it in the evening.",
    "Ask your pharmacist whether the tablet can be cut in half.",
    "Take it easy this evening and re-measure tomorrow morning.",
    "This reading is in the Stage 2 range, so re-measure after five minutes of rest.",
    "Hable con su médico sobre si conviene tomarla por la noche.",
    "Tome la tensión siempre a la misma hora.",
    "Bitte sprechen Sie mit Ihrem Arzt, bevor Sie die Tablette abends nehmen.",
    "Parlez-en à votre médecin avant de prendre le comprimé le soir.",
  ];
  for (const text of passes) {
    test(JSON.stringify(text), () => expect(checkAssistantAnswer(text).verdict).toBe("pass"));
  }
});

describe("the correction is written in the answer's language", () => {
  test("Spanish", () => {
    expect(checkAssistantAnswer("Deje de tomar el enalapril unos días.").correction).toContain("consulta");
  });
  test("German", () => {
    expect(checkAssistantAnswer("Setzen Sie das Bisoprolol für ein paar Tage ab.").correction).toContain(
      "Arzt",
    );
  });
  test("French", () => {
    expect(checkAssistantAnswer("Arrêtez le bisoprolol quelques jours.").correction).toContain("médecin");
  });
});
