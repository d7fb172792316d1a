// Layer 1 medical-advice screen: requests to decide about a medication (take, start, stop,
// switch, skip, change the dose, combine) are declined before the model runs.
//
// Diagnosis requests count too ("do my readings mean I have hypertension?", "which condition do
// my symptoms point to?"): the answer would be a diagnosis. Statements ("I have hypertension")
// and definitions ("what does stage 1 mean?") pass.
//
// Spanish, German and French have their own rules (languages/); a few language-neutral ones
// ("5 mg or 10 mg?") run for every message.
//
// A request needs a request frame ("should I", "can I", "is it safe to", "how much … should I
// take", "I want to stop") joined to a medication through a closed list of filler words. So
// statements that merely mention a dose ("I took my usual 20mg this morning, how's my trend?"),
// reminders ("remind me to take my pills"), product questions ("does the app remind me to take
// my medication?") and measurement questions ("should I take my blood pressure before my
// meds?") pass.

import type { MedicalAdviceCategory } from "./categories";
import type { Language } from "./language";
import { FRENCH } from "./languages/french";
import { GERMAN } from "./languages/german";
import type { AdviceRule } from "./languages/rule-types";
import { SPANISH } from "./languages/spanish";
import { type LiteralGate, literalGate, splitAlternatives } from "./literal-gate";
import { type MatchText, prepareForMatching } from "./match-text";
import {
  CONDITION_SOURCE,
  DOSE_AMOUNT_SOURCE,
  FILLER_SOURCE,
  FOOD_OR_OTC_SOURCE,
  MEDICATION_ANY_LANGUAGE_SOURCE,
  MEDICATION_NAME_SOURCE,
  MEDICATION_SOURCE,
  mentionsMedication,
  namesMedication,
} from "./medication-terms";

// "can I stop my medication reminders?" is about the app, not the medication.
const MED = String.raw`${MEDICATION_SOURCE}(?! (?:reminders?|alerts?|notifications?|logs?|logging|list|tracker|tracking|schedule|history|entries|entry|section|tab|page|screen|settings?|feature)\b)`;
const FILL = `(?: ${FILLER_SOURCE})*`;
const WHO = `(?:i|we|he|she|my (?:husband|wife|partner|mom|mum|dad|mother|father|son|daughter))`;
const ADVERBS = `(?: (?:still|just|safely|now|also|really|ever|even|maybe|actually|then|only|simply))*`;
const DOSE_VERB = `(?:increase|increasing|decrease|decreasing|reduce|reducing|lower|lowering|raise|raising|up|upping|bump up|bumping up|double up|doubling up|double|doubling|halve|halving|cut|cutting|split|splitting|adjust|adjusting)`;
const CHANGE_VERB = `(?:take|taking|start|starting|stop|stopping|skip|skipping|quit|quitting|change|changing|switch|switching|continue|continuing|keep taking|come off|coming off|go off|going off|get off|getting off|wean off|stay on|be on|be taking|be using|drop|dropping|miss|resume|restart|pause|pausing|try|crush|crushing|chew|chewing|break|breaking|snap|snapping|dissolve|open|ditch|ditching|give up|replace|replacing|substitute|swap|swapping|take a break from|have a break from|go without|hold off(?: on)?|put off|share|borrow)`;
const INTENT_VERB = `(?:stop|stopping|quit|quitting|skip|skipping|change|changing|switch|switching|come off|coming off|go off|going off|get off|getting off|wean off|weaning off|drop|dropping|start|starting|${DOSE_VERB})`;
const ASK = String.raw`\b(?:should|shall|can|could|may|must|do|would|will) ${WHO}${ADVERBS}`;
const WHETHER = String.raw`\b(?:(?:whether|if) ${WHO} (?:should|can|need to|ought to|must)|whether (?:or not )?to)${ADVERBS}`;
const IS_IT_OK = String.raw`(?:\b(?:is|would|will) it (?:be )?|^|\b(?:it's|it is) |, ?)(?:ok|okay|safe|fine|alright|all right|bad|dangerous|risky|a problem|a good idea|wise|better) (?:to|if i|for me to)${ADVERBS}`;

const rule = (category: MedicalAdviceCategory, source: string, needs?: AdviceRule["needs"]): AdviceRule => ({
  category,
  pattern: new RegExp(source),
  needs,
});

