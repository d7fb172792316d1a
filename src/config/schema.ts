// The one zod schema every process validates its environment against at start.
import { Cron } from "croner";
import { z } from "zod";

function isCronExpression(expression: string): boolean {
  try {
    new Cron(expression, { timezone: "UTC", paused: true });
    return true;
  } catch {
    // croner throws a TypeError naming the bad field; the config message names the variable instead.
    return false;
  }
}

export const DEV_API_KEY = "dev-hilo-api-key";
export const DEV_OPENAI_API_KEY = "dev-openai-key";

// Development defaults point at the local stack (`./scripts/dev`). In production none of
// them apply: every datastore URL and secret must be given explicitly.
export const DEV_DEFAULTS = {
  HILO_API_KEY: DEV_API_KEY,
  APP_DB_URL: "mysql://hilo:hilo@127.0.0.1:13306/hilo_app",
  HILO_USERS_DB_URL: "mysql://hilo:hilo@127.0.0.1:13306/hilo_users",
  MONGO_URL: "mongodb://127.0.0.1:27018/hilo?directConnection=true",
  FAQ_DB_URL: "postgres://postgres:postgres@127.0.0.1:15432/postgres",
  REDIS_URL: "redis://127.0.0.1:16379",
  OPENAI_BASE_URL: "http://127.0.0.1:18081/v1",
  OPENAI_API_KEY: DEV_OPENAI_API_KEY,
} as const;

const url = (protocols: string[]) =>
  z.url({
    protocol: new RegExp(`^(${protocols.join("|")})$`),
    error: `must be a ${protocols.join(" or ")} URL`,
  });

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const flag = z.enum(["true", "false", "1", "0"]).transform((value) => value === "true" || value === "1");

