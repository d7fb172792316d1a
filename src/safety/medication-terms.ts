// The vocabulary both medication checks share: what counts as "a medication" in a user request
// (Layer 1) and in an assistant answer (Layer 3), written as regex sources over normalised text.

/** Common blood-pressure, heart and over-the-counter drugs by generic and brand name. */
const MEDICATION_NAMES = [
  // ACE inhibitors
  "lisinopril",
  "enalapril",
  "ramipril",
  "perindopril",
  "captopril",
  "benazepril",
  "quinapril",
  "zestril",
  "prinivil",
  // ARBs
  "losartan",
  "valsartan",
  "candesartan",
  "irbesartan",
  "olmesartan",
  "telmisartan",
  "cozaar",
  "diovan",
  "entresto",
  // calcium-channel blockers
  "amlodipine",
  "nifedipine",
  "felodipine",
  "lercanidipine",
  "diltiazem",
  "verapamil",
  "norvasc",
  // beta blockers
  "metoprolol",
  "atenolol",
  "bisoprolol",
  "carvedilol",
  "propranolol",
  "nebivolol",
  "labetalol",
  "lopressor",
  "toprol",
  "tenormin",
  "coreg",
  // diuretics and others
  "hydrochlorothiazide",
  "hctz",
  "chlorthalidone",
  "indapamide",
  "furosemide",
  "bumetanide",
  "torsemide",
  "spironolactone",
  "eplerenone",
  "lasix",
  "aldactone",
  "clonidine",
  "hydralazine",
  "doxazosin",
  "prazosin",
  "minoxidil",
  "methyldopa",
  // blood thinners, lipids, diabetes
  "aspirin",
  "clopidogrel",
  "warfarin",
  "apixaban",
  "rivaroxaban",
  "dabigatran",
  "eliquis",
  "xarelto",
  "atorvastatin",
  "rosuvastatin",
  "simvastatin",
  "pravastatin",
  "lipitor",
  "crestor",
  "metformin",
  "insulin",
  "semaglutide",
  "ozempic",
  // over the counter
  "ibuprofen",
  "advil",
  "motrin",
  "naproxen",
  "aleve",
  "paracetamol",
  "acetaminophen",
  "tylenol",
  "melatonin",
  "sudafed",
  "pseudoephedrine",
  "decongestants?",
  // supplements people take for blood pressure
  "magnesium",
  "potassium",
  "coq10",
  "co-q10",
  "fish oil",
  "omega-3",
  "supplements?",
  "vitamin [a-z0-9]{1,3}",
];

/** Words that stand for "a medication" without naming one. */
const MEDICATION_WORDS = [
  "meds?",
  "medications?",
  "medicines?",
  "pills?",
  "tablets?",
  "capsules?",
  "doses?",
  "dosages?",
  "prescriptions?",
  "drugs?",
  "mg",
  "milligrams?",
  "beta[- ]?blockers?",
  "ace[- ]?inhibitors?",
  "calcium[- ]channel[- ]blockers?",
  "diuretics?",
  "water pills?",
  "blood thinners?",
  "statins?",
  "antihypertensives?",
];

/**
 * An amount of a drug: "20mg", "2.5 mg", "10 units". Units never match readings or steps. Entered
 * only at the start of a number, so a long digit run is not rescanned from every position.
 */
export const DOSE_AMOUNT_SOURCE = String.raw`(?<![\d.])\d+(?:\.\d+)? ?(?:mg|mcg|µg|milligrams?|micrograms?|ml|units?|iu)\b`;

/** A named drug (no generic words): used where "pill" alone would be too weak. */
export const MEDICATION_NAME_SOURCE = String.raw`\b(?:${MEDICATION_NAMES.join("|")})\b`;

/** Any mention of a medication: a name, a generic word, or a dose amount. */
export const MEDICATION_SOURCE = String.raw`(?:\b(?:${MEDICATION_NAMES.join("|")}|${MEDICATION_WORDS.join("|")})\b|${DOSE_AMOUNT_SOURCE})`;

/**
 * Words allowed between a verb and its medication ("stop taking my blood pressure pills"). A
 * closed list on purpose: "should I take my reading before my meds?" must not join "take" to
 * "meds" across the noun "reading".
 */
export const FILLER_SOURCE = `(?:my|your|the|a|an|some|more|less|extra|another|half|of|taking|on|off|from|to|blood|pressure|bp|daily|morning|evening|night|nightly|usual|regular|current|new|other|second|whole|one|two|both|this|that|these|those|all|any|his|her|their|our|generic|prescribed|heart|cholesterol|sleeping|baby|low)`;

// Words that imply a medication is being talked about, for rules that need one somewhere.
const MEDICATION_CONTEXT_PATTERN = /\b(?:pharmacist|pharmacy|prescribed|prescriber)\b/;
const MEDICATION_PATTERN = new RegExp(MEDICATION_SOURCE);
const MEDICATION_NAME_PATTERN = new RegExp(MEDICATION_NAME_SOURCE);

/** Whether normalised text mentions a medication anywhere. */
export function mentionsMedication(normalised: string): boolean {
  return MEDICATION_PATTERN.test(normalised) || MEDICATION_CONTEXT_PATTERN.test(normalised);
}

/** Whether normalised text names a specific drug. */
export function namesMedication(normalised: string): boolean {
  return MEDICATION_NAME_PATTERN.test(normalised);
}
