// Layer 3: the regex check of a finished assistant answer. It looks, sentence by sentence, for
// dosage advice, prescription verbs aimed at the user, diagnoses applied to the user and the user
// (not a reading) put in a blood-pressure category. On a hit a soft correction is appended to
// the reply; the model is never re-run.
//
// Decisions:
// - A sentence that sends the user to their doctor, pharmacist or other clinician is exempt as
//   a whole, as the seed mandates, even if it also names a drug ("please talk to your doctor
//   before you stop taking lisinopril"). A sentence that both prescribes and redirects slips
//   through here; the Layer 4 judge (V3) is the net for that.
// - Describing a reading or an average is fine ("this reading falls in the High-Normal range",
//   "your 7-day average is 131/84, in the High-Normal category"): that is the product's own
//   bp_category. Putting the person in a category is not ("you are hypertensive", "you're in
//   stage 2", "this puts you in the Hypertension 1 category"). Only the raised categories count:
//   "you're in the normal range" is not flagged.
// - "You have high blood pressure readings on most mornings" describes readings, not a diagnosis.
// - Instructions count without "I recommend": an imperative that re-times ("take it in the
//   evening instead"), splits ("cut the tablet in half"), doubles up after a missed dose or skips
//   on some days is a prescription; a condition stated as the user's ("you have hypertension",
//   "this is atrial fibrillation") is a diagnosis.
// - Spanish, German and French answers are checked with their own patterns (languages/), and the
//   correction is written in the answer's language.
// - The answer is not redacted: the model never saw the user's personal information (Layer 1
//   redacted its input), and redacting it would mangle support numbers such as 1-800-222-1222.

import { guessLanguage, type Language } from "./language";
import { FRENCH } from "./languages/french";
import { GERMAN } from "./languages/german";
import { SPANISH } from "./languages/spanish";
import {
  CONDITION_SOURCE,
  DOSE_AMOUNT_SOURCE,
  FILLER_SOURCE,
  MEDICATION_NAME_SOURCE,
  MEDICATION_SOURCE,
} from "./medication-terms";
import { normaliseForMatching, splitSentences } from "./normalise";

export type Layer3Category = "dosage_advice" | "prescription" | "diagnosis" | "bp_category";

export interface Layer3Verdict {
  layer: 3;
  verdict: "flag" | "pass";
  categories: Layer3Category[];
  /** Appended to the streamed reply when the verdict is "flag". */
  correction?: string;
}

const LAYER3_CORRECTIONS: Record<Language, string> = {
  en: "\n\nNote: I can't give medical advice or diagnoses — please discuss medication and diagnosis questions with your doctor.",
  es: "\n\nNota: no puedo dar consejos médicos ni diagnósticos; consulta las dudas sobre medicación y diagnóstico con tu médico.",
  de: "\n\nHinweis: Ich kann keine medizinischen Ratschläge oder Diagnosen geben – bitte besprechen Sie Fragen zu Medikamenten und Diagnosen mit Ihrem Arzt.",
  fr: "\n\nRemarque : je ne peux pas donner de conseils médicaux ni de diagnostics ; parlez de vos questions sur les médicaments et les diagnostics avec votre médecin.",
};

/** The English correction. */
export const LAYER3_CORRECTION = LAYER3_CORRECTIONS.en;

const MED = MEDICATION_SOURCE;
const FILL = `(?: ${FILLER_SOURCE})*`;
const DOSE_AMOUNT = new RegExp(DOSE_AMOUNT_SOURCE);

const CLINICIAN =
  /\b(?:doctor|doctors|dr|physician|gp|clinician|cardiologist|pharmacist|nurse|care team|healthcare (?:provider|professional|team)|health care provider|medical professional|prescriber|specialist)\b/;
const REDIRECT =
  /\b(?:talk|speak|ask|discuss|consult|check|contact|see|call|reach out|mention|tell|let|raise|bring|advise|decide|review|follow up|visit|book|guide|help|best (?:person|placed))\w*/;

