// Layer 1 emergency screen: symptoms that need a phone call, not a chat answer. On a hit the
// turn gets crisis guidance and the model is never called.
//
// Recall comes first (a false alarm costs one canned message, a miss can cost a life), so the
// rules err towards "emergency":
// - Hypotheticals and general questions still trigger ("what should I do if I get chest
//   pain?" is answered with the emergency number, which is the right answer to it).
// - A medical symptom is suppressed only when it is directly negated ("no chest pain", "I
//   don't have any chest pain", "never fainted") or placed weeks or more in the past with no
//   sign it is happening again ("my chest pain went away last year" passes, "I had chest pain
//   last year and it's back today" does not). "Not sure if it's chest pain" is not a negation.
// - Self-harm and suicide are never suppressed, by negation or by past tense: "I'm not
//   suicidal" and "I tried to kill myself in 2019" both get the crisis line.
// - A crisis-level reading (systolic >= 180 or diastolic >= 120) alone is not an emergency (the
//   guidance is to re-measure and call the doctor); with a non-negated severe symptom, or with
//   "help" / "scared" / "what do I do", it is.
//
// - Spanish, German and French have the same rules in their own words (languages/), each with its
//   own negations and past markers; a rule's negation is its language's.
//
// Two kinds of rule: phrases ("can't breathe", "kill myself", "face is drooping"), and an anchor
// with a cue anywhere in the same sentence ("chest" + "tight", "breathing" + "hard"), which catches
// the many ways people describe the same thing. Keyword rules still miss paraphrases nobody wrote
// a rule for, so this screen is a floor for emergencies, not a guarantee.

import type { EmergencyCategory } from "./categories";
import type { Language } from "./language";
import { FRENCH } from "./languages/french";
import { GERMAN } from "./languages/german";
import type { Suppression, SymptomRule } from "./languages/rule-types";
import { SPANISH } from "./languages/spanish";
import { type LiteralGate, literalGate, splitAlternatives } from "./literal-gate";
import { type MatchText, prepareForMatching } from "./match-text";
import { MEDICATION_NAME_SOURCE } from "./medication-terms";
import { splitSentences } from "./normalise";

const CANT = `(?:can't|cant|cannot|can not|couldn't|could not)`;
const PERSON = `(?:my|his|her|their|the)`;
const SIDE = `(?:left|right)`;

