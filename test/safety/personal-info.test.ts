// Layer 1 redaction: which numbers are personal information and which must survive untouched.
import { describe, expect, test } from "bun:test";
import { passesIbanCheck } from "../../src/safety/iban";
import { redactPersonalInfo } from "../../src/safety/index";
import { passesLuhn, passesNhsCheck } from "../../src/safety/personal-info";

describe("redactPersonalInfo replaces personal information in place", () => {
  const cases: { text: string; redacted: string }[] = [
    // phones, national and international
    { text: "call (415) 555-0134 today", redacted: "call [phone] today" },
    { text: "my number is 415-555-0134", redacted: "my number is [phone]" },
    { text: "415.555.0134", redacted: "[phone]" },
    { text: "text +1 415 555 0134 please", redacted: "text [phone] please" },
    { text: "1 (800) 555-0199", redacted: "[phone]" },
    { text: "Phone (212)555-0147", redacted: "Phone [phone]" },
    { text: "4155550134 is my cell", redacted: "[phone] is my cell" },
    { text: "UK +44 20 7946 0958", redacted: "UK [phone]" },
    { text: "mobile 07700 900123", redacted: "mobile [phone]" },
    { text: "landline 020 7946 0958", redacted: "landline [phone]" },
    { text: "FR +33 6 12 34 56 78", redacted: "FR [phone]" },
    { text: "portable 06 12 34 56 78", redacted: "portable [phone]" },
    { text: "DE +49 30 1234567", redacted: "DE [phone]" },
    { text: "Handy 0170 1234567", redacted: "Handy [phone]" },
    { text: "0044 20 7946 0958", redacted: "[phone]" },
    { text: "tel:+442079460958", redacted: "tel:[phone]" },
    { text: "call 555-0134", redacted: "call [phone]" },
    { text: "call 415 555 0134 8am", redacted: "call [phone] 8am" },
    { text: "415 555 0134 415 555 0199", redacted: "[phone] [phone]" },
    // phones glued to the word or symbol before them
    { text: "phone+447700900123", redacted: "phone[phone]" },
    { text: "tel:07700900123", redacted: "tel:[phone]" },
    { text: "call07700 900 123", redacted: "call[phone]" },
    { text: "mynumberis+44 7700 900123", redacted: "mynumberis[phone]" },
    { text: "whatsapp:+4915112345678", redacted: "whatsapp:[phone]" },
    { text: "Tel.0170 1234567", redacted: "Tel.[phone]" },
    { text: "phone#07700900123", redacted: "phone#[phone]" },
    { text: "CALL4155550134 after 6", redacted: "CALL[phone] after 6" },
    { text: "sms-555-0134", redacted: "sms-[phone]" },
    { text: "mobile=+33612345678", redacted: "mobile=[phone]" },
    { text: "phonenumber07700900123", redacted: "phonenumber[phone]" },
    { text: "Telefon0170 1234567", redacted: "Telefon[phone]" },
    // e-mail
    { text: "mail jane.doe@example.com now", redacted: "mail [email] now" },
    { text: "j_smith+bp@mail.example.co.uk", redacted: "[email]" },
    { text: "a@b.io,c@d.org", redacted: "[email],[email]" },
    // e-mail with "@" or "." spelled out
    { text: "name dot surname at example dot com", redacted: "[email]" },
    { text: "john.smith at gmail dot com", redacted: "[email]" },
    { text: "john [at] example [dot] com", redacted: "[email]" },
    { text: "john(at)example(dot)org", redacted: "[email]" },
    { text: "jane at example.co.uk", redacted: "[email]" },
    { text: "john AT example DOT com", redacted: "[email]" },
    { text: "Jane At Example Dot Com", redacted: "[email]" },
    { text: "write to jane at example dot co dot uk please", redacted: "write to [email] please" },
    { text: "email: j_smith99 at mail.example.org.", redacted: "email: [email]." },
    { text: "john{at}example{dot}io", redacted: "[email]" },
    { text: "john <at> example <dot> com", redacted: "[email]" },
    { text: "john (@) example (dot) net", redacted: "[email]" },
    { text: "jane [at] example.com", redacted: "[email]" },
    { text: "nick(dot)treleaven(at)btinternet(dot)com", redacted: "[email]" },
    { text: "contact me at jane dot de at gmail dot com", redacted: "contact me at [email]" },
    { text: "max at gmx.de", redacted: "[email]" },
    { text: "j.smith at example.de", redacted: "[email]" },
    { text: "anna99 at example.fr", redacted: "[email]" },
    { text: "Mail: max punkt mustermann at beispiel punkt de", redacted: "Mail: [email]" },
    { text: "mi correo es juan arroba ejemplo punto es", redacted: "mi correo es [email]" },
    { text: "juan.perez arroba correo punto com", redacted: "[email]" },
    { text: "écrivez à jean point dupont arobase exemple point fr", redacted: "écrivez à [email]" },
    // SSN
    { text: "SSN 123-45-6789", redacted: "SSN [ssn]" },
    { text: "social security number 219 09 9999", redacted: "social security number [ssn]" },
    { text: "my ssn is 536221234", redacted: "my ssn is [ssn]" },
    // cards (Luhn-valid test numbers)
    { text: "card 4111 1111 1111 1111", redacted: "card [card]" },
    { text: "4012-8888-8888-1881", redacted: "[card]" },
    { text: "5555555555554444", redacted: "[card]" },
    { text: "amex 3782 822463 10005", redacted: "amex [card]" },
    { text: "Visa 4111 1111 1111 1111.", redacted: "Visa [card]." },
    {
      text: "order 1002003004 paid with card 4012 8888 8888 1881",
      redacted: "order 1002003004 paid with card [card]",
    },
  ];
  for (const { text, redacted } of cases) {
    test(JSON.stringify(text), () => {
      expect(redactPersonalInfo(text).text).toBe(redacted);
    });
  }
});