// Things one takes that are not medicine: "should I take a walk for my blood pressure?"
const NOT_MEDICINE = String.raw`(?:a |my |the |some )?(?:walk|break|nap|rest|reading|readings|measurement|bath|shower|breath|breather|holiday|vacation|day off|stairs|test|look)\b`;
const ALL_VERBS = `(?:${CHANGE_VERB}|${DOSE_VERB})`;
const PAST_VERB = `(?:stopped|skipped|quit|increased|decreased|reduced|lowered|raised|upped|doubled|halved|cut|split|switched|changed|missed|dropped|took|started|came off|went off)`;
const OTHER_PERSON = `(?:husband|wife|partner|mum|mom|mother|dad|father|friend|sister|brother|son|daughter|neighbou?r|roommate|flatmate|colleague|grandma|grandmother|grandpa|grandfather|someone else|somebody else|other people|another person)`;
const CONDITION = CONDITION_SOURCE;
const FOOD_OR_OTC = FOOD_OR_OTC_SOURCE;

/** The English rules; the other languages' are in languages/. */
const ENGLISH_RULES: AdviceRule[] = [
  // "should I increase my amlodipine", "is it ok to double my dose"
  rule("medical_advice_dose", `(?:${ASK}|${WHETHER}|${IS_IT_OK}) ${DOSE_VERB}${FILL} ${MED}`),
  // "can I stop my lisinopril", "should I start taking a statin", "is it bad if I skip my pill"
  rule("medical_advice_change", `(?:${ASK}|${WHETHER}|${IS_IT_OK}) ${CHANGE_VERB}${FILL} ${MED}`),
  // "my doctor put me on ramipril, should I take it at night?"
  rule(
    "medical_advice_change",
    String.raw`(?:${ASK}|${WHETHER}) (?:${CHANGE_VERB}|${DOSE_VERB}) (?:it|them|one|two|both)\b`,
    "medication",
  ),
  // "I want to stop taking my meds", "I'm thinking about quitting my beta blocker"
  rule(
    "medical_advice_change",
    String.raw`\bi(?:'m| am|'d| would)? (?:want(?:ing)? to|wanna|thinking (?:about|of)|planning (?:to|on)|considering|going to|gonna|about to|would like to|like to|decided to|trying to)(?: just)? ${INTENT_VERB}(?: taking)?${FILL} ${MED}`,
  ),
  // "do I still need to take my hydrochlorothiazide?", "do I have to take my statin forever?"
  rule(
    "medical_advice_change",
    String.raw`\bdo ${WHO}${ADVERBS} (?:need|have) to (?:keep )?(?:${CHANGE_VERB}|${DOSE_VERB})${FILL} ${MED}`,
  ),
  // "should I take magnesium for my blood pressure?": whatever it is, taking it for a condition.
  rule(
    "medical_advice_change",
    String.raw`\b(?:should|can|could|do) ${WHO}${ADVERBS} (?:take|try|start|use) (?!${NOT_MEDICINE})(?:[\w-]+ ){1,3}for (?:my |his |her )?(?:blood pressure|bp|hypertension|heart|cholesterol)\b`,
  ),
  // "should my dose be higher?", "would switching to losartan help?", "what happens if I stop lisinopril?"
  rule(
    "medical_advice_dose",
    String.raw`\bshould (?:my|the|his|her)${FILL} ${MED} be (?:higher|lower|increased|decreased|changed|adjusted|reduced|raised|doubled|halved|different|stopped)\b`,
  ),
  rule("medical_advice_change", String.raw`\bwould ${ALL_VERBS}(?: to)?${FILL} ${MED}`),
  rule(
    "medical_advice_change",
    String.raw`\bwhat (?:if|happens if|would happen if|will happen if) ${WHO}${ADVERBS} (?:${ALL_VERBS}|${PAST_VERB})${FILL} ${MED}`,
  ),
  // "do you think I need blood pressure medication?"
  rule(
    "medical_advice_change",
    String.raw`\b(?:do|does|would|will|should) (?:you think |it look like |it seem like )?${WHO}${ADVERBS} need(?: to (?:be on|start|take|keep taking|stay on))?${FILL} ${MED}`,
  ),
  // "how much aspirin is safe to take daily?"
  rule(
    "medical_advice_dose",
    String.raw`\bhow (?:much|many)(?: (?:${FILLER_SOURCE}|${MED}))* (?:is|are|would be) (?:safe|ok|okay|too much|too many|the (?:max|maximum|limit))\b`,
    "medication",
  ),
  // "how much losartan should I take?", "how many mg of lisinopril should I be on?"
  rule(
    "medical_advice_dose",
    String.raw`\bhow (?:much|many)(?: (?:${FILLER_SOURCE}|${MED}))* (?:should|can|do|must|may|could) ${WHO} (?:take|be on|have|use)\b`,
    "medication",
  ),
  // "what dose of metoprolol…", "what's the maximum dose of amlodipine?"
  rule(
    "medical_advice_dose",
    String.raw`\b(?:what(?:'s| is| are| would be)?|which) (?:the |my |a )?(?:(?:right|correct|best|max|maximum|safe|normal|usual|recommended|typical|starting|ideal|daily) )?(?:dose|doses|dosage)\b`,
  ),
  // "is 50 mg of atenolol too much?", "is my dose of 25mg HCTZ too high?"
  rule(
    "medical_advice_dose",
    String.raw`\bis (?:my |the |this )?(?:\d+(?:\.\d+)? ?(?:mg|mcg|milligrams?)|dose|dosage)(?: of)?(?: [a-z0-9]+){0,3}? (?:too (?:much|high|low|little|strong|weak)|a lot|enough|safe|right|correct|ok|okay|(?:a |an )?(?:high|low|big|small|strong|large|normal|standard|safe|usual) (?:dose|dosage|amount))\b`,
  ),
  // "can I take ibuprofen with …", "can I drink alcohol while taking lisinopril?"
  rule(
    "medical_advice_interaction",
    String.raw`(?:${ASK}|${IS_IT_OK}) (?:drink|eat|have|mix|combine|use|take)\b[^.?!\n]{0,40}?\b(?:with|while on|while taking|alongside|on)${FILL} ${MED}`,
  ),
  // "what medication should I take?", "recommend a blood pressure medication"
  rule(
    "medical_advice_choice",
    String.raw`\b(?:what|which)(?: kind of| type of)?${FILL} ${MED} (?:should|can|do|would|could) ${WHO} (?:take|use|try|be on|start|get|ask for)\b`,
  ),
  rule("medical_advice_choice", String.raw`\b(?:recommend|suggest|prescribe)(?: me)?${FILL} ${MED}`),
  rule("medical_advice_choice", String.raw`\b(?:best|safest|strongest)${FILL} ${MED} (?:for|to)\b`),
  // "should I take 5 or 10 mg?", "tell me the correct amount of candesartan to take"
  rule(
    "medical_advice_dose",
    String.raw`(?:${ASK}|${WHETHER}) (?:take|be on|have|use|go (?:up|down) to)\b[^.?!\n]{0,20}?${DOSE_AMOUNT_SOURCE}`,
  ),
  rule(
    "medical_advice_dose",
    String.raw`\b(?:correct|right|safe|maximum|max|recommended|proper|usual) (?:amount|quantity) of${FILL} ${MED}|\bamount of${FILL} ${MED}[^.?!\n]{0,20}\bto take\b`,
  ),
  // "would half a tablet be enough?", "is metoprolol or atenolol better for me?"
  rule(
    "medical_advice_dose",
    String.raw`\b(?:would|will|is|are)${FILL} ${MED} (?:be )?(?:enough|too much|too little|ok|okay|fine|safe|sufficient)\b`,
  ),
  rule(
    "medical_advice_choice",
    String.raw`${MEDICATION_NAME_SOURCE}(?: or| vs\.?| versus) ${MEDICATION_NAME_SOURCE}[^.?!\n]{0,30}\b(?:better|best|safer|worse|stronger)\b`,
  ),
  // "which blood pressure pill has the fewest side effects?"
  rule(
    "medical_advice_choice",
    String.raw`\b(?:which|what)${FILL} ${MED} (?:has|have|is|are|causes?|gives?) (?:the )?(?:fewest|least|lowest|best|most|safest|strongest|mildest|better|safer)\b`,
  ),
  // "which is better for me, amlodipine or lisinopril?"
  rule(
    "medical_advice_choice",
    String.raw`\bwhich (?:one |of these |of them )?(?:is|would be|'s) (?:better|best|safer|stronger)\b`,
    "named_medication",
  ),
  // "morning or evening dosing for ramipril?"
  rule("medical_advice_dose", String.raw`\bdosing\b`, "medication"),
  // "would you recommend I try losartan instead?"
  rule(
    "medical_advice_choice",
    String.raw`\b(?:would|do|could|can|will) you (?:recommend|suggest|advise)(?: (?:that|if|whether))? (?:i|we|me)\b`,
    "medication",
  ),
  // "when is the best time to take amlodipine?"
  rule(
    "medical_advice_change",
    String.raw`\b(?:when|what time)(?: is| would be|'s)? (?:the )?(?:best|right|ideal|correct|better) (?:time )?(?:of day )?to ${ALL_VERBS}${FILL} ${MED}`,
  ),
  // "readings are perfect, time to ditch the pills?" (not "it's time to take my meds")
  rule(
    "medical_advice_change",
    String.raw`(?:\bis it |, ?)time to (?:stop|quit|ditch|drop|come off|go off|get off|give up|switch|change|${DOSE_VERB})${FILL} ${MED}`,
  ),
  // "I missed my dose yesterday, what should I do?"
  rule(
    "medical_advice_change",
    String.raw`\b(?:missed|forgot|forgotten|skipped|(?:took|taken) (?:a |an |my )?(?:double|extra|second))(?: to take)?${FILL} ${MED}[^?!\n]{0,60}?\bwhat (?:should|do|can) i do\b`,
  ),
  // "is it ok to have a few days off my amlodipine?", "thinking of a pill holiday"
  rule(
    "medical_advice_change",
    String.raw`(?:${ASK}|${WHETHER}|${IS_IT_OK}) (?:have|take|do|go)\b[^.?!\n]{0,25}\b(?:off|without|break from|holiday from)${FILL} ${MED}`,
  ),
  rule(
    "medical_advice_change",
    String.raw`\b(?:pill|drug|medication|medicine|tablet) (?:holiday|break|vacation)\b`,
  ),
  // "is stopping my statin for a month a problem?"
  rule(
    "medical_advice_change",
    String.raw`\bis (?:stopping|skipping|pausing|halving|doubling|splitting|crushing|taking) (?:my |the |your )?(?:\w+ )?${MED}\b[^.?!\n]{0,30}\b(?:ok|okay|safe|fine|a problem|bad|dangerous|risky)\b`,
  ),
  // "can I take my husband's amlodipine?", "is it ok to borrow some of my sister's pills?"
  rule(
    "medical_advice_change",
    String.raw`(?:${ASK}|${WHETHER}|${IS_IT_OK}) (?:take|use|try|borrow|have|share)\b[^.?!\n]{0,20}\b(?:my |his |her |a |the )?${OTHER_PERSON}'?s?\b[^.?!\n]{0,20}?${MED}`,
  ),
  // "is it fine if I have my ramipril with a glass of grapefruit juice?"
  rule(
    "medical_advice_interaction",
    String.raw`(?:${ASK}|${IS_IT_OK})[^.?!\n]{0,20}${MED}[^.?!\n]{0,20}\b(?:with|and|alongside)\b[^.?!\n]{0,25}\b${FOOD_OR_OTC}\b`,
  ),
  // "my friend has spare losartan, is it ok to use hers?"
  rule(
    "medical_advice_change",
    String.raw`(?:${ASK}|${WHETHER}|${IS_IT_OK}) (?:take|use|try|borrow|have|share) (?:hers|his|theirs)\b`,
    "medication",
  ),
  // "should I get the 5 mg or the 10 mg?", "which strength should I ask for?"
  rule(
    "medical_advice_choice",
    String.raw`\b(?:which|what) (?:strength|dose|dosage|tablet size|size of tablet)\b[^.?!\n]{0,30}\b(?:should|do|would|is better|better|best|to (?:get|take|ask for|choose))`,
  ),
  rule("medical_advice_choice", String.raw`\bthe \d+(?:\.\d+)?(?: ?mg)?(?: one)? or the \d+`, "medication"),
  // "is grapefruit ok with amlodipine?", "does grapefruit juice interact with my statin?"
  rule(
    "medical_advice_interaction",
    String.raw`\b${FOOD_OR_OTC}\b[^.?!\n]{0,40}\b(?:ok|okay|safe|fine|alright|bad|dangerous|a problem|interact\w*|interfere\w*|mix\w*|clash\w*|affect\w*|react\w*|counteract\w*|cancel\w*)\b[^.?!\n]{0,30}\b(?:with|on|and|alongside)\b[^.?!\n]{0,20}?${MED}`,
  ),
  // "ibuprofen and lisinopril together?", "lisinopril with a beer, ok?"
  rule(
    "medical_advice_interaction",
    String.raw`\b${FOOD_OR_OTC}\b[^.?!\n]{0,60}\b(?:together|at the same time|at once|a problem|interact\w*)\b|\b(?:and|with|plus) (?:a |an |some )?(?:\w+ )?${FOOD_OR_OTC}\b[^.?!\n]{0,30}\b(?:together|at the same time|ok|okay|safe|a problem|interact\w*)\b`,
    "medication",
  ),
  rule(
    "medical_advice_interaction",
    String.raw`\b(?:what|which) (?:foods?|drinks?|(?:over[- ]the[- ]counter|otc) (?:meds|medicines?|drugs|painkillers)|painkillers?|supplements?|cold medicines?)\b[^.?!\n]{0,30}\b(?:should i avoid|to avoid|can i (?:take|have|eat|drink)|are (?:safe|ok|okay)|interact)\b`,
    "medication",
  ),
  // "what's the most ibuprofen I can take with my lisinopril?"
  rule(
    "medical_advice_dose",
    String.raw`\b(?:most|max|maximum|how (?:much|many))\b[^.?!\n]{0,30}\b(?:${FOOD_OR_OTC}|${MED})[^.?!\n]{0,40}\b(?:with|alongside|on top of|while on|while taking|and|plus|combined with)\b`,
    "medication",
  ),
  // "do my readings mean I have hypertension?", "could this be heart failure?"
  rule(
    "medical_advice_diagnosis",
    String.raw`\b(?:do|does|did|could|can|would|might|may|is it possible|is it likely|is there a chance) (?:i|my|these|this|that|it|they|my \w+|these \w+)\b[^.?!\n]{0,40}\b(?:have|having|got|mean|means|indicate|indicates|suggest|suggests|point to|points to|be|sign of|signs of)\b[^.?!\n]{0,25}\b${CONDITION}`,
  ),
  rule(
    "medical_advice_diagnosis",
    String.raw`\bam i (?:a )?(?:hypertensive|diabetic|pre-?diabetic|anaemic|anemic)\b|\b(?:is|could|might) (?:this|that|it) (?:be )?(?:a sign of |a symptom of |signs of |caused by )?${CONDITION}`,
  ),
  // "which condition do my symptoms point to?", "what's wrong with me?"
  rule(
    "medical_advice_diagnosis",
    String.raw`\b(?:which|what) (?:condition|disease|illness|diagnosis|disorder|health problem|heart condition)\b[^.?!\n]{0,40}\b(?:do i have|might i have|could i have|have i got|point(?:s|ing)? to|suggest\w*|indicate\w*|match\w*|fits?|is it|could it be|would you say)|\bwhat(?:'s| is) wrong with me\b|\bdiagnose (?:me|my|this|these|what)\b|\bgive me a diagnosis|\bwhat do i have\b`,
  ),
  rule(
    "medical_advice_diagnosis",
    String.raw`\b(?:do|does) (?:it|this|that|my \w+) (?:sound|look|seem) like (?:i have |i've got )?(?:an? )?${CONDITION}`,
  ),
];

