// The compiled `hilo` binary: modes listed, config fail-fast, migrations carried inside it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getTableName, is, Table } from "drizzle-orm";
import type mysql from "mysql2/promise";
import * as schema from "../../src/db/schema";
import { PRODUCTION_REQUIRED, ROOT, spawnHilo } from "../support/processes";
import { adminConnection, requireEnv } from "../support/stack";

const outDir = mkdtempSync(join(tmpdir(), "hilo-bin-"));
const binary = join(outDir, "hilo");
const database = `hilo_bin_${process.pid}_${Date.now()}`;
let admin: mysql.Connection;

beforeAll(async () => {
  // Built exactly as `bun run build` builds the release binary (bytecode included), only elsewhere.
  const pkg = (await Bun.file(join(ROOT, "package.json")).json()) as { scripts: { build: string } };
  const args = pkg.scripts.build.split(/\s+/).map((arg) => (arg === "dist/hilo" ? binary : arg));
  if (!args.includes(binary)) throw new Error("the build script no longer writes dist/hilo");
  const build = Bun.spawnSync(args, { cwd: ROOT });
  if (build.exitCode !== 0) throw new Error(`build failed: ${build.stderr.toString()}`);
  admin = await adminConnection();
  await admin.query(`CREATE DATABASE \`${database}\``);
}, 120_000);

afterAll(async () => {
  await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await admin.end();
  rmSync(outDir, { recursive: true, force: true });
});

const run = (args: string[], env: Record<string, string> = {}) => spawnHilo(args, env, [binary]);

describe("dist/hilo", () => {
  test("--help lists every mode", async () => {
    const hilo = run(["--help"]);
    expect(await hilo.exited).toBe(0);
    for (const mode of ["api", "worker", "scheduler", "migrate"])
      expect(hilo.output()).toContain(`  ${mode} `);
  });

  test("--version prints the package version", async () => {
    const hilo = run(["--version"]);
    expect(await hilo.exited).toBe(0);
    const pkg = (await Bun.file(join(ROOT, "package.json")).json()) as { version: string };
    expect(hilo.output().trim()).toBe(pkg.version);
  });

  test("an unknown command is refused with usage", async () => {
    const hilo = run(["serve"]);
    expect(await hilo.exited).toBe(64);
    expect(hilo.output()).toContain("unknown command 'serve'");
  });

  test("HILO_ENV=production with no config fails naming every missing variable", async () => {
    const hilo = run(["api"], { HILO_ENV: "production" });
    expect(await hilo.exited).toBe(2);
    for (const name of PRODUCTION_REQUIRED) {
      expect(hilo.output()).toContain(name);
    }
  });

  test("migrate applies the migrations embedded in the binary to an empty database", async () => {
    const url = new URL(requireEnv("HILO_ADMIN_DB_URL"));
    url.pathname = `/${database}`;
    // The stack's FAQ database too (migrate checks its tables): the defaults only match a stack on
    // the default ports.
    const env = { APP_DB_URL: url.toString(), FAQ_DB_URL: requireEnv("FAQ_DB_URL") };
    const first = run(["migrate"], env);
    expect(await first.exited).toBe(0);
    expect(first.output()).toMatch(/migrations: [1-9]\d* applied/);
    const [rows] = await admin.query(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ?",
      [database],
    );
    // Every table the schema declares, and drizzle's own record of what ran.
    const declared = Object.values(schema)
      .filter((value) => is(value, Table))
      .map((table) => getTableName(table as Table));
    expect((rows as { name: string }[]).map((row) => row.name).sort()).toEqual(
      [...declared, "__drizzle_migrations"].sort(),
    );

    const again = run(["migrate"], env);
    expect(await again.exited).toBe(0);
    expect(again.output()).toContain("migrations: 0 applied");
  });
});
