// Child processes the bench starts (and always stops), and what it reads about any process from
// /proc: RSS, CPU time, and how many TCP connections it holds to Redis.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { type Subprocess, spawn } from "bun";

/** Linux reports utime/stime in clock ticks; 100 on every common kernel (getconf CLK_TCK). */
const CLOCK_TICKS_PER_S = 100;
const OUTPUT_TAIL_CHARS = 8_000;

export interface ChildProcess {
  readonly pid: number;
  readonly proc: Subprocess;
  /** The last few thousand characters it printed, for error messages. */
  output(): string;
  waitFor(needle: string, timeoutMs: number): Promise<void>;
  /** Rejects when the process exits before stop() was called (naming it, with its output). */
  readonly died: Promise<never>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  env: Record<string, string | undefined>;
  cwd: string;
  /** IPC handler; when given the child gets a Bun IPC channel (process.send / process.on("message")). */
  ipc?: (message: unknown) => void;
}

const started = new Set<ChildProcess>();

export function spawnChild(cmd: string[], options: SpawnOptions): ChildProcess {
  let text = "";
  const waiters: { needle: string; resolve: () => void }[] = [];
  const proc = spawn(cmd, {
    cwd: options.cwd,
    env: options.env,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    ...(options.ipc ? { ipc: options.ipc, serialization: "advanced" as const } : {}),
  });
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      text = (text + decoder.decode(chunk, { stream: true })).slice(-OUTPUT_TAIL_CHARS);
      for (const waiter of [...waiters]) {
        if (text.includes(waiter.needle)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    }
  };
  void pump(proc.stdout).catch(() => {});
  void pump(proc.stderr).catch(() => {});

  let stopping = false;
  const script = cmd.findIndex((arg) => arg.endsWith(".ts"));
  const name = script === -1 ? cmd.join(" ") : cmd.slice(script, script + 2).join(" ");
  const died = proc.exited.then((code) => {
    if (stopping) return new Promise<never>(() => {});
    throw new Error(`${name} (pid ${proc.pid}) exited with ${code} during the run; its output:\n${text}`);
  });
  // Nobody may be listening yet; an unobserved rejection must not crash the bench.
  died.catch(() => {});
  const child: ChildProcess = {
    pid: proc.pid,
    died,
    proc,
    output: () => text,
    waitFor: (needle, timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        if (text.includes(needle)) return resolve();
        const timer = setTimeout(
          () => reject(new Error(`timed out waiting for "${needle}":\n${text}`)),
          timeoutMs,
        );
        waiters.push({
          needle,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
        void proc.exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`process ${proc.pid} exited (${code}) before "${needle}":\n${text}`));
        });
      }),
    stop: async (graceMs = 5_000) => {
      stopping = true;
      started.delete(child);
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill("SIGTERM");
      const killer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
      await proc.exited;
      clearTimeout(killer);
    },
  };
  started.add(child);
  return child;
}

/** Stops every child this process started and has not stopped yet (for error paths and Ctrl-C). */
export async function stopAllChildren(): Promise<void> {
  await Promise.allSettled([...started].map((child) => child.stop(2_000)));
}

export async function freePort(): Promise<number> {
  const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = listener.port;
  listener.stop(true);
  return port;
}

export interface CpuSample {
  /** CPU seconds (user + system) the process has used so far. */
  cpuS: number;
  atMs: number;
}

export function readCpu(pid: number): CpuSample {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return { cpuS: Number.NaN, atMs: performance.now() };
  }
  // The command name may contain spaces and parentheses; the fields after its last ')' are fixed.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return { cpuS: (utime + stime) / CLOCK_TICKS_PER_S, atMs: performance.now() };
}

export function selfCpu(): CpuSample {
  const usage = process.cpuUsage();
  return { cpuS: (usage.user + usage.system) / 1e6, atMs: performance.now() };
}

/** CPU used between two samples as a percentage of one core. */
export function cpuPercent(from: CpuSample, to: CpuSample): number {
  const wallS = (to.atMs - from.atMs) / 1_000;
  return wallS > 0 ? (100 * (to.cpuS - from.cpuS)) / wallS : 0;
}

export function readRssMb(pid: number): number {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return Number.NaN;
  }
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return match?.[1] ? Number(match[1]) / 1024 : Number.NaN;
}

/**
 * TCP connections `pid` holds to `port` on the remote side: its socket inodes (/proc/<pid>/fd)
 * matched against the kernel's TCP tables. Exact per process, unlike INFO clients, which counts
 * every client of a Redis that other engineers' tests share.
 */
export function countConnectionsTo(pid: number, port: number): number {
  const inodes = new Set<string>();
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return Number.NaN;
  }
  for (const fd of fds) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match?.[1]) inodes.add(match[1]);
    } catch {
      // The descriptor closed while we listed them.
    }
  }
  const portHex = port.toString(16).toUpperCase().padStart(4, "0");
  let count = 0;
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let lines: string[];
    try {
      lines = readFileSync(table, "utf8").split("\n").slice(1);
    } catch {
      continue;
    }
    for (const line of lines) {
      const columns = line.trim().split(/\s+/);
      // columns: sl local rem st tx:rx tr:when retrnsmt uid timeout inode
      const remote = columns[2];
      const state = columns[3];
      const inode = columns[9];
      // 01 = ESTABLISHED
      if (remote?.endsWith(`:${portHex}`) && state === "01" && inode && inodes.has(inode)) count++;
    }
  }
  return count;
}

/** countConnectionsTo, run in a worker thread so the caller's event loop is never blocked by it. */
export function createConnectionCounter(): {
  count(pid: number, port: number): Promise<number>;
  close(): void;
} {
  const worker = new Worker(new URL("./conn-counter.ts", import.meta.url).href);
  const pending = new Map<number, (count: number) => void>();
  let seq = 0;
  worker.onmessage = (event: MessageEvent<{ seq: number; count: number }>) => {
    pending.get(event.data.seq)?.(event.data.count);
    pending.delete(event.data.seq);
  };
  return {
    count: (pid, port) =>
      new Promise<number>((resolve) => {
        const id = ++seq;
        pending.set(id, resolve);
        worker.postMessage({ pid, port, seq: id });
      }),
    close: () => worker.terminate(),
  };
}
