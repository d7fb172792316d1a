// The canned answers given instead of calling the model, in the user's language. `cannedReply`
// is the one entry: Layer 1 uses it, and so can any other check that reaches the same verdict
// (a model guard mapping its classification onto these replies needs only the verdict, the
// language and the user's zone).

import type { EmergencyCategory } from "./categories";
import { type CrisisLine, type EmergencyContacts, emergencyContactsFor } from "./emergency-numbers";
import type { Language } from "./language";

export type CannedOutcome = "emergency" | "medical_advice" | "injection";

export interface CannedReplyRequest {
  outcome: CannedOutcome;
  language: Language;
  /** The user's IANA zone, for the emergency numbers. */
  timezone?: string;
  /**
   * What was found, when known. For an emergency, the self-harm paragraph is given when
   * "emergency_self_harm" is among them and the medical one for any other emergency category;
   * with no emergency category at all (a classifier that only says "emergency") both are given.
   * A medical-advice verdict whose only category is "medical_advice_diagnosis" gets the diagnosis
   * wording.
   */
  categories?: readonly string[];
}

export function cannedReply({ outcome, language, timezone, categories = [] }: CannedReplyRequest): string {
  if (outcome === "injection") return INJECTION_REPLIES[language];
  if (outcome === "medical_advice") {
    const diagnosisOnly =
      categories.length > 0 &&
      categories
        .filter((category) => category.startsWith("medical_advice_"))
        .every((category) => category === "medical_advice_diagnosis");
    return diagnosisOnly ? DIAGNOSIS_REPLIES[language] : MEDICAL_ADVICE_REPLIES[language];
  }
  const emergency = categories.filter((category): category is EmergencyCategory =>
    category.startsWith("emergency_"),
  );
  return emergencyReply(emergency, emergencyContactsFor(timezone), language);
}

const MEDICAL_ADVICE_REPLIES: Record<Language, string> = {
  en: "I can't advise on medication: whether to take, start, stop, skip or change a medicine or its dose is a decision for your doctor or pharmacist, who knows your full history. I'm happy to pull together your readings and trends so you can take them to that conversation.",
  es: "No puedo aconsejarte sobre medicación: tomar, empezar, dejar, saltarte o cambiar un medicamento o su dosis es una decisión de tu médico o farmacéutico, que conoce todo tu historial. Con gusto reúno tus lecturas y tendencias para que puedas llevarlas a esa conversación.",
  de: "Zu Medikamenten kann ich Sie nicht beraten: Ob Sie ein Medikament nehmen, beginnen, absetzen, auslassen oder anders dosieren, entscheidet Ihr Arzt oder Apotheker, der Ihre ganze Vorgeschichte kennt. Gern stelle ich Ihre Messwerte und Trends zusammen, damit Sie sie zu diesem Gespräch mitnehmen können.",
  fr: "Je ne peux pas vous conseiller sur vos médicaments : prendre, commencer, arrêter, sauter ou modifier un médicament ou sa dose est une décision qui revient à votre médecin ou à votre pharmacien, qui connaît tout votre dossier. Je peux volontiers rassembler vos mesures et leurs tendances pour que vous les apportiez à cette discussion.",
};

const DIAGNOSIS_REPLIES: Record<Language, string> = {
  en: "I can't tell you whether you have a condition or what your symptoms point to: a diagnosis needs your doctor, who can examine you and knows your history. I'm happy to pull together your readings and trends so you can take them to that appointment.",
  es: "No puedo decirte si tienes una enfermedad ni a qué apuntan tus síntomas: un diagnóstico necesita a tu médico, que puede examinarte y conoce tu historial. Con gusto reúno tus lecturas y tendencias para que puedas llevarlas a esa cita.",
  de: "Ob Sie eine Erkrankung haben oder worauf Ihre Beschwerden hindeuten, kann ich Ihnen nicht sagen: Eine Diagnose braucht Ihren Arzt, der Sie untersuchen kann und Ihre Vorgeschichte kennt. Gern stelle ich Ihre Messwerte und Trends für diesen Termin zusammen.",
  fr: "Je ne peux pas vous dire si vous avez une maladie ni ce que vos symptômes indiquent : un diagnostic demande votre médecin, qui peut vous examiner et connaît votre dossier. Je peux volontiers rassembler vos mesures et leurs tendances pour ce rendez-vous.",
};

