// Street addresses and UK postcodes in a message. An address is as identifying as a phone number,
// and health data beside it makes it worse. Each shape is one a reader would call an address at
// a glance, so a reading, a date, a time, a step count or an order number never is:
// - English: house number, one to three name words, a street word ("12 Baker Street", "221b
//   Baker St", "Flat 3, 12 High Street"), then optionally an apartment, a city after a comma, and
//   a US state with its ZIP or a UK postcode. The name words are capitalised, or the message says
//   it is an address ("I live at 42 elm road"); "3 miles down the road" has no name words at all.
// - US: "Springfield, IL 62704" (city, state, ZIP). A ZIP alone ("zip 94107") is a region of
//   thousands of people and stays.
// - German: "Hauptstraße 12", "Berliner Straße 5a", with "10115 Berlin" after it.
// - French: "12 rue de la Paix", "5 bis avenue Victor Hugo", with "75002 Paris" after it.
// - Spanish: "Calle Mayor 5", "Avda. de la Constitución 12, 3º B", with "28013 Madrid" after it.
// - UK postcodes on their own ("SW1A 1AA", "M1 1AE"): a postcode is a dozen households. In capitals
//   as written on letters; in lower case only after "postcode".
// A German, French or Spanish postcode alone is, like a ZIP, a district, and stays.

export type AddressKind = "address" | "postcode";

export interface AddressSpan {
  kind: AddressKind;
  start: number;
  end: number;
}

const UPPER = String.raw`\p{Lu}`;
const WORD = String.raw`[\p{L}'’.-]+`;
const CAPITALISED = String.raw`${UPPER}[\p{L}'’-]*`;
/** A place name: "London", "Saint-Étienne"; not "NW1" or "IL". */
const CITY_WORD = String.raw`${UPPER}\p{Ll}[\p{L}'’-]*`;
const US_STATE =
  "(?:AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC)";
/** Outward code, space, inward code; the inward letters never include C, I, K, M, O or V. */
const UK_POSTCODE = "(?:[A-Z]{1,2}[0-9][A-Z0-9]?|GIR) ?[0-9][ABD-HJLNP-UW-Z]{2}";
const NOT_GLUED_BEFORE = String.raw`(?<![\p{L}\p{N}/.,:#-])`;
const NOT_GLUED_AFTER = String.raw`(?![\p{L}\p{N}])`;
/** A word whose first letter may be either case: "Street" or "street". */
const eitherCase = (words: readonly string[]) =>
  `(?:${words.map((word) => `[${word[0]?.toUpperCase()}${word[0]}]${word.slice(1)}`).join("|")})`;

const ENGLISH_STREET_WORD = eitherCase(
  "street st road rd avenue ave lane ln drive dr boulevard blvd court ct place pl terrace close crescent way square sq gardens grove parkway pkwy highway hwy row mews walk circle cir trail".split(
    " ",
  ),
);
const ENGLISH_STREET = new RegExp(
  NOT_GLUED_BEFORE +
    String.raw`(?:${eitherCase(["flat", "apt", "apartment", "unit", "suite"])} ?[\p{L}\p{N}-]+,? )?` +
    String.raw`\d{1,5}[A-Za-z]?(?:-\d{1,5})?,? (?<name>(?:${WORD} ){1,3})${ENGLISH_STREET_WORD}\.?${NOT_GLUED_AFTER}` +
    String.raw`(?:,? ${eitherCase(["apt", "apartment", "suite", "unit", "flat"])}\.? ?#?[\p{L}\p{N}-]+)?` +
    `(?:, ${CITY_WORD}(?: ${CITY_WORD}){0,2})?` +
    String.raw`(?:,? (?:${US_STATE} \d{5}(?:-\d{4})?|${UK_POSTCODE})${NOT_GLUED_AFTER})?`,
  "gu",
);
/** Words that make a number and a street word something else: "3 miles down the road". */
const NOT_A_STREET_NAME = new Set(
  "the a an my your his her our their this that of at on in down up along to from into onto over across miles mile km kilometres kilometers metres meters steps minutes mins hours times days weeks and or then more".split(
    " ",
  ),
);
/** What a message says just before an address it gives in lower case. */
const ADDRESS_CUE =
  /\b(?:live|lives|living|lived|address|moved|move|located|deliver|delivery|send|post|mail|visit|staying|stay|home is|house is|flat is|i'm at|we're at|come to|pick me up|vivo|direcci[oó]n|wohne|adresse|habite|j'habite)\b/i;
const CUE_WINDOW_CHARS = 50;

const US_CITY_STATE_ZIP = new RegExp(
  String.raw`(?<![\p{L}\p{N}])${CITY_WORD}(?: ${CITY_WORD}){0,2}, ${US_STATE} \d{5}(?:-\d{4})?(?!\d)`,
  "gu",
);

const GERMAN_STREET = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:${UPPER}[\p{Ll}ß-]*(?:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm|ufer|chaussee|steig|pfad)|${UPPER}[\p{Ll}ß-]*(?:er|e|es)? (?:Straße|Strasse|Str\.|Weg|Gasse|Platz|Allee|Ring|Damm|Ufer|Chaussee)|[\p{Ll}ß]{3,}(?:straße|strasse|gasse|allee)) ?\d{1,4}(?: ?[a-zA-Z])?${NOT_GLUED_AFTER}` +
    String.raw`(?:,? \d{5} ${CITY_WORD}(?:[ -]${CITY_WORD}){0,2})?`,
  "gu",
);

const FRENCH_STREET = new RegExp(
  NOT_GLUED_BEFORE +
    String.raw`\d{1,4}(?: ?(?:bis|ter))?,? (?:rue|avenue|av\.|boulevard|bd|allée|impasse|quai|chemin|faubourg|Rue|Avenue|Av\.|Boulevard|Bd|Allée|Impasse|Quai|Chemin|Faubourg|Place|Route|Square|Passage|Cours|Villa|Cité|Esplanade|Promenade)(?![\p{L}])` +
    String.raw`(?: (?:de la|des|du|de|la|le|les)(?![\p{L}])| (?:de l|d|l)['’])? ?[\p{L}'’-]+(?: ${CAPITALISED}){0,3}` +
    String.raw`(?:,? \d{5} ${CITY_WORD}(?:[ -]${CITY_WORD}){0,2}(?: [Cc][Ee][Dd][Ee][Xx](?: \d+)?)?)?`,
  "gu",
);

const SPANISH_STREET = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:[Cc]alle|C\/|[Aa]venida|[Aa]vda\.?|Av\.|Paseo|Plaza|Pza\.|Camino|Carretera|Ronda|Travesía|Glorieta|Pasaje|Carrer|Rúa)(?![\p{L}]) ?` +
    String.raw`(?:(?:de la|de los|de las|del|de) )?[\p{L}'’-]+(?: (?:(?:de la|de los|de las|del|de) )?${CAPITALISED}){0,3},? (?:n[º°o]\.? ?|número )?\d{1,4}[A-Za-z]?${NOT_GLUED_AFTER}` +
    String.raw`(?:,? \d{1,2}[º°ªo]?(?: ?[A-Za-z])?${NOT_GLUED_AFTER})?(?:,? \d{5}(?: ${CITY_WORD}(?:[ -](?:de )?${CITY_WORD}){0,2})?)?`,
  "gu",
);

