// The canned answers Layer 1 gives instead of calling the model.

import type { EmergencyCategory } from "./emergency.ts";
import type { EmergencyContacts } from "./emergency-numbers.ts";

export const MEDICAL_ADVICE_REPLY =
  "I can't advise on medication: whether to take, start, stop, skip or change a medicine or its dose is a decision for your doctor or pharmacist, who knows your full history. I'm happy to pull together your readings and trends so you can take them to that conversation.";

/** Deliberately neutral: an injection attempt is not told it was detected. */
export const INJECTION_REPLY = "I can help with questions about your Hilo readings, goals and the app.";

/**
 * Crisis guidance for the detected categories: the self-harm paragraph leads with the crisis
 * line, a medical emergency with the emergency number, and both are given when both apply.
 */
export function emergencyReply(
  categories: readonly EmergencyCategory[],
  contacts: EmergencyContacts,
): string {
  const selfHarm = categories.includes("emergency_self_harm");
  const medical = categories.some((category) => category !== "emergency_self_harm");
  const call =
    contacts.country === undefined ? "call your local emergency number" : `call ${contacts.emergency}`;
  const paragraphs: string[] = [];
  if (selfHarm) {
    const line =
      contacts.crisisLine === undefined
        ? "please contact a local crisis line or someone you trust right now"
        : `please ${contacts.crisisLine}, any time, day or night`;
    paragraphs.push(
      `I'm really sorry you're going through this, and I'm glad you said something. You deserve support from a person right now: ${line}. If you might act on these thoughts or you're in danger, ${call} now.`,
    );
  }
  if (medical) {
    const poison =
      categories.includes("emergency_overdose") && contacts.poisonLine !== undefined
        ? ` For a possible overdose you can also call ${contacts.poisonLine} while you wait.`
        : "";
    paragraphs.push(
      `What you describe can be a medical emergency. Please ${call} now, or ask someone near you to call. Don't wait to see if it passes and don't drive yourself.${poison}`,
    );
  }
  paragraphs.push("I can't help with emergencies in this chat.");
  return paragraphs.join("\n\n");
}