/** Deliberately neutral: an injection attempt is not told it was detected. */
const INJECTION_REPLIES: Record<Language, string> = {
  en: "I can help with questions about your Hilo readings and the app.",
  es: "Puedo ayudarte con preguntas sobre tus lecturas de Hilo y la app.",
  de: "Ich helfe Ihnen gern bei Fragen zu Ihren Hilo-Messwerten und der App.",
  fr: "Je peux vous aider pour vos questions sur vos mesures Hilo et l'application.",
};

/** The English replies, as the chat turn and its tests know them. */
export const MEDICAL_ADVICE_REPLY = MEDICAL_ADVICE_REPLIES.en;
export const INJECTION_REPLY = INJECTION_REPLIES.en;

/** How each language says what to dial; numbers are inserted as they are written locally. */
interface EmergencyWording {
  callEmergency(numbers: readonly string[]): string;
  callLocalEmergency: string;
  callCrisisLine(line: CrisisLine): string;
  localCrisisLine: string;
  selfHarm(line: string, call: string): string;
  medical(call: string): string;
  poison(number: string): string;
  cannotHelpHere: string;
}

const withName = (line: CrisisLine, free: string, text: string) => {
  const notes = [
    line.name,
    line.free === true ? free : undefined,
    line.text === true ? text : undefined,
  ].filter((note) => note !== undefined);
  return notes.length === 0 ? "" : ` (${notes.join(", ")})`;
};

