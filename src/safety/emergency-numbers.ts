// Which emergency and crisis numbers to give, from the user's IANA time zone (the only location
// signal a turn carries). Not exhaustive: the zones of the countries Hilo ships in and their
// neighbours, each checked against the country's official services. An unknown zone gets generic
// wording rather than a number that could be wrong.

/** A suicide / crisis line: what to dial and how it is reached. */
export interface CrisisLine {
  numbers: readonly string[];
  /** The service's own name, written as it names itself. */
  name?: string;
  /** Whether it takes text messages too. */
  text?: boolean;
  /** Whether calling it is free. */
  free?: boolean;
}

export interface PoisonLine {
  number: string;
  name: string;
}

export interface EmergencyContacts {
  /** ISO 3166-1 alpha-2, undefined when the zone is not mapped. */
  country: string | undefined;
  /** What to dial for an ambulance, first choice first; empty when the zone is not mapped. */
  emergencyNumbers: readonly string[];
  /** A suicide / crisis line, when the country has one we list. */
  crisisLine: CrisisLine | undefined;
  /** A poison information line, when the country has one we list. */
  poisonLine: PoisonLine | undefined;
}

interface CountryContacts {
  emergencyNumbers: readonly string[];
  crisisLine?: CrisisLine;
  poisonLine?: PoisonLine;
}

const EU_112: CountryContacts = { emergencyNumbers: ["112"] };
const SAMARITANS: CrisisLine = { numbers: ["116 123"], name: "Samaritans", free: true };

const CONTACTS_BY_COUNTRY: Record<string, CountryContacts> = {
  US: {
    emergencyNumbers: ["911"],
    crisisLine: { numbers: ["988"], name: "Suicide & Crisis Lifeline", text: true },
    poisonLine: { number: "1-800-222-1222", name: "Poison Help" },
  },
  CA: {
    emergencyNumbers: ["911"],
    crisisLine: { numbers: ["988"], name: "Suicide Crisis Helpline", text: true },
  },
  MX: { emergencyNumbers: ["911"] },
  GB: { emergencyNumbers: ["999"], crisisLine: SAMARITANS },
  IE: { emergencyNumbers: ["112", "999"], crisisLine: SAMARITANS },
  FR: {
    emergencyNumbers: ["112", "15 (SAMU)"],
    crisisLine: { numbers: ["3114"], name: "numéro national de prévention du suicide" },
  },
  DE: {
    emergencyNumbers: ["112"],
    crisisLine: { numbers: ["0800 111 0 111"], name: "TelefonSeelsorge", free: true },
  },
  ES: { emergencyNumbers: ["112"], crisisLine: { numbers: ["024"], name: "Línea 024" } },
  NL: {
    emergencyNumbers: ["112"],
    crisisLine: { numbers: ["113", "0800-0113"], name: "113 Zelfmoordpreventie" },
  },
  IT: EU_112,
  BE: EU_112,
  LU: EU_112,
  AT: EU_112,
  CH: EU_112,
  PT: EU_112,
  SE: EU_112,
  DK: EU_112,
  FI: EU_112,
  PL: EU_112,
  CZ: EU_112,
  SK: EU_112,
  HU: EU_112,
  SI: EU_112,
  HR: EU_112,
  RO: EU_112,
  BG: EU_112,
  GR: EU_112,
  CY: EU_112,
  MT: EU_112,
  EE: EU_112,
  LV: EU_112,
  LT: EU_112,
  AU: { emergencyNumbers: ["000"], crisisLine: { numbers: ["13 11 14"], name: "Lifeline" } },
  NZ: { emergencyNumbers: ["111"], crisisLine: { numbers: ["1737"], text: true } },
  IN: { emergencyNumbers: ["112"], crisisLine: { numbers: ["14416"], name: "Tele-MANAS" } },
  SG: { emergencyNumbers: ["995"], crisisLine: { numbers: ["1767"], name: "SOS" } },
  HK: { emergencyNumbers: ["999"] },
  JP: { emergencyNumbers: ["119"] },
  // 112 reaches the ambulance from a mobile only; 10177 from any phone.
  ZA: { emergencyNumbers: ["10177", "112"] },
  BR: { emergencyNumbers: ["192 (SAMU)"], crisisLine: { numbers: ["188"], name: "CVV" } },
};