export const configSchema = z
  .object({
    HILO_ENV: z.enum(["development", "test", "production"]).default("development"),
    HOST: z.string().min(1).default("0.0.0.0"),
    PORT: int(1, 65535).default(8080),
    // Unset: GET /metrics is served on PORT. Set: only a separate listener on this port serves it (and
    // PORT answers /metrics 404), so a load balancer that routes to PORT alone never exposes it. The
    // worker and the scheduler have no HTTP server: they serve /metrics on this port when it is set
    // and nowhere when it is unset (each process on one host needs a port of its own).
    HILO_METRICS_PORT: int(1, 65535).optional(),
    HILO_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),

    HILO_API_KEY: z.string().min(16, "must be at least 16 characters"),
    HILO_MAX_BODY_BYTES: int(1024, 10 * 1024 * 1024).default(64 * 1024),

    APP_DB_URL: url(["mysql"]),
    HILO_USERS_DB_URL: url(["mysql"]),
    MONGO_URL: url(["mongodb", "mongodb\\+srv"]),
    FAQ_DB_URL: url(["postgres", "postgresql"]),
    REDIS_URL: url(["redis", "rediss"]),

    OPENAI_BASE_URL: url(["http", "https"]).default("https://api.openai.com/v1"),
    OPENAI_API_KEY: z.string().min(1),
    HILO_CHAT_MODEL: z.string().min(1).default("gpt-4o"),
    HILO_JUDGE_MODEL: z.string().min(1).default("o4-mini"),
    HILO_EMBEDDING_MODEL: z.string().min(1).default("text-embedding-3-small"),
    HILO_EMBEDDING_DIMENSIONS: int(8, 4096).default(1536),
    // Cosine similarities: a new fact this close to a saved one replaces it instead of adding a row;
    // recall returns only memories at least this close to the query.
    HILO_MEMORY_DEDUP_THRESHOLD: z.coerce.number().min(0).max(1).default(0.92),
    HILO_MEMORY_RECALL_THRESHOLD: z.coerce.number().min(0).max(1).default(0.35),
    // search_faq returns only FAQ entries at least this similar (cosine) to the question. 0.2 separates
    // on-topic paraphrases (≥ 0.22) from off-topic questions (≤ 0.17) with the stand-in's embeddings;
    // tune it on real questions for the production model (README, FAQ).
    HILO_FAQ_MATCH_THRESHOLD: z.coerce.number().min(0).max(1).default(0.2),
    // Process-wide cap on concurrent model calls (the provider's rate limit is per key, not per task).
    HILO_MAX_CONCURRENT_MODEL_CALLS: int(1, 1_000).default(32),

    // Abuse limits (README, "Limits"); 0 turns a limit off (benchmarks, load tests).
    // New chat turns per user: a person reading the answers asks a few questions a minute, so 10 only
    // stops scripts; 200 a day is several long conversations yet caps one user id's daily model spend.
    HILO_TURNS_PER_USER_PER_MINUTE: int(0, 100_000).default(10),
    HILO_TURNS_PER_USER_PER_DAY: int(0, 10_000_000).default(200),
    // Every /v1 request per client address: 10 a second leaves room for many app users behind one
    // carrier NAT (history, status polls, resumes) while a single flooding address is cut off.
    HILO_REQUESTS_PER_ADDRESS_PER_MINUTE: int(0, 10_000_000).default(600),
    // Model calls per api process per minute, the budget's backstop when many users arrive at once:
    // ~600 turns at ~5 calls each (agent rounds, judge, suggestions). Set it from the provider's
    // requests-per-minute tier divided by the number of api tasks.
    HILO_MODEL_CALLS_PER_MINUTE: int(0, 1_000_000).default(3_000),
    // Proxies in front of the api that append to X-Forwarded-For (1 behind an ALB). 0: the header is
    // ignored and the socket's address counts, since any client can write that header.
    HILO_TRUSTED_PROXY_HOPS: int(0, 10).default(0),

    // Wall-clock budget of one chat turn; the agent loop has no iteration cap, only this.
    HILO_TURN_BUDGET_MS: int(1_000, 600_000).default(60_000),
    // The Layer 4 review after `done` has budgets of its own, so an agent that used most of the turn's
    // never leaves the judge or the rewrite without time. 20 s fits a reasoning model's verdict; the
    // rewrite streams a whole answer again.
    HILO_JUDGE_BUDGET_MS: int(1_000, 120_000).default(20_000),
    // The model guard beside the agent (Layer 1's backstop): no event of the turn goes out until it
    // has answered or this much time has passed; 1.5 s is about a small model's classification and
    // less than the agent's own first token. 0 turns the guard off.
    HILO_GUARD_MODEL: z.string().min(1).default("gpt-4o-mini"),
    HILO_GUARD_DEADLINE_MS: int(0, 30_000).default(1_500),
    HILO_REWRITE_BUDGET_MS: int(1_000, 120_000).default(30_000),

    // Well inside Bun's and typical load balancers' idle timeouts (ALB: 60 s).
    HILO_SSE_KEEPALIVE_MS: int(100, 60_000).default(15_000),

    HILO_STARTUP_CHECK_TIMEOUT_MS: int(100, 120_000).default(5_000),
    HILO_HEALTH_CHECK_TIMEOUT_MS: int(50, 30_000).default(1_000),
    // /health needs no key: one probe round's verdict serves every call for this long (0: every call
    // probes). A second is fresher than any load balancer's interval and caps the datastores' cost.
    HILO_HEALTH_REUSE_MS: int(0, 60_000).default(1_000),
    HILO_SHUTDOWN_GRACE_MS: int(0, 120_000).default(10_000),
    // Finished turn claims are the idempotency record of a send: a retry arrives within minutes, and
    // 30 days covers any client's offline queue and a month of support questions about a turn, while
    // bounding the table to about a month of sends.
    HILO_CLAIM_RETENTION_DAYS: int(1, 3_650).default(30),
    // Goals, nightly evaluation (README, "Goals"): when the scheduler fires the sweep, read in UTC. Each
    // goal is judged on the user's local days that have ended by then. Any croner expression (5 or 6
    // fields) is accepted, checked here at start.
    HILO_GOAL_SWEEP_CRON: z
      .string()
      .trim()
      .min(1)
      .refine(isCronExpression, "must be a cron expression such as '0 2 * * *'")
      .default("0 2 * * *"),

    // Goals, create time (README, "Goals"): the small model that compiles a goal's description into a
    // recipe, called once per create or description change (twice with its one retry), never at night.
    HILO_GOAL_COMPILER_MODEL: z.string().min(1).default("gpt-4o-mini"),

    // The model endpoint is checked at start; set false where egress to it is not allowed at boot.
    HILO_CHECK_MODEL_AT_START: flag.default(true),
    // Where the scheduler's health monitor posts its alerts ({"text": …}, Slack-compatible incoming
    // webhook). Unset: alerts are only logged.
    HILO_ALERT_WEBHOOK_URL: url(["http", "https"]).optional(),

    // Intercom handover (optional; README, "Handover"): the agent's handover tool and the signed
    // webhook that brings support replies back. Set the access token and the client secret together,
    // or neither: unset, no tool is offered and POST /webhooks/intercom answers 404.
    INTERCOM_ACCESS_TOKEN: z.string().min(1).optional(),
    INTERCOM_CLIENT_SECRET: z.string().min(1).optional(),
    INTERCOM_BASE_URL: url(["http", "https"]).default("https://api.intercom.io"),
    // Per call to Intercom. A handover makes at most three calls (search, create the contact, create
    // the conversation), which together must fit inside the registry's 10 s tool timeout.
    INTERCOM_TIMEOUT_MS: int(100, 3_000).default(3_000),

    // Dev-only console login and QA runs (README, "Internal console"; src/dev/, src/qa/). Ignored in
    // production, where no /dev route exists. The JWT secret signs the console's short-lived tokens:
    // unset, each api process draws a random one at start (tokens then work only on the process that
    // issued them, and not across a restart), so the local stack writes one into .local/stack.env.
    HILO_DEV_JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    // The user every QA question is asked as: a dedicated account of the Hilo User DB with watch data
    // (the demo seed creates `qa-eval`), so QA turns never mix with a real user's sessions or memories.
    HILO_QA_USER_ID: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, "must be 1-64 of A-Z a-z 0-9 _ . -")
      .default("qa-eval"),

    LANGFUSE_PUBLIC_KEY: z.string().min(1).optional(),
    LANGFUSE_SECRET_KEY: z.string().min(1).optional(),
    LANGFUSE_BASE_URL: url(["http", "https"]).optional(),
  })
  .superRefine((config, ctx) => {
    if (config.HILO_METRICS_PORT === config.PORT) {
      ctx.addIssue({ code: "custom", path: ["HILO_METRICS_PORT"], message: "must differ from PORT" });
    }
    if ((config.INTERCOM_ACCESS_TOKEN === undefined) !== (config.INTERCOM_CLIENT_SECRET === undefined)) {
      const missing =
        config.INTERCOM_ACCESS_TOKEN === undefined ? "INTERCOM_ACCESS_TOKEN" : "INTERCOM_CLIENT_SECRET";
      ctx.addIssue({
        code: "custom",
        path: [missing],
        message: "set INTERCOM_ACCESS_TOKEN and INTERCOM_CLIENT_SECRET together, or neither",
      });
    }
    if (config.HILO_ENV !== "production") return;
    // Production refuses the well-known development secrets even when they are set explicitly.
    if (config.HILO_API_KEY === DEV_API_KEY) {
      ctx.addIssue({
        code: "custom",
        path: ["HILO_API_KEY"],
        message: "the development default is not allowed in production",
      });
    }
    if (config.OPENAI_API_KEY === DEV_OPENAI_API_KEY) {
      ctx.addIssue({
        code: "custom",
        path: ["OPENAI_API_KEY"],
        message: "the development default is not allowed in production",
      });
    }
  });

export type Config = z.infer<typeof configSchema>;
