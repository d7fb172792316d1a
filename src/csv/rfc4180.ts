// RFC 4180 CSV: a small state machine that splits text into records and reports every malformed
// one with the physical line it starts on. Pure, no I/O; shared by the FAQ file (src/faq/csv.ts) and
// QA evaluation runs (src/qa/csv.ts), each of which validates its own columns on top.
//
// Neither Bun nor an installed package parses CSV, and the grammar is small enough that a state machine
// here is simpler than a dependency; it also knows the physical line each record starts on, which is
// what an operator needs to fix a file with multi-line quoted fields.

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

/** Problems in the order of the file. */
export function sortByLine(problems: readonly CsvProblem[]): CsvProblem[] {
  return [...problems].sort((a, b) => a.line - b.line);
}