/** Exact zone names, including the legacy aliases the IANA database still accepts. */
const COUNTRY_BY_ZONE: Record<string, string> = {
  // United States (prefixes America/Indiana/, America/Kentucky/, America/North_Dakota/, US/ below)
  "America/New_York": "US",
  "America/Chicago": "US",
  "America/Denver": "US",
  "America/Phoenix": "US",
  "America/Los_Angeles": "US",
  "America/Anchorage": "US",
  "America/Juneau": "US",
  "America/Sitka": "US",
  "America/Metlakatla": "US",
  "America/Yakutat": "US",
  "America/Nome": "US",
  "America/Adak": "US",
  "America/Boise": "US",
  "America/Detroit": "US",
  "America/Menominee": "US",
  "America/Puerto_Rico": "US",
  "Pacific/Honolulu": "US",
  // Canada (prefix Canada/ below)
  "America/Toronto": "CA",
  "America/Vancouver": "CA",
  "America/Edmonton": "CA",
  "America/Winnipeg": "CA",
  "America/Regina": "CA",
  "America/Swift_Current": "CA",
  "America/Halifax": "CA",
  "America/Glace_Bay": "CA",
  "America/Moncton": "CA",
  "America/Goose_Bay": "CA",
  "America/St_Johns": "CA",
  "America/Whitehorse": "CA",
  "America/Dawson": "CA",
  "America/Dawson_Creek": "CA",
  "America/Fort_Nelson": "CA",
  "America/Creston": "CA",
  "America/Yellowknife": "CA",
  "America/Inuvik": "CA",
  "America/Iqaluit": "CA",
  "America/Rankin_Inlet": "CA",
  "America/Resolute": "CA",
  "America/Cambridge_Bay": "CA",
  "America/Atikokan": "CA",
  "America/Blanc-Sablon": "CA",
  // Elsewhere in the Americas
  "America/Mexico_City": "MX",
  "America/Monterrey": "MX",
  "America/Cancun": "MX",
  "America/Tijuana": "MX",
  "America/Sao_Paulo": "BR",
  // Europe
  "Europe/London": "GB",
  "Europe/Belfast": "GB",
  "Europe/Jersey": "GB",
  "Europe/Guernsey": "GB",
  "Europe/Isle_of_Man": "GB",
  GB: "GB",
  "Europe/Dublin": "IE",
  Eire: "IE",
  "Europe/Paris": "FR",
  "Europe/Berlin": "DE",
  "Europe/Busingen": "DE",
  "Europe/Madrid": "ES",
  "Atlantic/Canary": "ES",
  "Africa/Ceuta": "ES",
  "Europe/Amsterdam": "NL",
  "Europe/Rome": "IT",
  "Europe/Brussels": "BE",
  "Europe/Luxembourg": "LU",
  "Europe/Vienna": "AT",
  "Europe/Zurich": "CH",
  "Europe/Lisbon": "PT",
  "Atlantic/Madeira": "PT",
  "Atlantic/Azores": "PT",
  "Europe/Stockholm": "SE",
  "Europe/Copenhagen": "DK",
  "Europe/Helsinki": "FI",
  "Europe/Warsaw": "PL",
  "Europe/Prague": "CZ",
  "Europe/Bratislava": "SK",
  "Europe/Budapest": "HU",
  "Europe/Ljubljana": "SI",
  "Europe/Zagreb": "HR",
  "Europe/Bucharest": "RO",
  "Europe/Sofia": "BG",
  "Europe/Athens": "GR",
  "Asia/Nicosia": "CY",
  "Europe/Nicosia": "CY",
  "Europe/Malta": "MT",
  "Europe/Tallinn": "EE",
  "Europe/Riga": "LV",
  "Europe/Vilnius": "LT",
  // Asia-Pacific and Africa (prefix Australia/ below)
  "Pacific/Auckland": "NZ",
  "Pacific/Chatham": "NZ",
  "Asia/Kolkata": "IN",
  "Asia/Calcutta": "IN",
  "Asia/Singapore": "SG",
  "Asia/Hong_Kong": "HK",
  "Asia/Tokyo": "JP",
  "Africa/Johannesburg": "ZA",
};

const COUNTRY_BY_ZONE_PREFIX: readonly (readonly [string, string])[] = [
  ["America/Indiana/", "US"],
  ["America/Kentucky/", "US"],
  ["America/North_Dakota/", "US"],
  ["US/", "US"],
  ["Canada/", "CA"],
  ["Australia/", "AU"],
];

export function countryForTimezone(timezone: string | undefined): string | undefined {
  if (timezone === undefined) return undefined;
  const exact = COUNTRY_BY_ZONE[timezone];
  if (exact !== undefined) return exact;
  return COUNTRY_BY_ZONE_PREFIX.find(([prefix]) => timezone.startsWith(prefix))?.[1];
}

export function emergencyContactsFor(timezone: string | undefined): EmergencyContacts {
  const country = countryForTimezone(timezone);
  const contacts = country === undefined ? undefined : CONTACTS_BY_COUNTRY[country];
  if (country === undefined || contacts === undefined) {
    return { country: undefined, emergencyNumbers: [], crisisLine: undefined, poisonLine: undefined };
  }
  return {
    country,
    emergencyNumbers: contacts.emergencyNumbers,
    crisisLine: contacts.crisisLine,
    poisonLine: contacts.poisonLine,
  };
}