const UK_POSTCODE_ALONE = new RegExp(String.raw`(?<![\p{L}\p{N}])${UK_POSTCODE}${NOT_GLUED_AFTER}`, "gu");
const UK_POSTCODE_AFTER_WORD = new RegExp(
  String.raw`\b(?:postcode|post code|postal code)(?: is)?:? (?<postcode>${UK_POSTCODE})${NOT_GLUED_AFTER}`,
  "giu",
);

/**
 * What each address pattern cannot match without, found in one cheap pass: most messages have no
 * street word before a house number and skip the pattern altogether.
 */
const ENGLISH_STREET_GATE = new RegExp(String.raw`\b${ENGLISH_STREET_WORD}\b`);
const US_STATE_ZIP_GATE = new RegExp(String.raw`, ${US_STATE} \d{5}`);
const GERMAN_STREET_GATE =
  /(?:stra(?:ß|ss)e|str\.|weg|gasse|platz|allee|ring|damm|ufer|chaussee|steig|pfad) ?\d/i;

/** Addresses and UK postcodes, in order, none overlapping. */
export function findAddresses(text: string): AddressSpan[] {
  const spans: AddressSpan[] = [];
  const add = (kind: AddressKind, start: number, end: number) => {
    if (!spans.some((span) => start < span.end && end > span.start)) spans.push({ kind, start, end });
  };
  if (ENGLISH_STREET_GATE.test(text)) {
    for (const match of text.matchAll(ENGLISH_STREET)) {
      if (isEnglishStreetName(match.groups?.name ?? "", text, match.index)) {
        add("address", match.index, match.index + match[0].length);
      }
    }
  }
  const patterns = [
    ...(US_STATE_ZIP_GATE.test(text) ? [US_CITY_STATE_ZIP] : []),
    ...(GERMAN_STREET_GATE.test(text) ? [GERMAN_STREET] : []),
    FRENCH_STREET,
    SPANISH_STREET,
  ];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) add("address", match.index, match.index + match[0].length);
  }
  for (const match of text.matchAll(UK_POSTCODE_ALONE))
    add("postcode", match.index, match.index + match[0].length);
  for (const match of text.matchAll(UK_POSTCODE_AFTER_WORD)) {
    const postcode = match.groups?.postcode ?? "";
    const start = match.index + match[0].length - postcode.length;
    add("postcode", start, start + postcode.length);
  }
  return spans.sort((a, b) => a.start - b.start);
}

function isEnglishStreetName(name: string, text: string, start: number): boolean {
  const words = name.trim().split(" ");
  if (words.some((word) => NOT_A_STREET_NAME.has(word.toLowerCase()) || /\d/.test(word))) return false;
  if (words.every((word) => /^\p{Lu}/u.test(word))) return true;
  return ADDRESS_CUE.test(text.slice(Math.max(0, start - CUE_WINDOW_CHARS), start));
}
