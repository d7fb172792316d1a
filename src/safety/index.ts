// The safety pipeline's local layers: Layer 1 (before the model) and Layer 3 (after it), the
// audit-row shape, and the pieces they are built from for callers that need one on its own.

export { type AuditAction, type AuditEntry, auditEntriesFor, type SafetyLayer } from "./audit.ts";
export { detectEmergency, type EmergencyCategory } from "./emergency.ts";
export { countryForTimezone, type EmergencyContacts, emergencyContactsFor } from "./emergency-numbers.ts";
export { detectInjection, type InjectionCategory } from "./injection.ts";
export {
  type Layer1Category,
  type Layer1Options,
  type Layer1Outcome,
  type Layer1Verdict,
  screenUserMessage,
} from "./layer1.ts";
export {
  checkAssistantAnswer,
  LAYER3_CORRECTION,
  type Layer3Category,
  type Layer3Verdict,
} from "./layer3.ts";
export { detectMedicalAdviceRequest, type MedicalAdviceCategory } from "./medical-advice.ts";
export {
  type PersonalInfoCategory,
  type PersonalInfoSpan,
  type RedactionResult,
  redactPersonalInfo,
} from "./personal-info.ts";
export { INJECTION_REPLY, MEDICAL_ADVICE_REPLY } from "./replies.ts";
