// Which of the screened languages a message is written in, from its most common words. Cheap on
// purpose (one pass over the first words, set look-ups): it picks the language of the canned reply
// and of Layer 3's correction, never whether a message is safe.

export type Language = "en" | "es" | "de" | "fr";

export const LANGUAGES: readonly Language[] = ["en", "es", "de", "fr"];

/**
 * Words frequent in one language and rare in the other three, in folded form (see
 * normaliseForMatching). Words two languages share ("de", "la", "en", "que", "no", "me", "es",
 * "was", "am", "le", "un", "du") are left out, so one of them cannot tip the guess.
 */
const MARKERS: Record<Language, readonly string[]> = {
  en: "the and i i'm i've my is are it it's this that to of with have has what you your can should do does don't not be been how why when".split(
    " ",
  ),
  es: "el los las y o mi mis esta estoy tengo tiene puedo debo deberia del al lo una muy pero por para con sin hay ya cuando como porque tambien tomar mucho quiero creo hoy tus".split(
    " ",
  ),
  de: "ich und der die das nicht ist mein meine mit ein eine einen habe hab kann soll sollte bin auf zu den dem mir mich wie auch aber oder noch mehr sehr heute dein deine deinem deinen deiner dir dich bitte steht sind wird".split(
    " ",
  ),
  fr: "je j'ai et des mon ma est pas ne une pour avec dans ai suis sur il elle c'est qui n'ai puis dois ce cette aussi mais ou".split(
    " ",
  ),
};

const LANGUAGES_OF_WORD = new Map<string, Language[]>();
const MAX_MARKER_CHARS = Math.max(
  ...Object.values(MARKERS).flatMap((words) => words.map((word) => word.length)),
);
for (const language of LANGUAGES) {
  for (const word of MARKERS[language]) {
    const languages = LANGUAGES_OF_WORD.get(word) ?? [];
    languages.push(language);
    LANGUAGES_OF_WORD.set(word, languages);
  }
}

/** Enough words to tell four languages apart; a long message is not read to its end. */
const WORDS_READ = 200;
const isWordChar = (code: number) => (code >= 97 && code <= 122) || code === 39;

/**
 * The language of normalised (lower-case, folded) text: the one with the most marker words among
 * the first words, if one leads; undefined for a tie or none.
 */
export function guessLanguage(normalised: string): Language | undefined {
  const counts: Record<Language, number> = { en: 0, es: 0, de: 0, fr: 0 };
  let read = 0;
  for (let at = 0; at < normalised.length && read < WORDS_READ; ) {
    if (!isWordChar(normalised.charCodeAt(at))) {
      at++;
      continue;
    }
    const start = at;
    while (at < normalised.length && isWordChar(normalised.charCodeAt(at))) at++;
    read += 1;
    // Marker words are short: a long word is never one, and is not sliced out to be looked up.
    if (at - start > MAX_MARKER_CHARS) continue;
    for (const language of LANGUAGES_OF_WORD.get(normalised.slice(start, at)) ?? []) counts[language] += 1;
  }
  const [first, second] = [...LANGUAGES].sort((a, b) => counts[b] - counts[a]);
  const leads =
    first !== undefined && counts[first] > 0 && (second === undefined || counts[first] > counts[second]);
  return leads ? first : undefined;
}
