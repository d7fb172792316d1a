import { describe, expect, test } from "bun:test";
import { ConfigError, loadConfig } from "../../src/config";
import { DEV_API_KEY } from "../../src/config/schema";
import { PRODUCTION_REQUIRED } from "../support/processes";

const PRODUCTION_ENV = {
  HILO_ENV: "production",
  HILO_API_KEY: "prod-key-abcdefghijklmnop",
  APP_DB_URL: "mysql://app:secret@db.internal:3306/hilo_app",
  HILO_USERS_DB_URL: "mysql://ro:secret@users.internal:3306/hilo_users",
  MONGO_URL: "mongodb://mongo.internal:27017/readings",
  FAQ_DB_URL: "postgres://faq:secret@pg.internal:5432/faq",
  REDIS_URL: "rediss://cache.internal:6379",
  OPENAI_API_KEY: "sk-live",
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("config", () => {
  test("development fills every datastore from the local stack defaults", () => {
    const config = loadConfig({});
    expect(config.HILO_ENV).toBe("development");
    expect(config.PORT).toBe(8080);
    expect(config.APP_DB_URL).toStartWith("mysql://");
    expect(config.HILO_CHAT_MODEL).toBe("gpt-4o");
    expect(config.HILO_JUDGE_MODEL).toBe("o4-mini");
    expect(config.HILO_EMBEDDING_DIMENSIONS).toBe(1536);
  });

  test("production with nothing set names every missing variable at once", () => {
    const problems = problemsOf({ HILO_ENV: "production" });
    for (const name of PRODUCTION_REQUIRED) {
      expect(problems).toContain(`${name}: is required`);
    }
  });

  test("a complete production environment loads", () => {
    const config = loadConfig(PRODUCTION_ENV);
    expect(config.HILO_ENV).toBe("production");
    expect(config.OPENAI_BASE_URL).toBe("https://api.openai.com/v1");
  });

  test("production refuses the development API key even when set explicitly", () => {
    const problems = problemsOf({ ...PRODUCTION_ENV, HILO_API_KEY: DEV_API_KEY });
    expect(problems).toEqual(["HILO_API_KEY: the development default is not allowed in production"]);
  });

  test("malformed values are all reported together, each by name", () => {
    const problems = problemsOf({
      ...PRODUCTION_ENV,
      PORT: "eighty",
      REDIS_URL: "http://cache:6379",
      MONGO_URL: "not a url",
      HILO_EMBEDDING_DIMENSIONS: "-3",
      HILO_ENV: "production",
      HILO_LOG_LEVEL: "loud",
    });
    const names = problems.map((problem) => problem.split(":")[0]);
    expect(names.sort()).toEqual([
      "HILO_EMBEDDING_DIMENSIONS",
      "HILO_LOG_LEVEL",
      "MONGO_URL",
      "PORT",
      "REDIS_URL",
    ]);
  });

  test("an empty variable counts as unset", () => {
    expect(problemsOf({ ...PRODUCTION_ENV, APP_DB_URL: "" })).toEqual(["APP_DB_URL: is required"]);
  });

  test("a short API key is refused", () => {
    expect(problemsOf({ ...PRODUCTION_ENV, HILO_API_KEY: "short" })).toEqual([
      "HILO_API_KEY: must be at least 16 characters",
    ]);
  });
});
