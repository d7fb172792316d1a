// The FAQ file format: RFC 4180 CSV with the header `id,question,answer`. Pure functions, no I/O: the
// whole file is validated before anything is written, and every problem is reported with its line.
//
// Neither Bun nor an installed package parses CSV, and the grammar is small enough that a state machine
// here is simpler than a dependency; it also knows the physical line each record starts on, which is
// what an operator needs to fix a file with multi-line quoted answers.

export interface CsvRecord {
  /** 1-based physical line the record starts on (a quoted field may span several lines). */
  readonly line: number;
  readonly fields: readonly string[];
}

export interface CsvProblem {
  readonly line: number;
  readonly message: string;
}

export interface CsvParse {
  readonly records: readonly CsvRecord[];
  readonly problems: readonly CsvProblem[];
}

/**
 * Splits RFC 4180 text into records: fields separated by commas, records by CRLF or LF, fields that
 * contain commas, quotes or line breaks enclosed in double quotes, a quote inside them doubled. Blank
 * lines are skipped and a UTF-8 byte-order mark is ignored. A malformed record (a quote inside an
 * unquoted field, text after a closing quote, a quote that never closes) is reported and left out.
 */
export function parseCsv(input: string): CsvParse {
  const text = input.startsWith("\uFEFF") ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  const problems: CsvProblem[] = [];

  let line = 1;
  let recordLine = 1;
  let fields: string[] = [];
  let field = "";
  // What the record holds so far: a line with no characters at all is blank, not a one-field record.
  let recordStarted = false;
  let quoted = false;
  let quoteOpenedOnLine = 0;
  let afterClosingQuote = false;
  let broken: string | undefined;

  const endRecord = (): void => {
    if (broken !== undefined) problems.push({ line: recordLine, message: broken });
    else if (recordStarted) records.push({ line: recordLine, fields: [...fields, field] });
    fields = [];
    field = "";
    recordStarted = false;
    afterClosingQuote = false;
    broken = undefined;
  };

  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 1;
        } else {
          quoted = false;
          afterClosingQuote = true;
        }
      } else {
        if (char === "\n") line += 1;
        field += char;
      }
      continue;
    }
    if (char === "\n" || (char === "\r" && text[i + 1] === "\n")) {
      if (char === "\r") i += 1;
      endRecord();
      line += 1;
      recordLine = line;
      continue;
    }
    // The rest of a broken record is skipped up to its end of line.
    if (broken !== undefined) continue;
    recordStarted = true;
    if (char === ",") {
      fields.push(field);
      field = "";
      afterClosingQuote = false;
    } else if (afterClosingQuote) {
      broken = `unexpected ${describeChar(char)} after a closing quote (a quote inside a quoted field is written "")`;
    } else if (char === '"') {
      if (field.length > 0) {
        broken = 'a quote inside an unquoted field (enclose the field in quotes and write the quote as "")';
      } else {
        quoted = true;
        quoteOpenedOnLine = line;
      }
    } else {
      field += char;
    }
  }
  if (quoted) {
    problems.push({
      line: recordLine,
      message: `unclosed quote: the quoted field opened on line ${quoteOpenedOnLine} never ends`,
    });
  } else {
    endRecord();
  }
  return { records, problems };
}

function describeChar(char: string | undefined): string {
  return char === undefined ? "end of text" : `'${char}'`;
}

export const FAQ_COLUMNS = ["id", "question", "answer"] as const;

export interface FaqRow {
  readonly id: string;
  readonly question: string;
  readonly answer: string;
  /** Where the row starts in the file, for messages. */
  readonly line: number;
}

export type FaqCsvParse =
  | { readonly ok: true; readonly rows: readonly FaqRow[] }
  | { readonly ok: false; readonly problems: readonly CsvProblem[] };

/**
 * A whole FAQ file to rows, or every problem in it (sorted by line). Fields are trimmed; an empty id,
 * question or answer, a wrong number of columns and a repeated id are problems, and so is a file with no
 * rows at all: ingesting it would delete the whole FAQ, which is never what a truncated export meant.
 */
export function parseFaqCsv(text: string): FaqCsvParse {
  const parsed = parseCsv(text);
  const problems: CsvProblem[] = [...parsed.problems];
  const [header, ...body] = parsed.records;
  const expectedHeader = FAQ_COLUMNS.join(",");

  if (header === undefined) {
    if (problems.length === 0)
      problems.push({ line: 1, message: `the file is empty (expected the header ${expectedHeader})` });
    return { ok: false, problems: sortByLine(problems) };
  }
  const headerNames = header.fields.map((name) => name.trim().toLowerCase());
  if (headerNames.join(",") !== expectedHeader) {
    problems.push({
      line: header.line,
      message: `the header must be ${expectedHeader}, got ${header.fields.join(",")}`,
    });
  }

  const rows: FaqRow[] = [];
  const firstLineOfId = new Map<string, number>();
  for (const record of body) {
    if (record.fields.length !== FAQ_COLUMNS.length) {
      problems.push({
        line: record.line,
        message: `expected ${FAQ_COLUMNS.length} fields (${expectedHeader}), got ${record.fields.length}`,
      });
      continue;
    }
    const [id = "", question = "", answer = ""] = record.fields.map((value) => value.trim());
    const empty = FAQ_COLUMNS.filter((_, index) => [id, question, answer][index] === "");
    if (empty.length > 0) {
      problems.push({ line: record.line, message: `empty ${empty.join(" and ")}` });
      continue;
    }
    const firstLine = firstLineOfId.get(id);
    if (firstLine !== undefined) {
      problems.push({ line: record.line, message: `duplicate id '${id}' (first on line ${firstLine})` });
      continue;
    }
    firstLineOfId.set(id, record.line);
    rows.push({ id, question, answer, line: record.line });
  }
  if (problems.length === 0 && rows.length === 0) {
    problems.push({
      line: header.line,
      message: "the file has no FAQ rows (refusing to delete every entry)",
    });
  }
  return problems.length > 0 ? { ok: false, problems: sortByLine(problems) } : { ok: true, rows };
}

function sortByLine(problems: readonly CsvProblem[]): CsvProblem[] {
  return [...problems].sort((a, b) => a.line - b.line);
}