/** "amlodipine or lisinopril", "losartán o el enalapril", "Ramipril oder Amlodipin". */
const TWO_NAMED_DRUGS = String.raw`${MEDICATION_NAME_SOURCE}\s(?:or|o|oder|ou|vs\.?|versus)\s(?:the |el |la |le |l'|das |die |der )?${MEDICATION_NAME_SOURCE}`;
/** Words that make two named drugs a choice: "better", "me conviene", "besser", "lequel". */
const BETTER_ANY_LANGUAGE =
  "better|best|safer|stronger|mejor|conviene|más segur[oa]|besser|sicherer|mieux|lequel|laquelle|préférable|preferable";

/** Rules in no one language: "5 mg or 10 mg?", "5 mg oder 10 mg?", "losartán o enalapril, ¿cuál me conviene?". */
const ANY_LANGUAGE_RULES: AdviceRule[] = [
  rule(
    "medical_advice_choice",
    String.raw`\b(?:${BETTER_ANY_LANGUAGE})\b[^.?!\n]{0,40}${TWO_NAMED_DRUGS}|${TWO_NAMED_DRUGS}[^.?!\n]{0,40}\b(?:${BETTER_ANY_LANGUAGE})\b`,
  ),
  rule(
    "medical_advice_choice",
    String.raw`${DOSE_AMOUNT_SOURCE}[^.?!\n]{0,12}?\b(?:or|vs\.?|versus|o|oder|ou)\b[^.?!\n]{0,12}?\b\d+(?:[.,]\d+)?\b(?=[^.!\n]*\?)`,
  ),
];

