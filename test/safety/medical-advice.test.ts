// Layer 1 medical-advice screen: requests to decide about a medication, not mentions of one.
import { describe, expect, test } from "bun:test";
import { detectMedicalAdviceRequest, type MedicalAdviceCategory } from "../../src/safety/index";

describe("detectMedicalAdviceRequest finds", () => {
  const cases: { text: string; category: MedicalAdviceCategory }[] = [
    { text: "Should I take 20mg?", category: "medical_advice_dose" },
    { text: "should I take 5 or 10 mg", category: "medical_advice_dose" },
    { text: "Should I increase my amlodipine to 10mg?", category: "medical_advice_dose" },
    { text: "How much losartan should I take?", category: "medical_advice_dose" },
    { text: "What dose of metoprolol is right for me?", category: "medical_advice_dose" },
    { text: "is 50 mg of atenolol too much?", category: "medical_advice_dose" },
    { text: "Would half a tablet be enough?", category: "medical_advice_dose" },
    { text: "Can I stop my lisinopril?", category: "medical_advice_change" },
    { text: "should i skip my amlodipine today", category: "medical_advice_change" },
    { text: "Should I switch from lisinopril to losartan?", category: "medical_advice_change" },
    { text: "I want to stop taking my meds", category: "medical_advice_change" },
    { text: "my doctor put me on ramipril, should I take it at night?", category: "medical_advice_change" },
    { text: "Do I still need to take my hydrochlorothiazide?", category: "medical_advice_change" },
    { text: "When is the best time to take amlodipine?", category: "medical_advice_change" },
    { text: "Should I take magnesium for my blood pressure?", category: "medical_advice_change" },
    { text: "Can I take ibuprofen with my blood pressure medication?", category: "medical_advice_change" },
    { text: "Can I drink alcohol while taking lisinopril?", category: "medical_advice_interaction" },
    { text: "What medication should I take for high blood pressure?", category: "medical_advice_choice" },
    { text: "Which is better for me, amlodipine or lisinopril?", category: "medical_advice_choice" },
    { text: "recommend a blood pressure medication for me", category: "medical_advice_choice" },
  ];
  for (const { text, category } of cases) {
    test(`${category} in ${JSON.stringify(text)}`, () => {
      expect(detectMedicalAdviceRequest(text)).toContain(category);
    });
  }
});

describe("detectMedicalAdviceRequest lets through", () => {
  const passes = [
    "I took my usual 20mg this morning, how's my trend?",
    "I take 20mg lisinopril daily. What was my average BP last week?",
    "Since I started amlodipine in March my readings dropped",
    "My doctor told me to stop the metoprolol, can you compare my readings?",
    "Does the app remind me to take my medication?",
    "Can I stop my medication reminders?",
    "How do I log my medication in the Hilo app?",
    "Remind me to take my pills at 8pm",
    "Should I take my blood pressure before or after breakfast?",
    "Should I take my reading before or after my meds?",
    "Should I take a walk after dinner to lower my BP?",
    "How many steps should I take per day?",
    "Should I increase my step goal to 10000?",
    "What does hypertension stage 1 mean?",
    "Is 128/82 a good reading?",
    "Can I skip today's goal?",
    "Does lisinopril cause a cough?",
  ];
  for (const text of passes) {
    test(JSON.stringify(text), () => expect(detectMedicalAdviceRequest(text)).toEqual([]));
  }
});

describe("detectMedicalAdviceRequest finds requests without a dose word", () => {
  const cases: { text: string; category: MedicalAdviceCategory }[] = [
    { text: "Do my readings mean I have hypertension?", category: "medical_advice_diagnosis" },
    { text: "Which condition do my symptoms point to?", category: "medical_advice_diagnosis" },
    { text: "Can I take a two-week break from my amlodipine?", category: "medical_advice_change" },
    { text: "is it ok to snap my tablets in half?", category: "medical_advice_change" },
    { text: "Can I use my mum's blood pressure pills?", category: "medical_advice_change" },
    { text: "Should I ask for the 2.5 or the 5 mg strength?", category: "medical_advice_choice" },
    { text: "is grapefruit ok with amlodipine?", category: "medical_advice_interaction" },
    { text: "what's the most ibuprofen I can take with my lisinopril?", category: "medical_advice_dose" },
    { text: "¿Puedo partir las pastillas de amlodipino por la mitad?", category: "medical_advice_change" },
    { text: "¿Mis valores significan que tengo hipertensión?", category: "medical_advice_diagnosis" },
    {
      text: "Darf ich Grapefruitsaft trinken, wenn ich Amlodipin nehme?",
      category: "medical_advice_interaction",
    },
    { text: "Kann ich die Tabletten von meiner Frau nehmen?", category: "medical_advice_change" },
    {
      text: "Est-ce que je peux arrêter mon amlodipine pendant les vacances ?",
      category: "medical_advice_change",
    },
    { text: "Ai-je une fibrillation auriculaire ?", category: "medical_advice_diagnosis" },
  ];
  for (const { text, category } of cases) {
    test(`${category} in ${JSON.stringify(text)}`, () =>
      expect(detectMedicalAdviceRequest(text)).toContain(category));
  }
});

describe("detectMedicalAdviceRequest lets through definitions, statements and measuring", () => {
  const passes = [
    "What is atrial fibrillation?",
    "Does hypertension run in families?",
    "My doctor diagnosed me with hypertension in 2019",
    "Can I see my husband's readings if he shares them?",
    "¿Qué significa hipertensión de grado 1?",
    "¿Debo tomarme la tensión antes o después del desayuno?",
    "Soll ich meinen Blutdruck vor oder nach dem Frühstück messen?",
    "Kann ich die Erinnerung für meine Tabletten auf 20 Uhr verschieben?",
    "Dois-je prendre ma tension avant ou après le petit déjeuner ?",
  ];
  for (const text of passes) {
    test(JSON.stringify(text), () => expect(detectMedicalAdviceRequest(text)).toEqual([]));
  }
});