const PRESCRIBING_VERB = `(?:take|taking|start|starting|stop|stopping|skip|skipping|quit|quitting|increase|increasing|decrease|decreasing|reduce|reducing|lower|lowering|raise|raising|up|double|doubling|halve|halving|cut|cutting|switch|switching|change|changing|adjust|adjusting|continue|continuing|come off|coming off|go off|going off|discontinue|discontinuing|add|adding|drop|dropping|try|trying)`;
const ADVICE_FRAME = `(?:you should|you could|you can|you may|you might want to|you need to|you must|you'll need to|you ought to|you'd better|you'll want to|you will want to|you might (?:want|wish|like) to|you may (?:want|wish|like) to|you'd do well to|you'd benefit from|you would benefit from|i(?: would|'d)? (?:recommend|suggest|advise)|i'd|try|consider|(?:it's|it is|it would be|it'd be|it may be|it might be) (?:best|better|wise|sensible|a good idea|fine|safe|okay|ok|worth) (?:to|trying)|it (?:may|might|could|would) help to|make sure (?:you|to)|go ahead and|feel free to|be sure to|remember to|don't forget to)`;
const FRAME_ADVERBS = `(?: (?:safely|just|also|probably|definitely|now|then|simply|start|keep|try))*`;

const PRESCRIPTION = new RegExp(
  [
    String.raw`\b${ADVICE_FRAME}${FRAME_ADVERBS}(?: to)? ${PRESCRIBING_VERB}${FILL} ${MED}`,
    // "Most people your age would be put on a beta blocker."
    String.raw`\b(?:would|should|could|will|might|may|to) (?:be |get )?(?:put|started|placed|kept) on${FILL} ${MED}`,
    // "Cutting your amlodipine in half could help": a change of medication offered as a fix.
    String.raw`^(?:taking|starting|stopping|skipping|cutting|halving|doubling|increasing|decreasing|reducing|lowering|switching|adding|dropping|upping)${FILL} ${MED}\b[^.?!\n]{0,40}\b(?:could|would|should|may|might|will|can) (?:probably |likely |really )?(?:help|be|work|bring|lower|reduce|improve|fix)\b`,
    // "You don't need your medication anymore."
    String.raw`\byou (?:don't|do not|no longer|won't|will not) need(?: to (?:take|be on))?${FILL} ${MED}`,
    // Imperatives at the start of a sentence: "Take 25mg of losartan", "Switch to losartan".
    `^(?:please )?(?:take|start|stop|skip|increase|decrease|reduce|lower|raise|double|halve|cut|switch|change|adjust|add|drop|quit|come off|go off|up)${FILL} ${MED}`,
    // Re-timing: "Take it in the evening instead", "so just move your amlodipine to bedtime".
    String.raw`(?:^|\b(?:${ADVICE_FRAME}|just|simply|so|then|instead,?)(?: to)? )(?:please )?(?:take|taking|move|moving|shift|shifting|switch|switching) (?:it(?! (?:easy|slow|gently))|them|your (?:\w+ ){0,2}?(?:dose|pills?|tablets?|medication|meds)|your (?:\w+ )?${MED}|the (?:\w+ )?(?:dose|pill|tablet)|${MED})\b[^.?!\n]{0,30}\b(?:in the (?:evening|morning|afternoon)|at (?:night|bedtime)|to (?:the )?(?:evening|morning|bedtime|night)|before bed|instead|with (?:food|breakfast|dinner|meals?)|after (?:dinner|breakfast|meals?))`,
    // Splitting: "Cut the tablet in half."
    String.raw`(?:^|\b(?:${ADVICE_FRAME}|just|simply|so|then)(?: to)? )(?:please )?(?:cut|cutting|split|splitting|break|breaking|halve|halving|snap|snapping)\b[^.?!\n]{0,30}\b(?:in half|in two|into halves|in halves|tablets?|pills?)\b`,
    // Doubling up after a missed dose: "If you miss one, just take two the next day."
    String.raw`(?:^|, |\b(?:${ADVICE_FRAME}|just|simply|so|then|it's fine to|it's ok to|it's okay to)(?: to)? )(?:please )?(?:take|taking|have) (?:two|2|both|a double dose|double|an extra (?:one|dose|tablet|pill)|the missed (?:one|dose))\b|\bdouble up\b`,
    // Skipping on some days: "Skip it on days your pressure is low."
    String.raw`(?:^|\b(?:${ADVICE_FRAME}|just|simply|so|then|it's fine to|it's ok to|it's okay to)(?: to)? )(?:please )?(?:skip|skipping|leave out|miss|omit|drop|stop) (?:it|them|your (?:\w+ ){0,2}?(?:dose|pills?|tablets?|medication|meds)|the (?:\w+ )?(?:dose|pill|tablet)|${MED})\b[^.?!\n]{0,40}\b(?:on (?:days?|weekends|mornings|evenings)|when|if|every other day|some days|on \w+days|whenever)\b`,
  ].join("|"),
);

