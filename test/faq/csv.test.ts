// The FAQ file format: RFC 4180 records with their line numbers, and every way a FAQ file can be wrong.
import { describe, expect, test } from "bun:test";
import { parseCsv, parseFaqCsv } from "../../src/faq/csv";
import { DEMO_FAQ_CSV } from "./harness";

describe("parseCsv", () => {
  const cases: { name: string; text: string; records: [number, string[]][] }[] = [
    {
      name: "plain fields",
      text: "a,b,c\n1,2,3\n",
      records: [
        [1, ["a", "b", "c"]],
        [2, ["1", "2", "3"]],
      ],
    },
    {
      name: "CRLF line ends",
      text: "a,b\r\n1,2\r\n",
      records: [
        [1, ["a", "b"]],
        [2, ["1", "2"]],
      ],
    },
    {
      name: "no final line end",
      text: "a,b\n1,2",
      records: [
        [1, ["a", "b"]],
        [2, ["1", "2"]],
      ],
    },
    { name: "quoted comma", text: 'x,"a, b"\n', records: [[1, ["x", "a, b"]]] },
    { name: "doubled quote", text: '"say ""hi""",2\n', records: [[1, ['say "hi"', "2"]]] },
    {
      name: "line break inside quotes keeps counting lines",
      text: 'id,q\n1,"two\nlines"\n2,x\n',
      records: [
        [1, ["id", "q"]],
        [2, ["1", "two\nlines"]],
        [4, ["2", "x"]],
      ],
    },
    { name: "CRLF inside quotes is kept", text: '"a\r\nb",c\r\n', records: [[1, ["a\r\nb", "c"]]] },
    { name: "empty fields", text: ",,\n", records: [[1, ["", "", ""]]] },
    { name: "empty quoted field", text: '"",x\n', records: [[1, ["", "x"]]] },
    {
      name: "blank lines are skipped",
      text: "a\n\n\r\nb\n",
      records: [
        [1, ["a"]],
        [4, ["b"]],
      ],
    },
    { name: "byte-order mark", text: "\uFEFFid,q\n", records: [[1, ["id", "q"]]] },
    { name: "empty text", text: "", records: [] },
  ];
  for (const { name, text, records } of cases) {
    test(name, () => {
      const parsed = parseCsv(text);
      expect(parsed.problems).toEqual([]);
      expect(parsed.records.map((record) => [record.line, [...record.fields]])).toEqual(records);
    });
  }

  const malformed: { name: string; text: string; line: number; message: RegExp; kept: number }[] = [
    {
      name: "unclosed quote",
      text: 'a,b\n1,"never closed\n2,x\n',
      line: 2,
      message: /unclosed quote: the quoted field opened on line 2 never ends/,
      kept: 1,
    },
    {
      name: "quote inside an unquoted field",
      text: 'a,b\n1,ab"c\n2,x\n',
      line: 2,
      message: /a quote inside an unquoted field/,
      kept: 2,
    },
    {
      name: "text after a closing quote",
      text: 'a,b\n1,"ab"c\n2,x\n',
      line: 2,
      message: /unexpected 'c' after a closing quote/,
      kept: 2,
    },
  ];
  for (const { name, text, line, message, kept } of malformed) {
    test(`${name} is reported on its line and the record left out`, () => {
      const parsed = parseCsv(text);
      expect(parsed.problems).toHaveLength(1);
      expect(parsed.problems[0]?.line).toBe(line);
      expect(parsed.problems[0]?.message).toMatch(message);
      expect(parsed.records).toHaveLength(kept);
    });
  }
});

describe("parseFaqCsv", () => {
  test("the demo FAQ parses to its 42 rows with quotes unescaped", async () => {
    const parsed = parseFaqCsv(await Bun.file(DEMO_FAQ_CSV).text());
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    expect(parsed.rows).toHaveLength(42);
    expect(parsed.rows[0]).toMatchObject({
      id: "faq-001",
      question: "How do I charge my Hilo watch?",
      line: 2,
    });
    expect(parsed.rows.find((row) => row.id === "faq-004")?.answer).toContain('tap "Start calibration"');
  });

  test("fields are trimmed", () => {
    const parsed = parseFaqCsv('id,question,answer\n f1 ,"  Q? "," A. "\n');
    expect(parsed).toEqual({ ok: true, rows: [{ id: "f1", question: "Q?", answer: "A.", line: 2 }] });
  });

  const problems: { name: string; text: string; expected: { line: number; message: string | RegExp }[] }[] = [
    {
      name: "wrong column count",
      text: "id,question,answer\nf1,Q,A\nf2,Q\nf3,Q,A,extra\n",
      expected: [
        { line: 3, message: "expected 3 fields (id,question,answer), got 2" },
        { line: 4, message: "expected 3 fields (id,question,answer), got 4" },
      ],
    },
    {
      name: "empty answer",
      text: 'id,question,answer\nf1,Q,A\nf2,Q,"  "\n',
      expected: [{ line: 3, message: "empty answer" }],
    },
    {
      name: "empty id and question",
      text: "id,question,answer\n,,A\n",
      expected: [{ line: 2, message: "empty id and question" }],
    },
    {
      name: "duplicate id names both lines",
      text: "id,question,answer\nf1,Q,A\nf2,Q,A\nf1,Q2,A2\n",
      expected: [{ line: 4, message: "duplicate id 'f1' (first on line 2)" }],
    },
    {
      name: "unclosed quote",
      text: 'id,question,answer\nf1,Q,A\nf2,"Q,A\nf3,Q,A\n',
      expected: [{ line: 3, message: /^unclosed quote/ }],
    },
    {
      name: "wrong header",
      text: "id,title,answer\nf1,Q,A\n",
      expected: [{ line: 1, message: "the header must be id,question,answer, got id,title,answer" }],
    },
    {
      name: "empty file",
      text: "",
      expected: [{ line: 1, message: /the file is empty/ }],
    },
    {
      name: "a header and no rows (would delete the whole FAQ)",
      text: "id,question,answer\n",
      expected: [{ line: 1, message: /no FAQ rows/ }],
    },
    {
      name: "every problem at once, sorted by line",
      text: 'id,question,answer\nf1,Q\nf2,Q,\nf2,Q,A\nf2,Q,A\nf3,"Q\n',
      expected: [
        { line: 2, message: /got 2/ },
        { line: 3, message: "empty answer" },
        { line: 5, message: "duplicate id 'f2' (first on line 4)" },
        { line: 6, message: /^unclosed quote/ },
      ],
    },
  ];
  for (const { name, text, expected } of problems) {
    test(`${name} is malformed`, () => {
      const parsed = parseFaqCsv(text);
      if (parsed.ok) throw new Error("expected problems");
      expect(parsed.problems).toHaveLength(expected.length);
      expected.forEach((want, index) => {
        const got = parsed.problems[index];
        expect(got?.line).toBe(want.line);
        if (typeof want.message === "string") expect(got?.message).toBe(want.message);
        else expect(got?.message).toMatch(want.message);
      });
    });
  }
});
