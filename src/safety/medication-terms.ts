// The vocabulary both medication checks share: what counts as "a medication" in a user request
// (Layer 1) and in an assistant answer (Layer 3), and the conditions a diagnosis names, written as
// regex sources over normalised text.

/**
 * Common blood-pressure, heart and over-the-counter drugs by generic and brand name, with the
 * Spanish, German and French spellings that differ once folded ("amlodipino", "ibuprofène").
 */
export const MEDICATION_NAMES = [
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
  // spellings and brands in Spanish, German and French
  "amlodipino",
  "amlodipina",
  "enalaprilo",
  "hidroclorotiazida",
  "hydrochlorothiazid",
  "ibuprofeno",
  "ibuprofene",
  "aspirina",
  "aspirine",
  "adiro",
  "paracetamolo",
  "doliprane",
  "dafalgan",
  "efferalgan",
  "gelocatil",
  "nolotil",
  "metamizol",
  "novalgin",
  "diclofenac",
  "diclofenaco",
  "voltaren",
  "atorvastatina",
  "simvastatina",
  "omeprazol",
  "omeprazole",
  "magnesio",
  "potasio",
  "kalium",
  "millepertuis",
  "johanniskraut",
  "hierba de san juan",
  "st\\.? john'?s wort",
  // drug families by their suffix: "-pril", "-sartan", "-dipine", "-olol", "-statin"
  "[a-z]{3,}(?:pril|prilo|sartan|sartana|dipin|dipine|dipino|dipina|olol|statin|statine|statina)",
];

/** Words that stand for "a medication" without naming one, in English. */
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
 * The same in Spanish, German and French (folded): "pastillas", "Tabletten", "comprimés". Used by
 * the rules of those languages, which do not share English's closed filler list.
 */
export const MEDICATION_WORDS_OTHER_LANGUAGES_SOURCE = String.raw`(?:pastillas?|pildoras?|comprimidos?|capsulas?|tabletas?|medicamentos?|medicinas?|medicacion(?:es)?|farmacos?|dosis|tratamiento|\w*tabletten?|\w*pillen?|kapseln?|\w*medikament(?:e|en|s)?|arznei(?:mittel|en)?|dosis|dosierung|blutdrucksenker\w*|betablocker\w*|blutdruckmittel\w*|comprimes?|cachets?|pilules?|gelules?|medicaments?|medicament|medocs?|traitement|doses?|posologie|betabloquants?|antihypertenseurs?|diuretiques?|anticoagulants?)`;

/**
 * An amount of a drug: "20mg", "2.5 mg", "2,5 mg", "10 units". Units never match readings or steps. Entered
 * only at the start of a number, so a long digit run is not rescanned from every position.
 */
export const DOSE_AMOUNT_SOURCE = String.raw`(?<![\d.,])\d+(?:[.,]\d+)?[ -]?(?:mgs?|mcg|µg|milligram(?:m|me|o)?s?|microgram(?:m|me|o)?s?|ml|units?|unidades|einheiten|unites|iu|ui)\b`;

/** Any medication in any screened language: a name, a generic word, or a dose amount. */
export const MEDICATION_ANY_LANGUAGE_SOURCE = String.raw`(?:\b(?:${MEDICATION_NAMES.join("|")}|${MEDICATION_WORDS.join("|")}|${MEDICATION_WORDS_OTHER_LANGUAGES_SOURCE.slice(3, -1)})\b|${DOSE_AMOUNT_SOURCE})`;

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

/** Conditions a diagnosis names, in English: "you have hypertension", "do I have afib?". */
export const CONDITION_SOURCE = `(?:hypertension|high blood pressure|hypotension|low blood pressure|atrial fibrillation|a-?fib|arrhythmia|an? (?:irregular heartbeat|heart condition|heart problem|condition|disease|disorder)|heart disease|heart failure|coronary (?:artery )?disease|pre-?diabetes|diabetes|sleep apnoea|sleep apnea|kidney disease|tachycardia|bradycardia|white coat (?:hypertension|syndrome|effect)|masked hypertension|isolated systolic hypertension|orthostatic hypotension|anxiety|depression|insomnia|high cholesterol|hyperlipidemia|obesity|anemia|anaemia)`;

/**
 * Food, drink and over-the-counter products people combine with their medication: "is grapefruit
 * ok with amlodipine?", "what's the most ibuprofen I can take with my lisinopril?".
 */
export const FOOD_OR_OTC_SOURCE = String.raw`(?:grapefruit(?: juice)?|alcohol|beer|wine|booze|coffee|caffeine|energy drinks?|bananas?|salt substitutes?|lo-?salt|licorice|liquorice|st\.? john'?s wort|cannabis|weed|cbd oil|ibuprofen|advil|motrin|naproxen|aleve|aspirin|paracetamol|acetaminophen|tylenol|decongestants?|sudafed|pseudoephedrine|antacids?|cold (?:medicine|tablets|remedies)|cough (?:medicine|syrup)|painkillers?|nsaids?|potassium|magnesium|supplements?|turmeric|garlic|ginkgo|ginseng)`;

// Words that imply a medication is being talked about, for rules that need one somewhere.
const MEDICATION_CONTEXT_PATTERN = /\b(?:pharmacist|pharmacy|prescribed|prescriber)\b/;
const MEDICATION_PATTERN = new RegExp(MEDICATION_ANY_LANGUAGE_SOURCE);
const MEDICATION_NAME_PATTERN = new RegExp(MEDICATION_NAME_SOURCE);

/** Whether normalised text mentions a medication anywhere, in any screened language. */
export function mentionsMedication(normalised: string): boolean {
  return MEDICATION_PATTERN.test(normalised) || MEDICATION_CONTEXT_PATTERN.test(normalised);
}

/** Whether normalised text names a specific drug. */
export function namesMedication(normalised: string): boolean {
  return MEDICATION_NAME_PATTERN.test(normalised);
}
