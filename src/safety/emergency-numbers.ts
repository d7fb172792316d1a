// Which emergency and crisis numbers to give, from the user's IANA time zone (the only location
// signal a turn carries). Not exhaustive: the zones of the countries Hilo ships in and their
// neighbours, each checked against the country's official services. An unknown zone gets generic
// wording rather than a number that could be wrong.

export interface EmergencyContacts {
  /** ISO 3166-1 alpha-2, undefined when the zone is not mapped. */
  country: string | undefined;
  /** What to call for an ambulance, e.g. "911", or "your local emergency number". */
  emergency: string;
  /** A suicide / crisis line with how to reach it, when the country has one we list. */
  crisisLine: string | undefined;
  /** A poison information line, when the country has one we list. */
  poisonLine: string | undefined;
}

interface CountryContacts {
  emergency: string;
  crisisLine?: string;
  poisonLine?: string;
}

const EU_112: CountryContacts = { emergency: "112" };

const CONTACTS_BY_COUNTRY: Record<string, CountryContacts> = {
  US: {
    emergency: "911",
    crisisLine: "call or text 988 (Suicide & Crisis Lifeline)",
    poisonLine: "1-800-222-1222 (Poison Help)",
  },
  CA: { emergency: "911", crisisLine: "call or text 988 (Suicide Crisis Helpline)" },
  MX: { emergency: "911" },
  GB: { emergency: "999", crisisLine: "call Samaritans free on 116 123" },
  IE: { emergency: "112 or 999", crisisLine: "call Samaritans free on 116 123" },
  FR: { emergency: "112 (or 15 for SAMU)", crisisLine: "call 3114 (national suicide prevention line)" },
  DE: { emergency: "112", crisisLine: "call TelefonSeelsorge free on 0800 111 0 111" },
  ES: { emergency: "112", crisisLine: "call 024 (Línea 024)" },
  NL: { emergency: "112", crisisLine: "call 113 Zelfmoordpreventie on 113 or 0800-0113" },
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
  AU: { emergency: "000", crisisLine: "call Lifeline on 13 11 14" },
  NZ: { emergency: "111", crisisLine: "call or text 1737" },
  IN: { emergency: "112", crisisLine: "call Tele-MANAS on 14416" },
  SG: { emergency: "995", crisisLine: "call SOS on 1767" },
  HK: { emergency: "999" },
  JP: { emergency: "119" },
  ZA: { emergency: "10177 (or 112 from a mobile)" },
  BR: { emergency: "192 (SAMU)", crisisLine: "call CVV on 188" },
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
    return {
      country: undefined,
      emergency: "your local emergency number",
      crisisLine: undefined,
      poisonLine: undefined,
    };
  }
  return {
    country,
    emergency: contacts.emergency,
    crisisLine: contacts.crisisLine,
    poisonLine: contacts.poisonLine,
  };
}
