// The QA question file, pure: what is accepted, and every way a file is refused whole with the lines
// to fix.
import { describe, expect, test } from "bun:test";
import { parseQaCsv, QA_MAX_QUESTIONS } from "../../src/qa/csv";

const TOOLS = new Set(["get_latest_bp_reading", "summarize_last_n_days", "calculate"]);

function problemsOf(text: string) {
  const parsed = parseQaCsv(text, TOOLS);
  if (parsed.ok) throw new Error("expected the file to be refused");
  return parsed.problems;
}

describe("accepted files", () => {
  test("two columns: questions in file order with their lines; no expected tools", () => {
    const parsed = parseQaCsv(
      'id,question\r\nq1,How was my week?\r\nq2,"Is 135/85 high, or fine?"\r\n',
      TOOLS,
    );
    expect(parsed).toEqual({
      ok: true,
      questions: [
        { id: "q1", question: "How was my week?", expectedTools: null, line: 2 },
        { id: "q2", question: "Is 135/85 high, or fine?", expectedTools: null, line: 3 },
      ],
    });
  });

  test("three columns: expected tools split on ';', trimmed, repeats dropped, an empty cell is none", () => {
    const parsed = parseQaCsv(
      "ID, Question ,expected_tools\nq1,Latest?,get_latest_bp_reading ; calculate;calculate\nq2,Hi,\n",
      TOOLS,
    );
    expect(parsed.ok && parsed.questions.map((question) => question.expectedTools)).toEqual([
      ["get_latest_bp_reading", "calculate"],
      null,
    ]);
  });

  test("a quoted question over several lines keeps the line numbers of the rows after it", () => {
    const parsed = parseQaCsv('id,question\nq1,"first line\nsecond line"\nq2,next\n', TOOLS);
    expect(parsed.ok && parsed.questions.map((question) => [question.id, question.line])).toEqual([
      ["q1", 2],
      ["q2", 4],
    ]);
  });

  test(`exactly ${QA_MAX_QUESTIONS.toLocaleString("en")} questions are accepted`, () => {
    const rows = Array.from({ length: QA_MAX_QUESTIONS }, (_, index) => `q${index},question ${index}`);
    const parsed = parseQaCsv(`id,question\n${rows.join("\n")}\n`, TOOLS);
    expect(parsed.ok && parsed.questions.length).toBe(QA_MAX_QUESTIONS);
  });

  test("questions in any language and script pass through unchanged", () => {
    const parsed = parseQaCsv("id,question\nde,Wie war mein Blutdruck?\nja,私の血圧はどうですか？\n", TOOLS);
    expect(parsed.ok && parsed.questions.map((question) => question.question)).toEqual([
      "Wie war mein Blutdruck?",
      "私の血圧はどうですか？",
    ]);
  });
});

describe("refused files, every bad line named", () => {
  test.each([
    ["an empty file", "", [{ line: 1, message: "the file is empty (expected the header id,question)" }]],
    [
      "only blank lines",
      "\n\n\r\n",
      [{ line: 1, message: "the file is empty (expected the header id,question)" }],
    ],
    ["a header and no rows", "id,question\n", [{ line: 1, message: "the file has no questions" }]],
  ])("%s", (_name, text, problems) => {
    expect(problemsOf(text)).toEqual(problems);
  });

  test("wrong columns: the header, and each row with another number of fields", () => {
    expect(problemsOf("id,prompt\nq1,hi\n")).toEqual([
      { line: 1, message: "the header must be id,question or id,question,expected_tools, got id,prompt" },
    ]);
    expect(problemsOf("id,question\nq1,hi\nq2,hi,extra\nq3\nq4,fine\n")).toEqual([
      { line: 3, message: "expected 2 fields (id,question), got 3" },
      { line: 4, message: "expected 2 fields (id,question), got 1" },
    ]);
    expect(problemsOf("id,question,expected_tools\nq1,hi\n")).toEqual([
      { line: 2, message: "expected 3 fields (id,question,expected_tools), got 2" },
    ]);
  });

  test("an unclosed quote names the line it opened on; the good rows before it do not save the file", () => {
    expect(problemsOf('id,question\nq1,fine\nq2,"never closed\nq3,swallowed\n')).toEqual([
      { line: 3, message: "unclosed quote: the quoted field opened on line 3 never ends" },
    ]);
  });

  test("stray quotes, empty cells, long values, duplicate ids and unknown tools, all at once", () => {
    const long = "x".repeat(4_001);
    const text = [
      "id,question,expected_tools",
      'q1,say "hi",',
      ",no id,",
      "q3, ,",
      `q4,${long},`,
      "q5,fine,get_weather",
      "q5,again,",
      `${"i".repeat(65)},long id,`,
    ].join("\n");
    expect(problemsOf(text)).toEqual([
      {
        line: 2,
        message: 'a quote inside an unquoted field (enclose the field in quotes and write the quote as "")',
      },
      { line: 3, message: "empty id" },
      { line: 4, message: "empty question" },
      { line: 5, message: "question longer than 4,000 characters" },
      { line: 6, message: "unknown tool 'get_weather'" },
      { line: 7, message: "duplicate id 'q5' (first on line 6)" },
      { line: 8, message: "id longer than 64 characters" },
    ]);
  });

  test("10,001 questions: refused, naming the first line past the limit", () => {
    const rows = Array.from({ length: QA_MAX_QUESTIONS + 1 }, (_, index) => `q${index},question ${index}`);
    expect(problemsOf(`id,question\n${rows.join("\n")}\n`)).toEqual([
      {
        line: 10_002,
        message: "more than 10,000 questions (the file has 10,001); split it into several runs",
      },
    ]);
  });
});
