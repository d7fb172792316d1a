// The FAQ file format: RFC 4180 CSV with the header `id,question,answer`. Pure functions, no I/O: the
// whole file is validated before anything is written, and every problem is reported with its line.
import { type CsvProblem, parseCsv, sortByLine } from "../csv/rfc4180";

// Re-exported: the FAQ's callers and tests name the parser and its problem type through this module.
export type { CsvProblem } from "../csv/rfc4180";
export { parseCsv } from "../csv/rfc4180";

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
