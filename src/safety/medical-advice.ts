// Layer 1 medical-advice screen: requests to decide about a medication (take, start, stop,
// switch, skip, change the dose, combine) are declined before the model runs.
//
// A request needs a request frame ("should I", "can I", "is it safe to", "how much … should I
// take", "I want to stop") joined to a medication through a closed list of filler words. So
// statements that merely mention a dose ("I took my usual 20mg this morning, how's my trend?"),
// reminders ("remind me to take my pills"), product questions ("does the app remind me to take
// my medication?") and measurement questions ("should I take my blood pressure before my
// meds?") pass.

import {
  DOSE_AMOUNT_SOURCE,
  FILLER_SOURCE,
  MEDICATION_NAME_SOURCE,
  MEDICATION_SOURCE,
  mentionsMedication,
  namesMedication,
} from "./medication-terms.ts";
import { normaliseForMatching } from "./normalise.ts";

export type MedicalAdviceCategory =
  | "medical_advice_dose"
  | "medical_advice_change"
  | "medical_advice_interaction"
  | "medical_advice_choice";

// "can I stop my medication reminders?" is about the app, not the medication.
const MED = String.raw`${MEDICATION_SOURCE}(?! (?:reminders?|alerts?|notifications?|logs?|logging|list|tracker|tracking|schedule|history|entries|entry|section|tab|page|screen|settings?|feature)\b)`;
const FILL = `(?: ${FILLER_SOURCE})*`;
const WHO = `(?:i|we|he|she|my (?:husband|wife|partner|mom|mum|dad|mother|father|son|daughter))`;
const ADVERBS = `(?: (?:still|just|safely|now|also|really|ever|even|maybe|actually|then|only|simply))*`;
const DOSE_VERB = `(?:increase|increasing|decrease|decreasing|reduce|reducing|lower|lowering|raise|raising|up|upping|bump up|bumping up|double up|doubling up|double|doubling|halve|halving|cut|cutting|split|splitting|adjust|adjusting)`;
const CHANGE_VERB = `(?:take|taking|start|starting|stop|stopping|skip|skipping|quit|quitting|change|changing|switch|switching|continue|continuing|keep taking|come off|coming off|go off|going off|get off|getting off|wean off|stay on|be on|be taking|be using|drop|dropping|miss|resume|restart|pause|try|crush|ditch|ditching|give up|replace|replacing|substitute|swap|swapping)`;
const INTENT_VERB = `(?:stop|stopping|quit|quitting|skip|skipping|change|changing|switch|switching|come off|coming off|go off|going off|get off|getting off|wean off|weaning off|drop|dropping|start|starting|${DOSE_VERB})`;
const ASK = String.raw`\b(?:should|shall|can|could|may|must|do|would|will) ${WHO}${ADVERBS}`;
const WHETHER = String.raw`\b(?:(?:whether|if) ${WHO} (?:should|can|need to|ought to|must)|whether (?:or not )?to)${ADVERBS}`;
const IS_IT_OK = String.raw`(?:\b(?:is|would|will) it (?:be )?|^|\b(?:it's|it is) |, ?)(?:ok|okay|safe|fine|alright|all right|bad|dangerous|risky|a problem|a good idea|wise|better) (?:to|if i|for me to)${ADVERBS}`;

interface AdviceRule {
  category: MedicalAdviceCategory;
  pattern: RegExp;
  /** When set, the message must also mention (or name) a medication somewhere. */
  needs?: "medication" | "named_medication";
}

const rule = (category: MedicalAdviceCategory, source: string, needs?: AdviceRule["needs"]): AdviceRule => ({
  category,
  pattern: new RegExp(source),
  needs,
});

// Things one takes that are not medicine: "should I take a walk for my blood pressure?"
const NOT_MEDICINE = String.raw`(?:a |my |the |some )?(?:walk|break|nap|rest|reading|readings|measurement|bath|shower|breath|breather|holiday|vacation|day off|stairs|test|look)\b`;
const ALL_VERBS = `(?:${CHANGE_VERB}|${DOSE_VERB})`;
const PAST_VERB = `(?:stopped|skipped|quit|increased|decreased|reduced|lowered|raised|upped|doubled|halved|cut|split|switched|changed|missed|dropped|took|started|came off|went off)`;

const RULES: AdviceRule[] = [
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
];

/** The medical-advice categories a message asks about (empty: not an advice request). */
export function detectMedicalAdviceRequest(text: string): MedicalAdviceCategory[] {
  const normalised = normaliseForMatching(text);
  const found = new Set<MedicalAdviceCategory>();
  for (const { category, pattern, needs } of RULES) {
    if (found.has(category) || !pattern.test(normalised)) continue;
    if (needs === "medication" && !mentionsMedication(normalised)) continue;
    if (needs === "named_medication" && !namesMedication(normalised)) continue;
    found.add(category);
  }
  return [...found];
}