interface RuleSet {
  /** undefined: the rules run for every message and say nothing about its language. */
  language: Language | undefined;
  rules: AdviceRule[];
}

const RULE_SETS: RuleSet[] = [
  { language: undefined, rules: ANY_LANGUAGE_RULES },
  { language: "en", rules: ENGLISH_RULES },
  ...[SPANISH, GERMAN, FRENCH].map((pack) => ({ language: pack.language, rules: pack.advice })),
];

/**
 * A rule whose pattern holds a medication term cannot match a message that mentions none: the
 * one `mentionsMedication` scan stands in for all of them.
 */
const MEDICATION_SOURCES = [MEDICATION_SOURCE, MEDICATION_ANY_LANGUAGE_SOURCE].map(
  (source) => new RegExp(source).source,
);
/** Rules split into their alternatives (see splitAlternatives), each gated and run alone. */
const LANGUAGE_RULES = RULE_SETS.flatMap(({ language, rules }) =>
  rules.flatMap((rule) =>
    splitAlternatives(rule.pattern).map((pattern) => ({
      ...rule,
      pattern,
      language,
      needsMedication:
        rule.needs === "medication" || MEDICATION_SOURCES.some((source) => pattern.source.includes(source)),
    })),
  ),
);
/** What the gate filters, in rule order; test/safety/required-literals.generate.ts reads their literals. */
export const ADVICE_GATED_PATTERNS: readonly RegExp[] = LANGUAGE_RULES.map((rule) => rule.pattern);
// Built on first use, not at import: the literals come from required-literals.ts, but indexing them
// still costs a few ms, which start-up need not pay (the api warms the gates up after it listens).
let ruleGate: LiteralGate | undefined;
const gate = (): LiteralGate => {
  ruleGate ??= literalGate(ADVICE_GATED_PATTERNS);
  return ruleGate;
};

/** The medical-advice categories a message asks about (empty: not an advice request). */
export function detectMedicalAdviceRequest(text: string): MedicalAdviceCategory[] {
  return findAdviceRequests(prepareForMatching(text)).categories;
}

export interface AdviceFinding {
  categories: MedicalAdviceCategory[];
  /** The languages of the rules that matched. */
  languages: Language[];
}

/** Layer 1's entry: the categories and which languages' rules found them. */
export function findAdviceRequests(match: MatchText): AdviceFinding {
  const { text } = match;
  const found = new Set<MedicalAdviceCategory>();
  const languages = new Set<Language>();
  const mayMatch = gate().mayMatch(text);
  let hasMedication: boolean | undefined;
  LANGUAGE_RULES.forEach(({ language, category, pattern, needs, needsMedication }, index) => {
    if (found.has(category) || mayMatch[index] !== true) return;
    if (needsMedication) {
      hasMedication ??= mentionsMedication(text);
      if (!hasMedication) return;
    }
    if (!pattern.test(text)) return;
    if (needs === "named_medication" && !namesMedication(text)) return;
    found.add(category);
    if (language !== undefined) languages.add(language);
  });
  return { categories: [...found], languages: [...languages] };
}
