// Layer 1 prompt-injection screen: attempts to override the assistant's instructions, make it
// reveal them or its tools, switch it into another persona, or smuggle in a fake system or
// developer message. A hit is blocked silently (a neutral reply, no model call, an audit row).
//
// The override and reveal rules need the words that only make sense when talking to the model
// ("previous instructions", "system prompt", "your tools"), so "ignore my reading from
// yesterday" or "what are the instructions for wearing the watch?" pass.

import { normaliseForMatching } from "./normalise.ts";

export type InjectionCategory =
  | "injection_override"
  | "injection_reveal"
  | "injection_roleplay"
  | "injection_fake_role";

const CLINICIAN = `(?:doctor|physician|cardiologist|gp|nurse|pharmacist|clinician|medical professional|dr)`;

interface InjectionRule {
  category: InjectionCategory;
  pattern: RegExp;
  /** A second pattern the message must also contain (kept apart to stay linear). */
  alsoNeeds?: RegExp;
}

const RULES: InjectionRule[] = [
  {
    category: "injection_override",
    pattern: new RegExp(
      [
        String.raw`\b(?:ignore|disregard|forget|override|bypass|skip|drop|abandon|discard|neglect) (?:(?:all|any|every|each|the|your|my|these|those|of|previous|prior|above|earlier|preceding|original|initial|system|developer|safety|existing|current|old|other) )*(?:instructions?|prompts?|rules|directives?|guidelines|guardrails|programming|constraints|restrictions|policies|policy|filters|safeguards|training|safety|ethics)\b`,
        String.raw`\b(?:ignore|disregard|forget) (?:the|all|everything|anything)(?: (?:written|said|stated|you (?:were|have been|'ve been) told|you know|you learned))? (?:above|before|prior|previously)\b`,
        String.raw`\bforget everything you (?:were|have been|'ve been) told\b`,
        String.raw`\b(?:ignore|disregard|forget) (?:everything|all of (?:that|this|the above)|all that)\b(?! (?:about|from|before|on|in|i|i've|i'd|else|except|but)\b)`,
        String.raw`\bnew (?:instructions|rules|system prompt|policy|directive)s? ?:`,
        String.raw`\b(?:admin|administrator|developer|system|root|sudo|god) (?:override|access|command)\b`,
        String.raw`\b(?:safety|filters?|guardrails|restrictions|moderation) ?(?:=|:) ?(?:off|false|0|none|disabled)\b`,
        String.raw`\brules (?:don't|do not|no longer|won't|will not) apply\b`,
        String.raw`\b(?:disable|turn off|deactivate|remove|switch off|bypass|lift|drop)(?: (?:all|your|the|any|of))* (?:safety |content )?(?:filters?|guardrails|restrictions|safeguards|safety|moderation|censorship)\b`,
      ].join("|"),
    ),
  },
  {
    category: "injection_reveal",
    pattern: new RegExp(
      [
        String.raw`\b(?:system|developer|hidden|secret|internal|initial|original|confidential|pre-?) ?(?:prompt|instructions?|message|directives)\b`,
        String.raw`\b(?:reveal|show|print|display|output|repeat|tell|give|share|leak|dump|list|expose|copy|echo|what are|what were|what's|what is)\b(?: me| us)?(?: (?:all|exactly|the|of|your|full|complete|exact|contents|content|text|entire|whole|everything|in|from|within|inside))* (?:your (?:\w+ )?(?:tools?|functions?|instructions|prompt|rules|configuration|config|api keys?|guidelines|context(?: window)?|memory)|(?:tools?|functions?) (?:you|that you|which you) (?:have|can|use|are|were)|(?:internal )?(?:tool|function) names|api keys?)\b`,
        String.raw`\b(?:print|repeat|output|show|copy|echo|write)(?: out| back| me)?(?: (?:all|everything|the|this|your))* (?:text|words|message|content|conversation|prompt|instructions|lines?) (?:above|before this|preceding)\b`,
        String.raw`\bwhat (?:were|are) you (?:told|instructed|programmed|prompted)\b`,
        String.raw`\bcontext window\b`,
        String.raw`\b(?:print|reveal|show|repeat|output|display|dump|leak|tell me|give me|share|copy)\b[^.?!\n]{0,30}\byour (?:system |initial |original |hidden |full |whole |entire )?(?:prompt|instructions)\b`,
        String.raw`\b(?:tools?|functions?|plugins?)\b[^.?!\n]{0,20}\b(?:available to you|you have access to|you can access)\b`,
        String.raw`\bin your (?:system prompt|prompt|instructions|guidelines|programming|rules)\b`,
        String.raw`\b(?:instructions|rules|guidelines|prompt|directives) (?:were you|have you been|did you get|you were|you have been|you've been) (?:given|told|provided|programmed)`,
        String.raw`\bwhat (?:tools|functions|plugins|apis|actions) (?:do|can|did|are) you (?:have|use|call|access|got|able)`,
      ].join("|"),
    ),
  },
  {
    category: "injection_roleplay",
    pattern: new RegExp(
      [
        String.raw`\b(?:pretend|imagine|act|behave|roleplay|role-play|role play|play the role)(?: (?:to be|that|like|as if|as though|you are|you're|youre|you were|ur|u r|u are|you r|as|of))+ (?:my |a |an |the )?(?:personal |real |licensed |qualified )?(?:${CLINICIAN}|dan|evil|unrestricted|unfiltered|jailbroken|uncensored|different ai|another ai|human)\b`,
        String.raw`\byou(?:'re| are) (?:now )?(?:my )?(?:a |an )?(?:personal |real )?${CLINICIAN}\b`,
        String.raw`\byou(?:'re| are) now (?:called |named |playing |acting as )?(?:a |an )?[a-z0-9-]*(?:bot|gpt|ai|doctor|doc)\b`,
        String.raw`\byou(?:'re| are) (?:now|no longer) (?:dan\b|an? (?:unrestricted|unfiltered|uncensored|jailbroken|evil|different)|free\b|in (?:developer|god|jailbreak|dan) mode|hilo\b|an assistant|bound|restricted)`,
        String.raw`\b(?:developer|god|jailbreak|dan|unrestricted|unfiltered) mode\b`,
        String.raw`\bjailbr(?:eak|oken)\w*`,
        String.raw`\b(?:simulate|impersonate|emulate|become)(?: (?:a|an|my|the))? (?:personal |real )?${CLINICIAN}\b`,
        String.raw`\bdo anything now\b`,
        String.raw`\bfrom now on,? you (?:will|are|must|shall|should|have|can)\b`,
        String.raw`\bstay in character\b`,
      ].join("|"),
    ),
  },
  {
    // "no restrictions" alone could be about a goal; addressed to the assistant it is a jailbreak.
    category: "injection_roleplay",
    pattern:
      /\b(?:(?:no |without (?:any )?)(?:safety |content )?(?:restrictions|rules|limits|limitations|filters|guardrails|policy|policies|censorship|ethics|guidelines)|unfiltered|uncensored|unrestricted)\b/,
    alsoNeeds: /\b(?:you|answer|respond|reply|ai|model|assistant)\b/,
  },
  {
    category: "injection_fake_role",
    pattern: new RegExp(
      [
        String.raw`(?:^|[-=#*>\]})]{2,} ?)(?:system|developer|assistant) ?(?:message|prompt|note|override)? ?:`,
        String.raw`\bend of (?:the )?(?:user |system )?(?:message|input|prompt|instructions)\b`,
        String.raw`<\|[a-z_]+\|>`,
        String.raw`\[\/?(?:inst|system|sys|developer)\]`,
        String.raw`<<\/?sys>>`,
        String.raw`<\/?(?:system|developer|assistant|user|instructions?)>`,
        String.raw`^ ?#{1,6} ?(?:system|developer|instructions?|assistant)\b`,
        `"role" ?: ?"(?:system|developer)"`,
      ].join("|"),
      "m",
    ),
  },
];

/** The injection categories present in a message (empty: not an injection attempt). */
export function detectInjection(text: string): InjectionCategory[] {
  const normalised = normaliseForMatching(text);
  const found = new Set<InjectionCategory>();
  for (const { category, pattern, alsoNeeds } of RULES) {
    if (found.has(category) || !pattern.test(normalised)) continue;
    if (alsoNeeds === undefined || alsoNeeds.test(normalised)) found.add(category);
  }
  return [...found];
}
