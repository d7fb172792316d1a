// Writing RFC 4180 CSV: a field is quoted when it holds a comma, a quote or a line break, or starts or
// ends with a space, and a quote inside it is doubled; records end with CRLF, as the RFC says.
//
// A cell that starts with =, +, -, @, a tab or a carriage return is prefixed with a single quote:
// spreadsheets run such a cell as a formula, and these files carry text written by a model and by
// whoever uploaded the questions (OWASP, "CSV Injection").

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: string | number | boolean | null): string {
  if (value === null) return "";
  const text = String(value);
  const safe = typeof value === "string" && FORMULA_START.test(text) ? `'${text}` : text;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvRecord(values: readonly (string | number | boolean | null)[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}
