// Entry point of the single `hilo` binary: one subcommand per process type or ops task.

// Each command's module is loaded when that command runs: start-up loads only what the mode uses
// (the api never loads BullMQ, a worker never loads the HTTP app or the safety rules).
import { runService } from "./lifecycle/run";
import { VERSION } from "./version";

const HELP = `hilo ${VERSION}: the Ask Hilo backend

Usage: hilo <command>

Commands:
  api         serve the HTTP + SSE API (PORT, default 8080)
  worker      consume the background job queues (claim retention, daily report, goal sweep and chunks, QA questions); --queues a,b limits them
  scheduler   fire the cron schedules (goal sweep 02:00, claim retention 03:30, daily report 07:00 UTC) while leader (Redis lock)
  migrate     apply App MySQL migrations embedded in this binary; ensure the FAQ tables
  faq-ingest  load the FAQ from a CSV file, embedding only new or changed rows (hilo faq-ingest --help)
  guard       run safety Layers 1 and 3 over JSON lines on stdin, offline; --model adds the model guard
  tools       list the agent's tools or run one for a user (hilo tools --help)
  report      print the daily report of a UTC day (hilo report --date YYYY-MM-DD)
  qa          hilo qa run <file.csv>: a QA evaluation run through the live agent, then a summary table
  jobs        hilo jobs status: each schedule's last run and whether it is overdue (exit 1 if one is)
  goals       hilo goals evaluate --date YYYY-MM-DD [--goal ID]: the nightly goal evaluation by hand

Options:
  -h, --help     show this help
  -v, --version  print the version

Configuration comes from environment variables; see the README.`;

async function main(argv: string[]): Promise<void> {
  const [command] = argv;
  switch (command) {
    case "api":
      return runService("api", (await import("./cli/api")).startApi);
    case "worker":
      return runService("worker", (await import("./cli/worker")).workerService(argv.slice(1)));
    case "scheduler":
      return runService("scheduler", (await import("./cli/scheduler")).startScheduler);
    case "jobs":
      return (await import("./cli/jobs")).runJobsCommand(argv.slice(1));
    case "migrate":
      return (await import("./cli/migrate")).runMigrate();
    case "guard":
      return (await import("./cli/guard")).runGuardCommand(argv.slice(1));
    case "faq-ingest":
      return (await import("./cli/faq-ingest")).runFaqIngestCommand(argv.slice(1));
    case "tools":
      return (await import("./cli/tools")).runToolsCommand(argv.slice(1));
    case "report":
      return (await import("./cli/report")).runReportCommand(argv.slice(1));
    case "goals":
      return (await import("./cli/goals")).runGoalsCommand(argv.slice(1));
    case "qa":
      return (await import("./cli/qa")).runQaCommand(argv.slice(1));
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
