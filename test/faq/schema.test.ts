// The FAQ tables `hilo migrate` owns, and the start-up check that refuses vectors of another size or model.
// Everything runs against a scratch PGlite, so the dev stack's FAQ table is never dropped or altered.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import {
  checkFaqSchema,
  ensureFaqSchema,
  type FaqSchemaState,
  faqSchemaProblems,
} from "../../src/faq/schema";
import { freePort, spawnHilo, stackEnv } from "../support/processes";
import { type ScratchPostgres, startScratchPostgres } from "./harness";

const CONFIGURED = { model: "text-embedding-3-small", dimensions: 1536 };
let pg: ScratchPostgres;

beforeAll(async () => {
  pg = await startScratchPostgres();
});

afterAll(async () => {
  await pg.stop();
});

beforeEach(async () => {
  await pg.sql`DROP TABLE IF EXISTS faq_entries, faq_meta`;
});

describe("faqSchemaProblems", () => {
  const cases: { name: string; state: FaqSchemaState; problems: string[] }[] = [
    {
      name: "matching tables",
      state: { entriesDimensions: 1536, meta: CONFIGURED },
      problems: [],
    },
    {
      name: "no tables yet",
      state: { entriesDimensions: null, meta: null },
      problems: [],
    },
    {
      name: "another size",
      state: { entriesDimensions: 768, meta: { model: CONFIGURED.model, dimensions: 768 } },
      problems: ["faq_entries.embedding is vector(768) but HILO_EMBEDDING_DIMENSIONS is 1536"],
    },
    {
      name: "another model",
      state: { entriesDimensions: 1536, meta: { model: "text-embedding-ada-002", dimensions: 1536 } },
      problems: [
        "the FAQ was embedded with text-embedding-ada-002 but HILO_EMBEDDING_MODEL is text-embedding-3-small",
      ],
    },
    {
      name: "another size and model",
      state: { entriesDimensions: 3072, meta: { model: "text-embedding-3-large", dimensions: 3072 } },
      problems: [
        "faq_entries.embedding is vector(3072) but HILO_EMBEDDING_DIMENSIONS is 1536",
        "the FAQ was embedded with text-embedding-3-large but HILO_EMBEDDING_MODEL is text-embedding-3-small",
      ],
    },
    {
      name: "entries without their meta row",
      state: { entriesDimensions: 1536, meta: null },
      problems: ["faq_entries exists without its faq_meta row, so the model that embedded it is unknown"],
    },
    {
      name: "meta of another size with the entries table gone",
      state: { entriesDimensions: null, meta: { model: CONFIGURED.model, dimensions: 768 } },
      problems: ["faq_meta records 768 dimensions but HILO_EMBEDDING_DIMENSIONS is 1536"],
    },
  ];
  for (const { name, state, problems } of cases) {
    test(name, () => {
      expect(faqSchemaProblems(state, CONFIGURED)).toEqual(problems);
    });
  }
});

