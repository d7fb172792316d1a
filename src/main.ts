// Entry point of the single `hilo` binary: one subcommand per process type or ops task.

import { startApi } from "./cli/api";
import { runFaqIngestCommand } from "./cli/faq-ingest";
import { runGuardCommand } from "./cli/guard";
import { runMigrate } from "./cli/migrate";
import { startScheduler } from "./cli/scheduler";
import { runToolsCommand } from "./cli/tools";
import { startWorker } from "./cli/worker";
import { runService } from "./lifecycle/run";
import { VERSION } from "./version";

const HELP = `hilo ${VERSION}: the Ask Hilo backend

Usage: hilo <command>

Commands:
  api         serve the HTTP + SSE API (PORT, default 8080)
  worker      background job consumer (checks its dependencies; no jobs yet)
  scheduler   holds the scheduler leadership (Redis lock); no schedules yet
  migrate     apply App MySQL migrations embedded in this binary; ensure the FAQ tables
  faq-ingest  load the FAQ from a CSV file, embedding only new or changed rows (hilo faq-ingest --help)
  guard       run safety Layers 1 and 3 over JSON lines on stdin, offline; --model adds the model guard
  tools       list the agent's tools or run one for a user (hilo tools --help)

Options:
  -h, --help     show this help
  -v, --version  print the version

Configuration comes from environment variables; see the README.`;

async function main(argv: string[]): Promise<void> {
  const [command] = argv;
  switch (command) {
    case "api":
      return runService("api", startApi);
    case "worker":
      return runService("worker", startWorker);
    case "scheduler":
      return runService("scheduler", startScheduler);
    case "migrate":
      return runMigrate();
    case "guard":
      return runGuardCommand(argv.slice(1));
    case "faq-ingest":
      return runFaqIngestCommand(argv.slice(1));
    case "tools":
      return runToolsCommand(argv.slice(1));
    case "-v":
    case "--version":
      console.log(VERSION);
      return;
    case undefined:
    case "-h":
    case "--help":
    case "help":
      console.log(HELP);
      return;
    default:
      process.stderr.write(`hilo: unknown command '${command}'\n\n${HELP}\n`);
      process.exit(64);
  }
}

await main(process.argv.slice(2));
