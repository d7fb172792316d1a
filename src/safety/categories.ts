// The categories Layer 1 names when it catches a message: what the audit rows and the canned replies
// are keyed by. Their own file, so the language packs and the engines that read them share it.

export type EmergencyCategory =
  | "emergency_chest_pain"
  | "emergency_breathing"
  | "emergency_self_harm"
  | "emergency_stroke"
  | "emergency_fainting"
  | "emergency_overdose"
  | "emergency_dying"
  | "emergency_seizure"
  | "emergency_severe_pain"
  | "emergency_bleeding"
  | "emergency_crisis_reading";

export type MedicalAdviceCategory =
  | "medical_advice_dose"
  | "medical_advice_change"
  | "medical_advice_interaction"
  | "medical_advice_choice"
  | "medical_advice_diagnosis";

export type InjectionCategory =
  | "injection_override"
  | "injection_reveal"
  | "injection_roleplay"
  | "injection_fake_role"
  | "injection_privilege"
  | "injection_encoded";