const DOSAGE_STATEMENT = new RegExp(
  [
    String.raw`\b(?:usual|typical|standard|recommended|normal|starting|maximum|max|safe) (?:daily )?(?:dose|dosage)s?\b(?: of [\w ]{1,40}?)? (?:is|are|would be|ranges?)\b`,
    // "Your dose of 5mg is too low": a judgement on the dose.
    String.raw`\b(?:your|the|this) (?:dose|dosage)\b[^.?!\n]{0,30}\b(?:is|seems|looks|may be|might be) (?:(?:too|a bit|rather|quite|very) )?(?:low|high|much|little|strong|weak)\b`,
    // "Lisinopril is usually taken once a day": a regimen, stated as the norm.
    String.raw`${MEDICATION_NAME_SOURCE} (?:is|are) (?:usually|typically|normally|generally|often|commonly) (?:taken|given|prescribed|dosed|started)\b`,
    // "Taking an extra 5mg tonight…", "Going up to 10mg would probably help."
    String.raw`\b(?:extra|additional|another|more|up to|an? (?:higher|lower) dose)\b[^.?!\n]{0,20}(?:${DOSE_AMOUNT_SOURCE}|\b(?:tablets?|pills?|doses?|capsules?)\b)`,
    String.raw`${DOSE_AMOUNT_SOURCE}[^.?!\n]{0,40}\b(?:should|would|will|could|might|may) (?:probably |likely |really )?(?:help|bring|lower|work|do the trick|be enough)\b`,
  ].join("|"),
);

const CONDITION = CONDITION_SOURCE;
const DIAGNOSIS = new RegExp(
  [
    String.raw`(?<!\b(?:whether|if) )\byou(?:'ve| have)? (?:(?:got|likely|probably|may|might|could|must|definitely|clearly|seem to|appear to|now|already) )*(?:have|has got|suffer from|are suffering from|'re suffering from|be suffering from|developed|show signs of|are showing signs of|'re showing signs of|be showing signs of)(?: (?:a|an|early|mild|moderate|severe|chronic|stage [12]|some|signs of))* ${CONDITION}\b(?! (?:readings?|values?|numbers|measurements|spikes?|episodes?|days|averages?|on|in (?:the|your)))`,
    String.raw`\byou(?:'re| are) (?:(?:now|clearly|definitely|probably|likely|already) )*(?:a )?(?:diabetic|pre-?diabetic|anaemic|anemic|obese)\b`,
    String.raw`\b(?:diagnos(?:e|ed|ing) you|your diagnosis is|you(?:'re| are| have been) diagnosed)\b`,
    String.raw`\b(?:sounds?|looks?|seems?) like (?:you (?:have|'ve got) )?(?:an? )?(?:(?:stage|grade) [123] )?${CONDITION}\b`,
    String.raw`\b(?:typical|characteristic|classic|consistent with|a sign|signs|a symptom|symptoms) of (?:someone|a person|people|patients?) (?:with|who (?:has|have)) ${CONDITION}`,
    // "Your numbers suggest stage 1 hypertension": an inference about the person's condition.
    String.raw`\b(?:suggests?|indicates?|points? to|means?|consistent with|signs? of|shows?|confirms?)(?: that)?(?: you(?: have|'ve got| are| might have| may have))? (?:an? )?(?:(?:stage|grade) [123] )?${CONDITION}\b(?! (?:range|category|readings?|means|is|are))`,
    // A label stated as fact: "This is atrial fibrillation.", "You've got afib."
    String.raw`\b(?:this|that|it|these readings|your readings|your symptoms|what you(?:'re| are) describing|what you describe|these symptoms|this pattern)(?: is| are|'s) (?:(?:clearly|definitely|probably|likely|most likely|almost certainly|classic|typical|consistent with) )*(?:an? )?(?:case of |sign of |form of )?(?:(?:stage|grade) [123] )?${CONDITION}\b(?! (?:stage|range|category|readings?|threshold|zone|territory|level))`,
    String.raw`\byou(?:'ve| have)? got (?:an? )?(?:(?:mild|early|stage [12]) )?${CONDITION}\b`,
  ].join("|"),
);