describe("redactPersonalInfo leaves numbers that are not personal information", () => {
  const untouched = [
    "BP 128/82 and 128 / 82",
    "2026-03-08, 03/08/2026 and 8.3.2026",
    "08.03.2026 07:30 and 2026-03-08 07:30",
    "2026-03-08T07:30:00Z",
    "07:30, 7:30pm, 23:15",
    "12,345 steps and 12345 steps",
    "Steps: 8000 9000 10000 12000",
    "readings 128 130 125 140 135",
    "years 2023 2024 2025 2026",
    "Order #123456789",
    "order 1002003004",
    "booking ref 4155550134",
    "device HILO-8F2K-19X3 and HILO-4155-5501-34",
    "Serial number SN-20240308-0042",
    "the device serial 4111111111111111",
    "My IMEI is 490154203237518",
    "user id 20260308123",
    "case 00123456",
    "Invoice 2026-0415-5501",
    "part no. 4155-550134",
    "72 bpm, 81.5 kg, 20mg, 2.5 mg",
    "firmware 2.14.0301",
    "4111 1111 1111 1112 (fails Luhn)",
    "666-12-3456, 000-12-3456, 900-12-3456 (invalid SSN areas)",
    "zip 94107",
    "weights 81.5 82.0 81.2",
    // glued to a word that is not a phone word, or a shape that is not a phone
    "ordernumber07700900123",
    "hotel0123456789",
    "callback12345678",
    "number12345678",
    "SN-07700900123 and Order#07700900123",
    "call2026-03-08 at 07:30",
    "text128/82",
    // sentences with "at" and "dot" or a dot that are not addresses
    "I was at home dot",
    "look at it",
    "meet at 5 dot 30",
    "my pressure was 130 at 9am",
    "reading at 6.am and 7.30",
    "took it at 8 dot 15, then at 9.45",
    "I read about it at webmd.com",
    "the guidance at nhs.uk says so",
    "Leaflet at www.nhs.uk",
    "Mum at home.It was late",
    "my pressure at home.it was 140",
    "felt dizzy at work.so I sat down",
    "pain at this point in time",
    "at the clinic dot at the centre",
    "he's at work dot com",
    "a las 9 en punto",
  ];
  for (const text of untouched) {
    test(JSON.stringify(text), () => {
      const result = redactPersonalInfo(text);
      expect(result.text).toBe(text);
      expect(result.spans).toEqual([]);
    });
  }
});

describe("redactPersonalInfo spans", () => {
  test("point at the original text and name the kind", () => {
    const text = "call (415) 555-0134 or jane@example.com";
    const { spans } = redactPersonalInfo(text);
    expect(spans.map((span) => [span.category, text.slice(span.start, span.end)])).toEqual([
      ["pii_phone", "(415) 555-0134"],
      ["pii_email", "jane@example.com"],
    ]);
  });

  test("a spelled-out e-mail is an e-mail from its first to its last word", () => {
    const text = "reach jane dot doe [at] example [dot] co [dot] uk, thanks";
    const { spans } = redactPersonalInfo(text);
    expect(spans.map((span) => [span.category, text.slice(span.start, span.end)])).toEqual([
      ["pii_email", "jane dot doe [at] example [dot] co [dot] uk"],
    ]);
  });

  test("an e-mail's digits are not also taken for a phone", () => {
    expect(redactPersonalInfo("mail 4155550134@example.com").spans.map((span) => span.category)).toEqual([
      "pii_email",
    ]);
  });
});