const WORDING: Record<Language, EmergencyWording> = {
  en: {
    callEmergency: (numbers) => `call ${numbers.join(" or ")}`,
    callLocalEmergency: "call your local emergency number",
    callCrisisLine: (line) =>
      `please ${line.text === true ? "call or text" : "call"} ${line.numbers.join(" or ")}${withName({ ...line, text: false }, "free", "")}, any time, day or night`,
    localCrisisLine: "please contact a local crisis line or someone you trust right now",
    selfHarm: (line, call) =>
      `I'm really sorry you're going through this, and I'm glad you said something. You deserve support from a person right now: ${line}. If you might act on these thoughts or you're in danger, ${call} now.`,
    medical: (call) =>
      `What you describe can be a medical emergency. Please ${call} now, or ask someone near you to call. Don't wait to see if it passes and don't drive yourself.`,
    poison: (number) => ` For a possible overdose you can also call ${number} while you wait.`,
    cannotHelpHere: "I can't help with emergencies in this chat.",
  },
  es: {
    callEmergency: (numbers) => `llama al ${numbers.join(" o al ")}`,
    callLocalEmergency: "llama a tu número local de emergencias",
    callCrisisLine: (line) =>
      `${line.text === true ? "llama o escribe al" : "llama al"} ${line.numbers.join(" o al ")}${withName({ ...line, text: false }, "gratuito", "")}, a cualquier hora del día o de la noche`,
    localCrisisLine: "contacta ahora con una línea de crisis local o con alguien de confianza",
    selfHarm: (line, call) =>
      `Siento mucho que estés pasando por esto, y me alegra que lo hayas dicho. Mereces el apoyo de una persona ahora mismo: ${line}. Si crees que podrías actuar según estos pensamientos o estás en peligro, ${call} ahora.`,
    medical: (call) =>
      `Lo que describes puede ser una urgencia médica. Por favor, ${call} ahora o pide a alguien cercano que llame. No esperes a ver si se pasa y no conduzcas tú.`,
    poison: (number) => ` Por una posible sobredosis también puedes llamar al ${number} mientras esperas.`,
    cannotHelpHere: "No puedo ayudar con emergencias en este chat.",
  },
  de: {
    callEmergency: (numbers) => `rufen Sie sofort die ${numbers.join(" oder die ")} an`,
    callLocalEmergency: "rufen Sie sofort Ihre örtliche Notrufnummer an",
    callCrisisLine: (line) =>
      `Bitte rufen Sie ${line.numbers.join(" oder ")} an${withName(line, "kostenlos", "auch per SMS")}, rund um die Uhr`,
    localCrisisLine:
      "Bitte wenden Sie sich jetzt an ein örtliches Krisentelefon oder an einen Menschen, dem Sie vertrauen",
    selfHarm: (line, call) =>
      `Es tut mir sehr leid, dass es Ihnen so geht, und es ist gut, dass Sie es aussprechen. Sie verdienen jetzt die Unterstützung eines Menschen: ${line}. Wenn Sie fürchten, nach diesen Gedanken zu handeln, oder in Gefahr sind, ${call}.`,
    medical: (call) =>
      `Was Sie beschreiben, kann ein medizinischer Notfall sein. Bitte ${call} oder bitten Sie jemanden in Ihrer Nähe darum. Warten Sie nicht ab, ob es vorbeigeht, und fahren Sie nicht selbst.`,
    poison: (number) => ` Bei einer möglichen Überdosis können Sie währenddessen auch ${number} anrufen.`,
    cannotHelpHere: "Bei Notfällen kann ich in diesem Chat nicht helfen.",
  },
  fr: {
    callEmergency: (numbers) => `appelez le ${numbers.join(" ou le ")}`,
    callLocalEmergency: "appelez le numéro d'urgence local",
    callCrisisLine: (line) =>
      `appelez le ${line.numbers.join(" ou le ")}${withName(line, "gratuit", "appel ou SMS")}, à toute heure du jour et de la nuit`,
    localCrisisLine: "contactez dès maintenant une ligne d'écoute locale ou une personne de confiance",
    selfHarm: (line, call) =>
      `Je suis vraiment désolé que vous traversiez cela, et je suis content que vous en parliez. Vous méritez dès maintenant le soutien d'une personne : ${line}. Si vous risquez de passer à l'acte ou si vous êtes en danger, ${call} maintenant.`,
    medical: (call) =>
      `Ce que vous décrivez peut être une urgence médicale. ${capitalise(call)} maintenant, ou demandez à quelqu'un près de vous d'appeler. N'attendez pas que ça passe et ne conduisez pas vous-même.`,
    poison: (number) => ` En cas de surdosage possible, vous pouvez aussi appeler le ${number} en attendant.`,
    cannotHelpHere: "Je ne peux pas vous aider pour une urgence dans ce chat.",
  },
};

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Crisis guidance for the detected categories: the self-harm paragraph leads with the crisis
 * line, a medical emergency with the emergency number, and both are given when both apply (or
 * when no category says which).
 */
export function emergencyReply(
  categories: readonly EmergencyCategory[],
  contacts: EmergencyContacts,
  language: Language = "en",
): string {
  const wording = WORDING[language];
  const unknown = categories.length === 0;
  const selfHarm = unknown || categories.includes("emergency_self_harm");
  const medical = unknown || categories.some((category) => category !== "emergency_self_harm");
  const call =
    contacts.emergencyNumbers.length === 0
      ? wording.callLocalEmergency
      : wording.callEmergency(contacts.emergencyNumbers);
  const paragraphs: string[] = [];
  if (selfHarm) {
    const line =
      contacts.crisisLine === undefined
        ? wording.localCrisisLine
        : wording.callCrisisLine(contacts.crisisLine);
    paragraphs.push(wording.selfHarm(line, call));
  }
  if (medical) {
    const poison =
      categories.includes("emergency_overdose") && contacts.poisonLine !== undefined
        ? wording.poison(`${contacts.poisonLine.number} (${contacts.poisonLine.name})`)
        : "";
    paragraphs.push(`${wording.medical(call)}${poison}`);
  }
  paragraphs.push(wording.cannotHelpHere);
  return paragraphs.join("\n\n");
}
