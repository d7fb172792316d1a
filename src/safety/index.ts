// The safety pipeline's local layers: Layer 1 (before the model) and Layer 3 (after it), the
// audit-row shape, and the pieces they are built from for callers that need one on its own.

export { type AuditAction, type AuditEntry, auditEntriesFor, type SafetyLayer } from "./audit";
export type { EmergencyCategory, InjectionCategory, MedicalAdviceCategory } from "./categories";
export { detectEmergency } from "./emergency";
export {
  type CrisisLine,
  countryForTimezone,
  type EmergencyContacts,
  emergencyContactsFor,
} from "./emergency-numbers";
export { detectInjection } from "./injection";
export { guessLanguage, LANGUAGES, type Language } from "./language";
export {
  type Layer1Category,
  type Layer1Options,
  type Layer1Outcome,
  type Layer1Verdict,
  screenUserMessage,
} from "./layer1";
export {
  checkAssistantAnswer,
  LAYER3_CORRECTION,
  type Layer3Category,
  type Layer3Verdict,
} from "./layer3";
export { detectMedicalAdviceRequest } from "./medical-advice";
export {
  type PersonalInfoCategory,
  type PersonalInfoSpan,
  type RedactionResult,
  redactPersonalInfo,
} from "./personal-info";
export {
  type CannedOutcome,
  type CannedReplyRequest,
  cannedReply,
  INJECTION_REPLY,
  MEDICAL_ADVICE_REPLY,
} from "./replies";