describe("ensureFaqSchema", () => {
  test("creates the vector(N) table, its HNSW cosine index and the meta row; a re-run changes nothing", async () => {
    expect(await ensureFaqSchema(pg.sql, CONFIGURED)).toBe("created");
    const columns = await pg.sql<{ name: string; type: string; nullable: boolean }[]>`
      SELECT attname AS name, format_type(atttypid, atttypmod) AS type, NOT attnotnull AS nullable
      FROM pg_attribute WHERE attrelid = 'faq_entries'::regclass AND attnum > 0 AND NOT attisdropped
      ORDER BY attnum`;
    expect([...columns]).toEqual([
      { name: "id", type: "text", nullable: false },
      { name: "question", type: "text", nullable: false },
      { name: "answer", type: "text", nullable: false },
      { name: "content_hash", type: "character(64)", nullable: false },
      { name: "embedding", type: "vector(1536)", nullable: false },
      { name: "updated_at", type: "timestamp with time zone", nullable: false },
    ]);
    // Inline vectors keep the planner's cost of a table scan honest (see schema.ts).
    const [storage] = await pg.sql<{ mode: string }[]>`
      SELECT attstorage AS mode FROM pg_attribute WHERE attrelid = 'faq_entries'::regclass AND attname = 'embedding'`;
    expect(storage?.mode).toBe("p");
    const [index] = await pg.sql<{ definition: string }[]>`
      SELECT indexdef AS definition FROM pg_indexes WHERE indexname = 'faq_entries_embedding_hnsw'`;
    expect(index?.definition).toContain("USING hnsw (embedding vector_cosine_ops)");
    expect([...(await pg.sql`SELECT embedding_model, dimensions FROM faq_meta`)]).toEqual([
      { embedding_model: "text-embedding-3-small", dimensions: 1536 },
    ]);

    expect(await ensureFaqSchema(pg.sql, CONFIGURED)).toBe("unchanged");
    expect(await pg.sql`SELECT 1 FROM faq_meta`).toHaveLength(1);
    await checkFaqSchema(pg.sql, CONFIGURED);
  });

  test("a re-run restores a dropped index and the inline storage", async () => {
    await ensureFaqSchema(pg.sql, CONFIGURED);
    await pg.sql`DROP INDEX faq_entries_embedding_hnsw`;
    await pg.sql`ALTER TABLE faq_entries ALTER COLUMN embedding SET STORAGE EXTENDED`;
    expect(await ensureFaqSchema(pg.sql, CONFIGURED)).toBe("unchanged");
    expect(
      await pg.sql`SELECT 1 FROM pg_attribute WHERE attrelid = 'faq_entries'::regclass AND attname = 'embedding' AND attstorage = 'p'`,
    ).toHaveLength(1);
    expect(
      await pg.sql`SELECT 1 FROM pg_indexes WHERE indexname = 'faq_entries_embedding_hnsw'`,
    ).toHaveLength(1);
  });

  test("an existing table of another size is refused with both sizes and what to do, and left alone", async () => {
    await ensureFaqSchema(pg.sql, { model: CONFIGURED.model, dimensions: 768 });
    const attempt = ensureFaqSchema(pg.sql, CONFIGURED);
    await expect(attempt).rejects.toThrow(
      "faq_entries.embedding is vector(768) but HILO_EMBEDDING_DIMENSIONS is 1536",
    );
    await expect(ensureFaqSchema(pg.sql, CONFIGURED)).rejects.toThrow(/re-ingest into a fresh FAQ table/);
    const [column] = await pg.sql<{ type: string }[]>`
      SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute
      WHERE attrelid = 'faq_entries'::regclass AND attname = 'embedding'`;
    expect(column?.type).toBe("vector(768)");
  });

  test("an existing table of another model is refused naming both models", async () => {
    await ensureFaqSchema(pg.sql, { model: "text-embedding-ada-002", dimensions: 1536 });
    await expect(ensureFaqSchema(pg.sql, CONFIGURED)).rejects.toThrow(
      "the FAQ was embedded with text-embedding-ada-002 but HILO_EMBEDDING_MODEL is text-embedding-3-small",
    );
  });

  test("more dimensions than HNSW supports are refused before any DDL", async () => {
    await expect(
      ensureFaqSchema(pg.sql, { model: "text-embedding-3-large", dimensions: 3072 }),
    ).rejects.toThrow(/HILO_EMBEDDING_DIMENSIONS is 3072 but pgvector's HNSW index supports at most 2000/);
    expect([...(await pg.sql`SELECT to_regclass('faq_entries') AS t`)]).toEqual([{ t: null }]);
  });
});

describe("checkFaqSchema", () => {
  test("missing tables say to run hilo migrate", async () => {
    const check = checkFaqSchema(pg.sql, CONFIGURED);
    await expect(check).rejects.toMatchObject({ missing: true });
    await expect(checkFaqSchema(pg.sql, CONFIGURED)).rejects.toThrow("run `hilo migrate`");
  });
});

describe("start-up check", () => {
  const startWith = async (mode: string, overrides: Record<string, string> = {}) => {
    const hilo = spawnHilo(
      [mode],
      stackEnv({
        FAQ_DB_URL: pg.url,
        HILO_LOG_LEVEL: "info",
        PORT: String(await freePort()),
        REDIS_URL: `${process.env.REDIS_URL}/9`,
        ...overrides,
      }),
    );
    return { exitCode: await hilo.exited, output: hilo.output() };
  };

  test("a FAQ table of another dimension stops the api after postgres answered, naming both sizes", async () => {
    await ensureFaqSchema(pg.sql, { model: CONFIGURED.model, dimensions: 768 });
    const { exitCode, output } = await startWith("api");
    expect(exitCode).toBe(3);
    expect(output).toContain("postgres ok");
    expect(output).toContain(
      "start-up failed: postgres FAQ check failed (the FAQ table does not match the configuration: faq_entries.embedding is vector(768) but HILO_EMBEDDING_DIMENSIONS is 1536",
    );
    expect(output).not.toContain("redis ok");
    expect(output).not.toContain('"msg":"ready"');
  });

  test("a FAQ table of another model stops the worker too", async () => {
    await ensureFaqSchema(pg.sql, { model: "text-embedding-ada-002", dimensions: 1536 });
    const { exitCode, output } = await startWith("worker");
    expect(exitCode).toBe(3);
    expect(output).toContain(
      "the FAQ was embedded with text-embedding-ada-002 but HILO_EMBEDDING_MODEL is text-embedding-3-small",
    );
  });

  test("missing FAQ tables stop start-up with 'run hilo migrate'", async () => {
    const { exitCode, output } = await startWith("scheduler");
    expect(exitCode).toBe(3);
    expect(output).toContain(
      "start-up failed: postgres FAQ check failed (the FAQ table faq_entries does not exist: run `hilo migrate`)",
    );
  });

  test("matching tables pass and start-up goes on to redis", async () => {
    await ensureFaqSchema(pg.sql, { model: "text-embedding-3-small", dimensions: 8 });
    const { exitCode, output } = await startWith("api", {
      HILO_EMBEDDING_DIMENSIONS: "8",
      // A closed Redis port ends start-up right after the FAQ check, so the test needs no shutdown.
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
      HILO_STARTUP_CHECK_TIMEOUT_MS: "1000",
    });
    expect(exitCode).toBe(3);
    expect(output).toContain("postgres faq tables ok (text-embedding-3-small, 8 dimensions)");
    expect(output).toContain("redis is unreachable");
  });
});
