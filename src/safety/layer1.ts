// Layer 1: the screen every user message passes before it is stored or sent to the model.
//
// Personal information is redacted first, so `redacted` is always the text that may be stored,
// logged, traced or sent on, whatever the verdict; the checks then run on the redacted text.
// Precedence: emergency > injection > medical advice > pass. An emergency wins over everything
// (someone in crisis who also pastes a jailbreak still gets the crisis line); an injection wins
// over an advice request so "pretend you're my doctor and adjust my dose" is blocked silently.

import { detectEmergency, type EmergencyCategory } from "./emergency.ts";
import { emergencyContactsFor } from "./emergency-numbers.ts";
import { detectInjection, type InjectionCategory } from "./injection.ts";
import { detectMedicalAdviceRequest, type MedicalAdviceCategory } from "./medical-advice.ts";
import { type PersonalInfoCategory, redactPersonalInfo } from "./personal-info.ts";
import { emergencyReply, INJECTION_REPLY, MEDICAL_ADVICE_REPLY } from "./replies.ts";

export type Layer1Outcome = "emergency" | "medical_advice" | "injection" | "pass";

export type Layer1Category =
  | PersonalInfoCategory
  | EmergencyCategory
  | InjectionCategory
  | MedicalAdviceCategory;

export interface Layer1Verdict {
  layer: 1;
  verdict: Layer1Outcome;
  /** The message with personal information replaced: the only form that may leave this function. */
  redacted: string;
  /** Personal-information kinds found (once each), then the categories behind the verdict. */
  categories: Layer1Category[];
  /** The canned answer for emergency, medical_advice and injection; the model is not called. */
  reply?: string;
}

export interface Layer1Options {
  /** The user's IANA zone, used to pick emergency numbers. */
  timezone?: string;
}

export function screenUserMessage(text: string, opts: Layer1Options = {}): Layer1Verdict {
  const { text: redacted, spans } = redactPersonalInfo(text);
  const personalInfo = [...new Set(spans.map((span) => span.category))];

  const emergency = detectEmergency(redacted);
  if (emergency.length > 0) {
    const reply = emergencyReply(emergency, emergencyContactsFor(opts.timezone));
    return { layer: 1, verdict: "emergency", redacted, categories: [...personalInfo, ...emergency], reply };
  }
  const injection = detectInjection(redacted);
  if (injection.length > 0) {
    return {
      layer: 1,
      verdict: "injection",
      redacted,
      categories: [...personalInfo, ...injection],
      reply: INJECTION_REPLY,
    };
  }
  const advice = detectMedicalAdviceRequest(redacted);
  if (advice.length > 0) {
    return {
      layer: 1,
      verdict: "medical_advice",
      redacted,
      categories: [...personalInfo, ...advice],
      reply: MEDICAL_ADVICE_REPLY,
    };
  }
  return { layer: 1, verdict: "pass", redacted, categories: personalInfo };
}