describe("passesLuhn", () => {
  const cases: [string, boolean][] = [
    ["4111111111111111", true],
    ["4111111111111112", false],
    ["378282246310005", true],
    ["490154203237518", true],
    ["0", true],
    ["18", true],
    ["19", false],
  ];
  for (const [digits, valid] of cases) {
    test(`${digits} is ${valid ? "valid" : "invalid"}`, () => expect(passesLuhn(digits)).toBe(valid));
  }
});

describe("redactPersonalInfo replaces addresses, postcodes, NHS numbers and IBANs", () => {
  const cases: { text: string; redacted: string }[] = [
    { text: "I live at 42 Baker Street, London NW1 6XE", redacted: "I live at [address]" },
    { text: "send it to 221b Baker St please", redacted: "send it to [address] please" },
    { text: "Flat 3, 12 High Street, Oxford OX1 4AJ", redacted: "[address]" },
    { text: "123 Main St, Springfield, IL 62704 and BP 128/82", redacted: "[address] and BP 128/82" },
    { text: "Springfield, IL 62704", redacted: "[address]" },
    { text: "I live at 42 elm road", redacted: "I live at [address]" },
    { text: "my postcode is SW1A 1AA", redacted: "my postcode is [postcode]" },
    { text: "my postcode is sw1a 1aa", redacted: "my postcode is [postcode]" },
    { text: "Ich wohne in der Hauptstraße 12, 10115 Berlin", redacted: "Ich wohne in der [address]" },
    { text: "Berliner Straße 5a", redacted: "[address]" },
    { text: "J'habite au 12 rue de la Paix, 75002 Paris", redacted: "J'habite au [address]" },
    { text: "5 bis avenue Victor Hugo, 75016 Paris", redacted: "[address]" },
    { text: "Calle Mayor 5, 28013 Madrid", redacted: "[address]" },
    { text: "vivo en la calle del Pez 3, 2º B", redacted: "vivo en la [address]" },
    { text: "My NHS number is 943 476 5919", redacted: "My NHS number is [nhs_number]" },
    { text: "NHS no. 9434765919", redacted: "NHS no. [nhs_number]" },
    { text: "nhs 401-023-2137", redacted: "nhs [nhs_number]" },
    { text: "4010232137 is on my letter", redacted: "[nhs_number] is on my letter" },
    { text: "IBAN DE89 3704 0044 0532 0130 00 please", redacted: "IBAN [iban] please" },
    { text: "iban: gb82west12345698765432", redacted: "iban: [iban]" },
    { text: "FR14 2004 1010 0505 0001 3M02 606", redacted: "[iban]" },
    { text: "ES91 2100 0418 4502 0005 1332.", redacted: "[iban]." },
  ];
  for (const { text, redacted } of cases) {
    test(JSON.stringify(text), () => expect(redactPersonalInfo(text).text).toBe(redacted));
  }
});

describe("redactPersonalInfo leaves numbers near address words alone", () => {
  const untouched = [
    "I walked 3 miles down the road",
    "I came 2nd Place in the race",
    "zip 94107 and PLZ 10115",
    "28013 Madrid is where I was born",
    "Ich bin auf Platz 2",
    "j'ai 2 cours de yoga",
    "Camino 5 km al día",
    "de12 is not an iban, nor is GB82 WEST 1234 5698 7654 33",
    "401 023 2136 fails the NHS check",
    "Bestellnummer 4455667788",
    "Numéro de commande 7788990011",
    "at 7:30 with breakfast",
    "HILO-8F2K-19X3",
  ];
  for (const text of untouched) {
    test(JSON.stringify(text), () => expect(redactPersonalInfo(text).text).toBe(text));
  }

  test("spans name the new kinds", () => {
    const text = "NHS 943 476 5919, IBAN GB82 WEST 1234 5698 7654 32, 42 Baker Street; postcode EH1 1YZ";
    expect(redactPersonalInfo(text).spans.map((span) => span.category)).toEqual([
      "pii_nhs_number",
      "pii_iban",
      "pii_address",
      "pii_postcode",
    ]);
  });
});

describe("checksums", () => {
  const nhs: [string, boolean][] = [
    ["9434765919", true],
    ["4010232137", true],
    ["9434765918", false],
    ["123", false],
  ];
  for (const [digits, valid] of nhs) {
    test(`NHS ${digits} is ${valid ? "valid" : "invalid"}`, () => expect(passesNhsCheck(digits)).toBe(valid));
  }
  const ibans: [string, boolean][] = [
    ["DE89370400440532013000", true],
    ["GB82WEST12345698765432", true],
    ["DE89370400440532013001", false],
  ];
  for (const [iban, valid] of ibans) {
    test(`IBAN ${iban} is ${valid ? "valid" : "invalid"}`, () => expect(passesIbanCheck(iban)).toBe(valid));
  }
});