/** The English rules; the other languages' are in languages/. */
const ENGLISH_RULES: SymptomRule[] = [
  {
    category: "emergency_chest_pain",
    pattern: new RegExp(
      [
        String.raw`\bchest (?:\w+ ){0,2}?(?:pains?|tight|tightness|pressure|hurts|hurting|heavy|heaviness|discomfort|aches?|aching|squeez\w*|crush\w*|on fire|burning|burns)`,
        String.raw`\b(?:pain|pains|pressure|tightness|heaviness|squeezing|ache|feeling|sensation|burning|weight|discomfort)(?: \w+){0,2}? (?:in|from|across|on|around|near) (?:${PERSON} )?(?:chest|heart)\b`,
        String.raw`\b(?:pain|ache|pressure)\b[^.?!\n]{0,20}\b(?:going|goes|shooting|spreading|radiating|moving|runs|running) (?:down|into|to|up) (?:${PERSON} )?(?:${SIDE} )?(?:arm|jaw|neck|shoulder|back)\b`,
        String.raw`\b(?:sitting|standing|kneeling|pressing|pushing|weight|heavy|elephant|someone|something)\b[^.?!\n]{0,25}\bon ${PERSON} chest`,
        String.raw`\bheart (?:hurts|is hurting|pain|aches|is aching|(?:is |feels )?(?:being )?(?:squeezed|crushed|squeezing))`,
        String.raw`\bcrushing (?:pain|pressure)`,
        String.raw`\b(?:is|are|am|i'm|he's|she's|they're|be|been|think i'm|think (?:he|she)'s) having a heart attack`,
        String.raw`\b(?:is (?:this|it)|this is|it's|it is) a heart attack`,
        String.raw`\bfeels? like (?:i'm having )?a heart attack`,
      ].join("|"),
      "g",
    ),
    suppressible: true,
  },
  {
    // Any chest complaint: "a band tightening around my chest", "pain in the middle of my chest".
    category: "emergency_chest_pain",
    pattern:
      /\b(?:chest|breastbone|sternum)\b(?! (?:strap|size|measurement|circumference|hair|day|workout|press|exercises?|fly|muscles?|x-ray))/g,
    suppressible: true,
    cue: /\b(?:pains?|painful|hurts?|hurting|tight\w*|pressure|heavy|heaviness|band|squeez\w*|crush\w*|burn\w*|aches?|aching|sore|fire|weight|discomfort|pounding|stabbing|sharp|vice|vise|clamp\w*|grip\w*|clammy)\b/g,
  },
  {
    // Any breathing difficulty: "breathing is really hard right now".
    category: "emergency_breathing",
    pattern: /(?<!deep )\bbreath(?!work)\w*\b(?! (?:exercises?|rate|technique|session|training))/g,
    suppressible: true,
    cue: /\b(?:hard|harder|difficult|trouble|struggl\w*|can't|cannot|barely|hardly|labou?red|stopped|wheez\w*|gasp\w*|painful|shallow)\b/g,
  },
  {
    category: "emergency_breathing",
    pattern: /\b(?:get|getting|enough) (?:\w+ )?air\b/g,
    suppressible: true,
    cue: /\b(?:hard|harder|difficult\w*|trouble|struggl\w*|can't|cannot|barely|hardly|not)\b/g,
  },
  {
    category: "emergency_breathing",
    pattern: /\bwheez\w*/g,
    suppressible: true,
    cue: /\b(?:can't (?:speak|talk|breathe)|cannot (?:speak|talk|breathe)|badly|severe|inhaler (?:isn't|is not|not) (?:working|helping)|blue|worse)\b/g,
  },
  {
    // "I think I'm having a panic attack or heart attack"; not "what's my risk of a heart attack?".
    category: "emergency_chest_pain",
    pattern: /\bheart attack\b/g,
    suppressible: true,
    cue: /\b(?:i'm|i am|am i|i think|having|right now)\b/g,
  },
  {
    category: "emergency_breathing",
    pattern: new RegExp(
      [
        String.raw`\b${CANT} (?:\w+ ){0,2}?(?:breathe|breath|catch ${PERSON} breath|get (?:enough )?air)`,
        String.raw`\b(?:barely|hardly) (?:breathe|breathing|catch ${PERSON} breath)`,
        String.raw`\b(?:isn't|is not|isnt|not|stopped|wasn't|was not|has stopped|stops) breathing\b`,
        String.raw`\b(?:unable to|struggling to|hard to|difficult to|trouble|difficulty|problems?|hard time|struggling|fighting for) (?:breathe|breathing|breath|air)\b`,
        String.raw`\bgasping\b`,
        String.raw`\bthroat (?:is |feels )?(?:closing|swelling|swollen|tight)|\b(?:tongue|lips|face) (?:is |are )?(?:swelling|swollen) up|\banaphyla\w*`,
        String.raw`\bchoking\b`,
        String.raw`\blips (?:are |look |looks |turning |turned |going )?(?:blue|grey|gray)`,
      ].join("|"),
      "g",
    ),
    suppressible: true,
  },
  {
    // Breathlessness is common after exercise; it counts with a sign it is severe or sudden.
    category: "emergency_breathing",
    pattern: /\bshort(?:ness)? of breath|\bbreathless|\bout of breath/g,
    suppressible: true,
    cue: /\b(?:severe|severely|sudden|suddenly|very|extremely|really bad|at rest|sitting|lying|can't talk|cannot talk|can't speak|blue|worse|worsening|now|chest|faint|fainting|dizzy|panic)\b/g,
  },
  {
    category: "emergency_self_harm",
    pattern: new RegExp(
      [
        String.raw`\b(?:kill|killing|hurt|hurting|harm|harming|cut|cutting|injure|injuring|starve|starving) myself\b`,
        String.raw`\bkms\b`,
        String.raw`\bunalive\b`,
        String.raw`\bsuicid\w*`,
        String.raw`\bself[- ]?harm\w*`,
        String.raw`\bend(?:ing)? (?:my|it) (?:own )?(?:life|all)\b`,
        String.raw`\bend(?:ing)? (?:things|everything)\b`,
        String.raw`\bdone with (?:life|living|everything|it all)\b`,
        String.raw`\b(?:happier|better off|easier|better) without me\b`,
        String.raw`\b(?:thinking|think|thoughts) (?:about|of) (?:dying|death|being dead|not being here)\b`,
        String.raw`\bhate myself\b|\bwant (?:it|this|everything) (?:all )?to (?:stop|end)\b`,
        String.raw`\b(?:see|no|what's|what is) (?:the |any )?point (?:in|of) (?:being alive|living|life|going on|carrying on|anything)\b`,
        String.raw`\b(?:been|started|start|keep|still) cutting\b|\bcutting (?:myself|again)\b`,
        String.raw`\bdo something (?:stupid|drastic|i'll regret)\b`,
        String.raw`\b${CANT} (?:cope|take (?:it|this) any ?more|do this any ?more)\b`,
        String.raw`\bgive up on (?:life|living|everything)\b`,
        String.raw`\btired of (?:living|life|being alive|existing)\b`,
        String.raw`\b(?:never|not) wake up\b(?! (?:on time|early|at night|in the night))`,
        String.raw`\b(?:life|living) (?:isn't|is not|ain't|'s not|is no longer|no longer feels|doesn't feel) worth\b|\bnot worth (?:living|it anymore|being alive)`,
        String.raw`\b(?:take|taking|swallow|swallowing) all (?:of )?my (?:\w+ )?(?:pills|tablets|meds|medication)`,
        String.raw`\b(?:nobody|no one|no-one) (?:would|will|is going to) (?:miss me|care if i)`,
        String.raw`\bif i (?:was|were|wasn't|weren't) (?:gone|around|alive)\b`,
        String.raw`\b(?:goodbye|suicide) (?:letters?|notes?)|\bgiving away (?:all )?my (?:things|stuff|belongings)`,
        String.raw`\b(?:jump|jumping) (?:off|from|in front of) (?:a|the) (?:bridge|building|roof|cliff|balcony|train)`,
        String.raw`\b(?:hang|hanging|shoot|shooting|drown|drowning|poison|poisoning) myself\b|\bslit\w* my wrists?`,
        String.raw`\b(?:want|going|thinking (?:of|about)|plan(?:ning)?) (?:to )?end it\b`,
        String.raw`\bdisappear (?:forever|for good|permanently)`,
        String.raw`\bnot (?:be|being) (?:here|around) (?:anymore|any more)`,
        String.raw`\b(?:life|living) (?:is|feels) (?:pointless|meaningless|not worth)|\bnot worth living`,
        String.raw`\b(?:saved|saving|stockpil\w*|hoard\w*) (?:up )?(?:\w+ ){0,2}?(?:pills|tablets|meds)\b|\b(?:pills|tablets|meds) (?:saved|stockpiled) up|\btake (?:them )?all at once`,
        String.raw`\btak(?:e|ing) my (?:own )?life\b`,
        String.raw`\b(?:don't|dont|do not|no longer) want to (?:live|be alive|be here|exist|wake up)\b`,
        String.raw`\b(?:want to|wanna|wish i could|going to|gonna|ready to) die\b`,
        String.raw`\bwish i (?:was|were|wasn't|weren't) (?:dead|alive|here|born)\b`,
        String.raw`\bbetter off (?:dead|without me|if i (?:was|were) (?:dead|gone|not here))`,
        String.raw`\bno (?:reason|point) (?:for me )?(?:to|in) (?:live|living|go on|going on|keep going|be alive|being alive)\b`,
        String.raw`\b${CANT} go on (?:anymore|any more|like this|living)`,
        String.raw`\blethal dose`,
        String.raw`\bi'd rather (?:be dead|not (?:be alive|exist|wake up|live|be here))\b`,
        String.raw`\b(?:can't|cant|don't|dont) see (?:the|any) point (?:anymore|any more|in (?:anything|living|going on|carrying on))`,
        String.raw`\b(?:can't|cant|don't|dont) see (?:a|any) way (?:forward|out)\b`,
        String.raw`\bhow (?:many|much)\b[^.?!\n]{0,50}\b(?:kill (?:me|myself)|to die|be fatal|be lethal)`,
      ].join("|"),
      "g",
    ),
    suppressible: false,
  },
  {
    category: "emergency_stroke",
    pattern: new RegExp(
      [
        String.raw`\b(?:face|mouth|smile|lip|lips) (?:\w+ ){0,2}?(?:droop\w*|numb\w*|weak\w*|paraly\w*|sag\w*)`,
        String.raw`\bdroop\w* (?:face|mouth|eye|eyelid|smile|on one side)`,
        String.raw`\b(?:face|mouth|smile)\b[^.?!\n]{0,20}\b(?:dropped|droop\w*|fell|fallen|sagg\w*|lopsided|crooked|uneven)\b`,
        String.raw`\b${CANT} find ${PERSON}? ?words\b`,
        String.raw`\bslurr\w*`,
        String.raw`\b(?:one|the ${SIDE}|${SIDE}) side (?:of ${PERSON} (?:body|face) )?(?:is |feels |went |has gone )?(?:weak|numb|paraly\w*|dead|heavy|limp)`,
        String.raw`\b(?:numb\w*|weak\w*|paraly\w*|tingl\w*) (?:on|in|down) (?:one|the ${SIDE}|my ${SIDE}|his ${SIDE}|her ${SIDE}|${SIDE}) side`,
        String.raw`\b${CANT} (?:lift|move|feel|raise|use) ${PERSON} (?:${SIDE} )?(?:arm|leg|hand|side|foot)`,
        String.raw`\b${SIDE} (?:arm|leg|side|hand) (?:is |feels |went |has gone )?(?:numb|weak|limp|paraly\w*|dead|tingl\w*)`,
        String.raw`\b(?:vision|sight)\b[^.?!\n]{0,30}\b(?:went|goes|going|gone|turned) (?:black|dark|blurry|grey|gray|double)`,
        String.raw`\b(?:lost|losing|loss of) (?:my |his |her )?(?:vision|sight)|\bblind in one eye|\b${CANT} see (?:out of|from|with) (?:one|my ${SIDE}) eye`,
        String.raw`\bsudden (?:numbness|weakness|confusion|loss of (?:vision|balance|sight)|trouble (?:speaking|seeing|walking)|severe headache)`,
        String.raw`\b(?:is|are|am|i'm|he's|she's|they're|be|been|think i'm|think (?:he|she)'s) having a (?:mini[- ])?stroke`,
        String.raw`\b(?:words|speech|talking|sentences) (?:make|makes|making) no sense|\bspeech is (?:garbled|jumbled|confused)`,
        // Two limbs at once, or a sudden onset; one numb hand alone is often the cuff.
        String.raw`\b(?:arm|leg|hand|face) (?:and|&) (?:${PERSON} )?(?:arm|leg|hand|face)\b[^.?!\n]{0,25}\b(?:went|gone|going|goes|is|are|feel|feels) (?:suddenly )?(?:numb|weak|dead|limp)`,
        String.raw`\bsudden(?:ly)?\b[^.?!\n]{0,30}\b(?:numb\w*|weak\w*|confus\w*|blurr\w*|blind\w*|${CANT} (?:speak|talk|see|walk|move))|\b(?:numb|weak)\w*\b[^.?!\n]{0,30}\bsudden(?:ly)?\b`,
        String.raw`\bis (?:this|it) a stroke`,
        String.raw`\bworst headache (?:of|in) my life|\bthunderclap headache`,
        String.raw`\b${CANT} (?:speak|talk) (?:properly|clearly|right|normally)`,
        String.raw`\bwords (?:are )?(?:coming out|come out|came out) (?:wrong|jumbled|garbled|slurred)`,
        String.raw`\b(?:speech|words|talking|voice)\b[^.?!\n]{0,15}\b(?:garbled|jumbled|slurred|muddled|gibberish|nonsense)\b|\b(?:arm|leg|hand) (?:is |went |has gone |feels )?(?:floppy|limp|dead)\b`,
        String.raw`\b(?:talking|speaking) (?:gibberish|nonsense)|\b${CANT} get (?:my|his|her|the) words out`,
        String.raw`\b(?:half|one side) of (?:my|his|her|the) face\b[^.?!\n]{0,20}\b(?:numb\w*|droop\w*|weak\w*|dropp\w*|fell|fall\w*|sag\w*|paraly\w*|dead|frozen)`,
      ].join("|"),
      "g",
    ),
    suppressible: true,
  },
  {
    category: "emergency_fainting",
    pattern: new RegExp(
      [
        String.raw`\bfaint(?:ed|ing)\b`,
        String.raw`\b(?:going to|about to|gonna|might|could) faint\b(?![-\w])`,
        String.raw`\bfeel(?:s|ing)? (?:like )?(?:i'm |i am )?(?:going to |about to |gonna )?faint\b(?![-\w])`,
        String.raw`\bpass(?:ed|ing|es)? out\b`,
        String.raw`\bblack(?:ed|ing|s)? out\b`,
        String.raw`\b(?:going to|about to|gonna|might|i'll|will) collapse\b`,
        String.raw`\b(?:room|world) (?:is |was )?(?:going |turning |gone |went |goes |turned |spinning and going )?(?:black|dark|grey|gray)\b`,
        String.raw`\blost consciousness|\bunconscious\b|\bunresponsive\b|\bcollaps(?:ed|ing)\b`,
        // Someone who does not respond; "my watch won't wake up" is not an emergency.
        String.raw`\b(?:he|she|they|him|her|mom|mum|dad|husband|wife|son|daughter|baby|child|grandma|grandpa|grandmother|grandfather|partner|friend|someone)\b[^.?!\n]{0,25}\b(?:won't|will not|can't|cannot|doesn't|does not|isn't|is not) (?:wake up|waking up|respond|responding)`,
      ].join("|"),
      "g",
    ),
    suppressible: true,
  },
  {
    // "I feel like I'm dying" (not "dying to know"): an alarm with no named symptom.
    category: "emergency_dying",
    pattern:
      /\b(?:i'm|i am|feel like i'm|feels like i'm|think i'm|he's|she's) dying\b(?! (?:to|for|of (?:laughter|boredom|embarrassment|curiosity)))/g,
    suppressible: true,
  },
  {
    category: "emergency_severe_pain",
    pattern:
      /\b(?:agoni[sz]ing|excruciating|unbearable|crushing|worst) pain\b|\bpain is (?:agoni[sz]ing|excruciating|unbearable)\b/g,
    suppressible: true,
  },
  {
    category: "emergency_seizure",
    pattern:
      /\b(?:having|had) (?:a )?(?:seizures?|convulsions?)\b|\bhaving a fit\b|\bseizing\b|\bconvuls\w*/g,
    suppressible: true,
  },
  {
    category: "emergency_bleeding",
    pattern:
      /\bbleeding\b[^.?!\n]{0,20}\b(?:heavily|a lot|badly|won't stop|will not stop|can't stop|cannot stop|everywhere|profusely)|\b(?:heavy|severe|uncontrolled|uncontrollable) bleeding\b/g,
    suppressible: true,
  },
  {
    category: "emergency_overdose",
    pattern: new RegExp(
      [
        String.raw`\boverdos\w*`,
        // "OD'd", "ODed"; not "odd".
        String.raw`\bod'd\b|\boded\b`,
        String.raw`\btook (?:way )?too (?:many|much) (?:\w+ ){0,4}?(?:pills?|tablets?|meds|medications?|medicines?|doses?|of (?:my|his|her|the))`,
        String.raw`\b(?:took|swallowed|taken|ate) (?:a |the )?(?:whole|entire|full) (?:bottle|pack|packet|box|strip)`,
        String.raw`\b(?:took|swallowed|taken) all (?:of )?${PERSON} (?:\w+ ){0,3}?(?:pills|tablets|meds|medications?|medicines?)`,
        String.raw`\b(?:took|swallowed|taken)\b[^.?!\n]{0,30}\b(?:all at once|at once|in one go)\b`,
        String.raw`\ba (?:whole|full|entire) (?:week|month)'?s? (?:worth )?of (?:pills|tablets|meds)`,
        String.raw`\b(?:took|swallowed|taken|ate|had)\b[^.?!\n]{0,30}\b(?:whole|entire|full) (?:[\w']+ ){0,2}?(?:organi[sz]er|bottle|pack|packet|box|blister|strip|pill ?box|dosette|sleeve|tub|container|week'?s? (?:supply|worth))\b`,
        // Four or more tablets at once; two is an ordinary dose for many drugs. "I took 20 mg
        // lisinopril" is a dose, not twenty tablets.
        String.raw`\b(?:took|swallowed|taken|had) (?:(?:[4-9]|\d{2,})(?![\d.,]| ?(?:mg|mcg|µg|ml|milligrams?|micrograms?|units?|iu|g)\b)|several|lots of|a bunch of|a lot of|many|four|five|six|seven|eight|nine|ten|twenty|a dozen) (?:of )?(?:${PERSON} )?(?:\w+ )?(?:pills|tablets|capsules|painkillers|${MEDICATION_NAME_SOURCE})`,
        // "has taken something like 30 of his sleeping tablets"
        String.raw`\b(?:took|swallowed|taken)\b[^.?!\n\d]{0,20}\b(?:[4-9]|\d{2,})(?![\d.,]| ?(?:mg|mcg|µg|ml|milligrams?|micrograms?|units?|iu|g)\b)(?: of)?(?: (?:my|his|her|their))? (?:\w+ )?(?:pills|tablets|capsules|painkillers|${MEDICATION_NAME_SOURCE})`,
        String.raw`\bemptied (?:the|a|my|his|her) (?:whole )?(?:\w+ ){0,2}?(?:bottle|box|pack|packet|blister|organi[sz]er|tub)\b`,
        String.raw`\b(?:load|loads|heap|pile|fistful|bunch|handful) of (?:\w+ )?(?:pills|tablets|painkillers|paracetamol|tylenol|sleeping pills|capsules|meds)\b`,
        // A double dose by mistake is a question for the pharmacist (medical advice); three times
        // the dose or more is an overdose.
        String.raw`\b(?:triple|quadruple|tenfold|ten-fold) (?:the |my |his |her )?dose|\b(?:three|four|five|ten) times (?:my|the|his|her) (?:usual |normal |prescribed |daily )?dose`,
        // A child getting into someone's medication.
        String.raw`\b(?:child|kid|toddler|baby|son|daughter|grandchild|grandson|granddaughter)\b[^.?!\n]{0,30}\b(?:swallowed|ate|took|got into|chewed|drank|drunk|had|got hold of)\b[^.?!\n]{0,40}?(?:\b(?:pills?|tablets?|meds|medications?|medicines?)\b|${MEDICATION_NAME_SOURCE})`,
      ].join("|"),
      "g",
    ),
    suppressible: true,
  },
];

/**
 * A negation that governs what follows it: the negator, then only words from a closed list,
 * then the symptom. Anchored at the end of the text before the symptom.
 */
const NEGATION_BEFORE = new RegExp(
  String.raw`\b(?:no|never|without|free of|zero|(?:do|does|did|have|has|had|is|was|am|are|were|could|would|wo|ca)(?:n't| not)|dont|didnt|havent|hasnt|i'm not|im not|not having|not experiencing|not getting|not feeling)` +
    `(?: (?:any|a|an|some|more|further|real|sharp|bad|severe|major|new|actual|other|signs? of|history of|have|had|having|get|got|getting|feel|felt|feeling|experience|experienced|experiencing|notice|noticed|suffer|suffered|from|with|the|my|of|been|ever|once|even|i|i've|i'm))* $`,
);

/** Weeks or more ago. */
const DISTANT_PAST =
  /\b(?:last (?:year|month|week|summer|winter|spring|fall|autumn)|(?:\d+|a|one|two|three|four|five|six|several|few|a few|many|some) (?:years?|months?|weeks?) ago|years ago|months ago|weeks ago|in (?:19|20)\d\d|as a (?:kid|child|teen|teenager)|when i was (?:young|younger|a kid|a child|a teen|pregnant))\b/;
/** Signs that it is happening now, which override a distant past in the same sentence. */
const HAPPENING_NOW =
  /\b(?:now|again|today|tonight|currently|still|this (?:morning|afternoon|evening)|keeps?|back|returned|came back)\b/;

interface RuleSet {
  language: Language;
  rules: SymptomRule[];
  suppression: Suppression;
}

const RULE_SETS: RuleSet[] = [
  {
    language: "en",
    rules: ENGLISH_RULES,
    suppression: { negationBefore: NEGATION_BEFORE, distantPast: DISTANT_PAST, happeningNow: HAPPENING_NOW },
  },
  ...[SPANISH, GERMAN, FRENCH].map((pack) => ({
    language: pack.language,
    rules: pack.emergency,
    suppression: pack.suppression,
  })),
];

interface ProbedRule extends SymptomRule {
  language: Language;
  suppression: Suppression;
  /** The pattern without "g", to skip a rule that matches nowhere in one pass over the text. */
  probe: RegExp;
}

/** Rules split into their alternatives (see splitAlternatives), each gated and probed alone. */
const PROBED_RULES: ProbedRule[] = RULE_SETS.flatMap(({ language, rules, suppression }) =>
  rules.flatMap((rule) =>
    splitAlternatives(rule.pattern).map((pattern) => ({
      ...rule,
      pattern,
      language,
      suppression,
      probe: new RegExp(pattern.source, pattern.flags.replace("g", "")),
    })),
  ),
);

/** What the gate filters, in rule order; test/safety/required-literals.generate.ts reads their literals. */
export const EMERGENCY_GATED_PATTERNS: readonly RegExp[] = PROBED_RULES.map((rule) => rule.pattern);
// Built on first use, not at import: the literals come from required-literals.ts, but indexing them
// still costs a few ms, which start-up need not pay (the api warms the gates up after it listens).
let ruleGate: LiteralGate | undefined;
const gate = (): LiteralGate => {
  ruleGate ??= literalGate(EMERGENCY_GATED_PATTERNS);
  return ruleGate;
};
const ALL_SUPPRESSIONS = RULE_SETS.map((set) => set.suppression);

/** A reading "190/125", "200 over 130", or a labelled "systolic 210". */
const READING = /\b(\d{2,3}) ?(?:\/|over) ?(\d{2,3})\b/g;
const SYSTOLIC_LABELLED =
  /\b(?:systolic|sys|top number|systolique|sistolica|systolisch|oberer wert|maxima|la alta|la haute)(?: is| of| was| at| reading| reading of| de| a| en| est| ist| von| bei)? (\d{2,3})\b|\b(\d{2,3}) (?:de )?(?:maxima|sistolica|de systolique|systolisch)\b/g;
const DIASTOLIC_LABELLED =
  /\b(?:diastolic|dia|bottom number|diastolique|diastolica|diastolisch|unterer wert)(?: is| of| was| at| reading| reading of| de| a| est| ist| von)? (\d{2,3})\b/g;
/**
 * A reading in centimetres of mercury, as it is said in Spain and France ("tengo la tensión a
 * 18/11", "ma tension est à 19/12" for 180/110 and 190/120): two small numbers right after a
 * word for blood pressure.
 */
const READING_CMHG =
  /\b(?:tension|presion|pression)(?: arterial| arterielle)?(?: (?:a|de|est|es|esta|est a|sube a|monte a))*\s?(\d{1,2})(?:[.,]\d)? ?[/-] ?(\d{1,2})\b/g;
const CRISIS_SYSTOLIC_MMHG = 180;
const CRISIS_DIASTOLIC_MMHG = 120;
const MMHG_PER_CMHG = 10;

/** Symptoms that, with a crisis-level reading, make it a hypertensive emergency (any language). */
const CRISIS_SYMPTOM =
  /\b(?:headache|head ache|head is pounding|pounding head|blurr\w*|double vision|vision (?:is |went |goes |getting )?(?:blurr\w*|double|dim|dark|fuzzy|funny|weird|strange|off|bad)|fuzzy|seeing (?:spots|double|stars)|vision problems?|can't see|confus\w*|disoriented|chest|short(?:ness)? of breath|breathless|numb\w*|weakness|nosebleed|vomit\w*|seizure|trouble (?:seeing|speaking)|dolor de cabeza|me (?:va a )?estalla la cabeza|vision borrosa|veo borroso|pecho|mareo|sangra la nariz|kopfschmerz\w*|verschwommen\w*|sehstorung\w*|brust|schwindel\w*|nasenbluten|verwirrt|erbrech\w*|mal (?:de|a la) tete|cephalee|vision (?:floue|trouble)|vois flou|poitrine|vertige\w*|saigne du nez|vomis\w*)/g;
/** Urgency in a message with a crisis-level reading: "230/140 help". */
const CRISIS_URGENCY =
  /\b(?:help|scared|frightened|terrified|panicking|emergency|urgent|ambulance|911|999|112|what do i do|ayuda|socorro|miedo|asustad[oa]|urgencia|que hago|hilfe|angst|notfall|was soll ich tun|aide|au secours|peur|urgence|que dois-je faire|que faire)\b/;

/** The emergency categories present in a message (empty: not an emergency). */
export function detectEmergency(text: string): EmergencyCategory[] {
  return findEmergencies(prepareForMatching(text)).categories;
}

export interface EmergencyFinding {
  categories: EmergencyCategory[];
  /** The languages of the rules that matched, in the order they matched. */
  languages: Language[];
}

/** Layer 1's entry: the categories and which languages' rules found them. */
export function findEmergencies(match: MatchText): EmergencyFinding {
  const { text } = match;
  const found = new Set<EmergencyCategory>();
  const languages = new Set<Language>();
  const mayMatch = gate().mayMatch(text);
  const candidates = PROBED_RULES.filter((rule, index) => mayMatch[index] === true && rule.probe.test(text));
  // A category is looked for in every language that has a candidate rule for it, so the
  // languages found say which languages the message spoke ("suicid" is English and Spanish).
  const foundIn = new Set<string>();
  for (const sentence of candidates.length > 0 ? splitSentences(text) : []) {
    for (const rule of candidates) {
      if (foundIn.has(`${rule.category} ${rule.language}`)) continue;
      if (rule.cue !== undefined && !hasLiveMatch(sentence, rule.cue, [rule.suppression])) continue;
      for (const hit of sentence.matchAll(rule.pattern)) {
        if (!rule.suppressible || !isSuppressed(sentence, hit.index, [rule.suppression])) {
          found.add(rule.category);
          foundIn.add(`${rule.category} ${rule.language}`);
          languages.add(rule.language);
          break;
        }
      }
    }
  }
  if (!found.has("emergency_overdose") && hasManyTimesTheDose(text)) found.add("emergency_overdose");
  const crisisReading = hasCrisisReading(text);
  if (crisisReading && (hasLiveSymptom(text, CRISIS_SYMPTOM) || CRISIS_URGENCY.test(text))) {
    found.add("emergency_crisis_reading");
  }
  return { categories: [...found], languages: [...languages] };
}

/** Suppressed when the negation or the distant past of any of the given languages applies. */
function isSuppressed(sentence: string, index: number, suppressions: readonly Suppression[]): boolean {
  const before = sentence.slice(Math.max(0, index - 60), index);
  return suppressions.some(
    ({ negationBefore, distantPast, happeningNow }) =>
      negationBefore.test(before) || (distantPast.test(sentence) && !happeningNow.test(sentence)),
  );
}

function hasLiveMatch(sentence: string, pattern: RegExp, suppressions: readonly Suppression[]): boolean {
  for (const hit of sentence.matchAll(pattern)) {
    if (!isSuppressed(sentence, hit.index, suppressions)) return true;
  }
  return false;
}

/** Crisis symptoms are words of every language, so any language's negation cancels one. */
function hasLiveSymptom(normalised: string, symptoms: RegExp): boolean {
  return splitSentences(normalised).some((sentence) => hasLiveMatch(sentence, symptoms, ALL_SUPPRESSIONS));
}

function hasCrisisReading(normalised: string): boolean {
  for (const reading of normalised.matchAll(READING)) {
    const systolic = Number(reading[1]);
    const diastolic = Number(reading[2]);
    // A plausible reading: systolic above diastolic; rules out dates such as 12/25.
    if (systolic <= diastolic || diastolic < 30) continue;
    if (systolic >= CRISIS_SYSTOLIC_MMHG || diastolic >= CRISIS_DIASTOLIC_MMHG) return true;
  }
  for (const reading of normalised.matchAll(READING_CMHG)) {
    const systolic = Number(reading[1]) * MMHG_PER_CMHG;
    const diastolic = Number(reading[2]) * MMHG_PER_CMHG;
    if (systolic <= diastolic || diastolic < 30) continue;
    if (systolic >= CRISIS_SYSTOLIC_MMHG || diastolic >= CRISIS_DIASTOLIC_MMHG) return true;
  }
  for (const reading of normalised.matchAll(SYSTOLIC_LABELLED)) {
    if (Number(reading[1] ?? reading[2]) >= CRISIS_SYSTOLIC_MMHG) return true;
  }
  for (const reading of normalised.matchAll(DIASTOLIC_LABELLED)) {
    if (Number(reading[1]) >= CRISIS_DIASTOLIC_MMHG) return true;
  }
  return false;
}

/**
 * "I took 200 mg instead of 20", "me tomé 10 pastillas en vez de 1": an amount of medication
 * three or more times the one meant, in any language. The first amount needs a dose unit or a
 * word for tablets, so "10,000 steps instead of 3,000" is not a dose.
 */
const INSTEAD_OF =
  /\b(\d+(?:[.,]\d+)?) ?(?:mgs?|mcg|µg|ml|units?|pills?|tablets?|capsules?|pastillas?|comprimidos?|tabletten?|comprimes?|cachets?|pilules?)\b[^.?!\n\d]{0,25}?\b(?:instead of|rather than|en vez de|en lugar de|statt|anstatt|anstelle von|au lieu de)\b[^.?!\n\d]{0,15}?(\d+(?:[.,]\d+)?)/g;
const OVERDOSE_RATIO = 3;

function hasManyTimesTheDose(normalised: string): boolean {
  for (const amounts of normalised.matchAll(INSTEAD_OF)) {
    const taken = Number((amounts[1] ?? "").replace(",", "."));
    const meant = Number((amounts[2] ?? "").replace(",", "."));
    if (meant > 0 && taken / meant >= OVERDOSE_RATIO) return true;
  }
  return false;
}
