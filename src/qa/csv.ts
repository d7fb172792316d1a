// The QA question file: RFC 4180 CSV with the header `id,question` or `id,question,expected_tools`.
// Pure: the whole file is checked before anything is stored or queued, and every bad line is reported
// with its number, so one upload tells the operator everything to fix.
import { type CsvProblem, parseCsv, sortByLine } from "../csv/rfc4180";

/** A run holds at most this many questions: each is a full paid chat turn. */
export const QA_MAX_QUESTIONS = 10_000;
/** As long as a chat message may be (src/chat/model.ts): a QA question is sent as one. */
export const QA_QUESTION_MAX_CHARS = 4_000;
export const QA_ID_MAX_CHARS = 64;
export const QA_COLUMNS = ["id", "question", "expected_tools"] as const;
/** Separates tool names inside the `expected_tools` field. */
export const EXPECTED_TOOLS_SEPARATOR = ";";

export interface QaQuestion {
  /** The file's own id for the question, echoed in the results. */
  readonly id: string;
  readonly question: string;
  /** Tool names the answer is expected to use; null when the file has no such column or the cell is empty. */
  readonly expectedTools: readonly string[] | null;
  readonly line: number;
}

export type QaCsvParse =
  | { readonly ok: true; readonly questions: readonly QaQuestion[] }
  | { readonly ok: false; readonly problems: readonly CsvProblem[] };

/**
 * A whole QA file to questions, or every problem in it sorted by line: malformed CSV (an unclosed
 * quote names the line it opened on), a wrong header, a row with the wrong number of fields, an empty
 * or over-long id or question, a repeated id, an unknown tool name, no rows at all, more than
 * QA_MAX_QUESTIONS rows. `toolNames` are the agent's tools, which `expected_tools` may name.
 */
export function parseQaCsv(text: string, toolNames: ReadonlySet<string>): QaCsvParse {
  const parsed = parseCsv(text);
  const problems: CsvProblem[] = [...parsed.problems];
  const [header, ...body] = parsed.records;
  const shortHeader = QA_COLUMNS.slice(0, 2).join(",");
  const longHeader = QA_COLUMNS.join(",");

  if (header === undefined) {
    if (problems.length === 0) {
      problems.push({ line: 1, message: `the file is empty (expected the header ${shortHeader})` });
    }
    return { ok: false, problems: sortByLine(problems) };
  }
  const headerText = header.fields.map((name) => name.trim().toLowerCase()).join(",");
  const columns = headerText === longHeader ? 3 : 2;
  if (headerText !== shortHeader && headerText !== longHeader) {
    problems.push({
      line: header.line,
      message: `the header must be ${shortHeader} or ${longHeader}, got ${header.fields.join(",")}`,
    });
  }
  if (body.length > QA_MAX_QUESTIONS) {
    const first = body[QA_MAX_QUESTIONS];
    problems.push({
      line: first?.line ?? header.line,
      message: `more than ${QA_MAX_QUESTIONS.toLocaleString("en")} questions (the file has ${body.length.toLocaleString("en")}); split it into several runs`,
    });
  }

  const questions: QaQuestion[] = [];
  const firstLineOfId = new Map<string, number>();
  for (const record of body) {
    if (record.fields.length !== columns) {
      problems.push({
        line: record.line,
        message: `expected ${columns} fields (${QA_COLUMNS.slice(0, columns).join(",")}), got ${record.fields.length}`,
      });
      continue;
    }
    const [id = "", question = "", tools = ""] = record.fields.map((value) => value.trim());
    const rowProblems = [
      id === "" ? "empty id" : null,
      id.length > QA_ID_MAX_CHARS ? `id longer than ${QA_ID_MAX_CHARS} characters` : null,
      question === "" ? "empty question" : null,
      question.length > QA_QUESTION_MAX_CHARS
        ? `question longer than ${QA_QUESTION_MAX_CHARS.toLocaleString("en")} characters`
        : null,
    ].filter((message): message is string => message !== null);
    const expectedTools = parseExpectedTools(tools);
    const unknown = expectedTools?.filter((name) => !toolNames.has(name)) ?? [];
    if (unknown.length > 0) rowProblems.push(`unknown tool ${unknown.map((name) => `'${name}'`).join(", ")}`);
    const firstLine = firstLineOfId.get(id);
    if (id !== "" && firstLine !== undefined)
      rowProblems.push(`duplicate id '${id}' (first on line ${firstLine})`);
    // Even a bad row claims its id: once fixed, it must not collide with a later row.
    if (id !== "" && firstLine === undefined) firstLineOfId.set(id, record.line);
    if (rowProblems.length > 0) {
      problems.push({ line: record.line, message: rowProblems.join("; ") });
      continue;
    }
    questions.push({ id, question, expectedTools, line: record.line });
  }
  if (problems.length === 0 && questions.length === 0) {
    problems.push({ line: header.line, message: "the file has no questions" });
  }
  return problems.length > 0 ? { ok: false, problems: sortByLine(problems) } : { ok: true, questions };
}

function parseExpectedTools(cell: string): string[] | null {
  const names = cell
    .split(EXPECTED_TOOLS_SEPARATOR)
    .map((name) => name.trim())
    .filter((name) => name !== "");
  return names.length === 0 ? null : [...new Set(names)];
}