const RAISED_CATEGORY = `(?:hypertensive|hypotensive|stage [123]|hypertension(?: stage)? [123]|grade [123]|high[- ]normal|elevated|hypertensive crisis|hypertension|high blood pressure|low blood pressure|hypotension)`;
const BP_CATEGORY = new RegExp(
  [
    String.raw`\byou(?:'re| are) (?:(?:now|currently|clearly|definitely|officially|technically|probably|likely|still|already) )*(?:a )?(?:hypertensive|pre-?hypertensive|hypotensive)\b`,
    String.raw`\byou(?:'re| are| fall| sit| belong| would be| qualify| count)(?: (?:now|currently|clearly|definitely|officially|technically|probably|likely|still|already|classified|considered|into|in|as|within|under|firmly))+ (?:the |a )?${RAISED_CATEGORY}\b`,
    String.raw`\b(?:puts|places|put|place|makes|classifies|categori[sz]es) you (?:\w+ )?(?:in|into|at|as) (?:the |a )?(?:${RAISED_CATEGORY}|hypertensive)`,
    String.raw`\byou(?:'d| would) be (?:classified|considered|categori[sz]ed|diagnosed) as\b`,
  ].join("|"),
);

interface AnswerChecks {
  language: Language;
  isRedirect(sentence: string): boolean;
  prescription: RegExp;
  dosage: RegExp;
  diagnosis: RegExp;
  bpCategory?: RegExp;
}

const ANSWER_CHECKS: AnswerChecks[] = [
  {
    language: "en",
    isRedirect: (sentence) => CLINICIAN.test(sentence) && REDIRECT.test(sentence),
    prescription: PRESCRIPTION,
    dosage: DOSAGE_STATEMENT,
    diagnosis: DIAGNOSIS,
    bpCategory: BP_CATEGORY,
  },
  ...[SPANISH, GERMAN, FRENCH].map(({ language, answer }) => ({
    language,
    isRedirect: (sentence: string) => answer.redirect.test(sentence),
    prescription: answer.prescription,
    dosage: answer.dosage,
    diagnosis: answer.diagnosis,
  })),
];

/** Checks an assistant answer; the text is never changed here (see the header). */
export function checkAssistantAnswer(text: string): Layer3Verdict {
  const normalised = normaliseForMatching(text);
  const checks = ANSWER_CHECKS;
  const found = new Set<Layer3Category>();
  const languages = new Set<Language>();
  for (const sentence of splitSentences(normalised)) {
    // A sentence that sends the user to a clinician is exempt, in whichever language it does.
    if (checks.some((check) => check.isRedirect(sentence))) continue;
    for (const check of checks) {
      const before = found.size;
      const prescribes = check.prescription.test(sentence);
      if (prescribes) found.add("prescription");
      if (check.dosage.test(sentence) || (prescribes && DOSE_AMOUNT.test(sentence))) {
        found.add("dosage_advice");
      }
      if (check.language === "en" && prescribes && /\b(?:dose|dosage)\b/.test(sentence)) {
        found.add("dosage_advice");
      }
      if (check.diagnosis.test(sentence)) found.add("diagnosis");
      if (check.bpCategory?.test(sentence) === true) found.add("bp_category");
      if (found.size > before) languages.add(check.language);
    }
  }
  if (found.size === 0) return { layer: 3, verdict: "pass", categories: [] };
  // The answer's common words say its language; failing that, the language of the patterns that
  // matched, when only one language's did.
  const [only] = languages;
  const language = guessLanguage(normalised) ?? (languages.size === 1 && only !== undefined ? only : "en");
  const correction = LAYER3_CORRECTIONS[language];
  return { layer: 3, verdict: "flag", categories: [...found], correction };
}
