// `hilo migrate` and `hilo faq-ingest` as real processes (`bun src/main.ts ...`) against a scratch
// PGlite: the FAQ tables appear, the demo CSV loads once and re-runs embed nothing, and a malformed
// file is reported line by line with nothing written.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnHilo, stackEnv } from "../support/processes";
import {
  DEMO_FAQ_CSV,
  demoFaqRows,
  embeddingCalls,
  type ScratchPostgres,
  snapshotEntries,
  startScratchPostgres,
  toCsv,
  uniqueEmbeddingModel,
} from "./harness";

const model = uniqueEmbeddingModel();
const dir = mkdtempSync(join(tmpdir(), "hilo-faq-"));
let pg: ScratchPostgres;

beforeAll(async () => {
  pg = await startScratchPostgres();
});

afterAll(async () => {
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function hilo(args: string[]) {
  const proc = spawnHilo(args, stackEnv({ FAQ_DB_URL: pg.url, HILO_EMBEDDING_MODEL: model }));
  const exitCode = await proc.exited;
  return { exitCode, output: proc.output() };
}

async function writeCsv(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await Bun.write(path, text);
  return path;
}

describe("hilo faq-ingest", () => {
  test("before migrate it refuses with 'run hilo migrate'", async () => {
    const { exitCode, output } = await hilo(["faq-ingest", DEMO_FAQ_CSV]);
    expect(exitCode).toBe(3);
    expect(output).toContain("run `hilo migrate`");
  });

  test("migrate creates the FAQ tables with the configured model and size", async () => {
    const { exitCode, output } = await hilo(["migrate"]);
    expect(exitCode).toBe(0);
    expect(output).toContain(`faq schema: created (vector(1536), ${model})`);
    expect([...(await pg.sql`SELECT embedding_model, dimensions FROM faq_meta`)]).toEqual([
      { embedding_model: model, dimensions: 1536 },
    ]);
  });

  test("the demo CSV loads, and a second run embeds nothing", async () => {
    const first = await hilo(["faq-ingest", DEMO_FAQ_CSV]);
    expect(first.exitCode).toBe(0);
    expect(first.output).toContain("added 42, updated 0, unchanged 0, removed 0");

    const before = await embeddingCalls(model);
    const second = await hilo(["faq-ingest", DEMO_FAQ_CSV]);
    expect(second.exitCode).toBe(0);
    expect(second.output).toContain("added 0, updated 0, unchanged 42, removed 0");
    expect((await embeddingCalls(model)) - before).toBe(0);
  });

  test("an edited file reports each kind of change", async () => {
    const demo = await demoFaqRows();
    const edited = demo
      .filter((row) => row.id !== "faq-042")
      .map((row) =>
        row.id === "faq-030" ? { ...row, answer: "Hilo has a 3-year warranty everywhere." } : row,
      )
      .concat([{ id: "faq-043", question: "Does Hilo work on Mars?", answer: "Not yet.", line: 0 }]);
    const before = await embeddingCalls(model);
    const { exitCode, output } = await hilo(["faq-ingest", await writeCsv("edited.csv", toCsv(edited))]);
    expect(exitCode).toBe(0);
    expect(output).toContain("added 1, updated 1, unchanged 40, removed 1");
    expect((await embeddingCalls(model)) - before).toBe(1);

    const restored = await hilo(["faq-ingest", DEMO_FAQ_CSV]);
    expect(restored.output).toContain("added 1, updated 1, unchanged 40, removed 1");
  });

  const header = "id,question,answer\n";
  const malformed: [name: string, text: string, expected: string[]][] = [
    [
      "an unclosed quote",
      `${header}faq-001,How?,Like this.\nfaq-002,"How long?,Long.\nfaq-003,Why?,Because.\n`,
      [":3: unclosed quote: the quoted field opened on line 3 never ends"],
    ],
    [
      "a wrong column count",
      `${header}faq-001,How?,Like this.\nfaq-002,How long?\n`,
      [":3: expected 3 fields (id,question,answer), got 2"],
    ],
    ["an empty answer", `${header}faq-001,How?,Like this.\nfaq-002,How long?,""\n`, [":3: empty answer"]],
    [
      "a duplicate id",
      `${header}faq-001,How?,Like this.\nfaq-002,How long?,Long.\nfaq-001,Again?,Yes.\n`,
      [":4: duplicate id 'faq-001' (first on line 2)"],
    ],
    [
      "several problems",
      `${header}faq-001,How?\nfaq-002,"Why?",Because."\nfaq-003,What?,""\n`,
      [":2: expected 3 fields", ":3: a quote inside an unquoted field", ":4: empty answer"],
    ],
  ];
  for (const [name, text, expected] of malformed) {
    test(`${name} is reported with its line, exit 1, and the table is unchanged`, async () => {
      const snapshot = await snapshotEntries(pg.sql);
      expect(snapshot).toHaveLength(42);
      const before = await embeddingCalls(model);
      const path = await writeCsv(`${name.replaceAll(" ", "-")}.csv`, text);
      const { exitCode, output } = await hilo(["faq-ingest", path]);
      expect(exitCode).toBe(1);
      for (const line of expected) expect(output).toContain(`${path}${line}`);
      expect(output).toContain("nothing was written");
      expect(await snapshotEntries(pg.sql)).toEqual(snapshot);
      expect((await embeddingCalls(model)) - before).toBe(0);
    });
  }

  test("usage errors exit 64; a missing file exits 1", async () => {
    expect((await hilo(["faq-ingest"])).exitCode).toBe(64);
    expect((await hilo(["faq-ingest", "a.csv", "b.csv"])).exitCode).toBe(64);
    const missing = await hilo(["faq-ingest", join(dir, "nope.csv")]);
    expect(missing.exitCode).toBe(1);
    expect(missing.output).toContain("cannot read");
  });

  test("--help prints the usage", async () => {
    const { exitCode, output } = await hilo(["faq-ingest", "--help"]);
    expect(exitCode).toBe(0);
    expect(output).toContain("Usage: hilo faq-ingest <file.csv>");
  });
});
