// A redis-server of a test's own, on a free port with its own data directory, so a test can stop and
// restart Redis without disturbing the shared local stack.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Subprocess, spawn } from "bun";
import { Redis } from "ioredis";
import { freePort } from "./processes";

export interface PrivateRedis {
  readonly url: string;
  readonly port: number;
  /** An ioredis client of the test's (retrying long enough to ride out a restart). */
  readonly admin: Redis;
  /** Stops the server; with `keepData` it saves first, so the restarted server has every key. */
  stop(keepData: boolean): Promise<void>;
  start(): Promise<void>;
  /** Stops the server for good and removes its data. */
  dispose(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "hilo-redis-"));
  let server: Subprocess | null = null;
  const admin = new Redis(port, "127.0.0.1", { maxRetriesPerRequest: 20 });
  admin.on("error", () => {});

  const start = async () => {
    server = spawn(
      [
        "redis-server",
        "--bind",
        "127.0.0.1",
        "--port",
        String(port),
        "--dir",
        dir,
        "--save",
        "",
        "--appendonly",
        "no",
      ],
      { stdout: "ignore", stderr: "ignore" },
    );
    const probe = new Redis(port, "127.0.0.1", { lazyConnect: true, retryStrategy: () => null });
    probe.on("error", () => {});
    try {
      for (let i = 0; i < 100; i++) {
        try {
          await probe.connect();
          await probe.ping();
          return;
        } catch {
          await Bun.sleep(50);
        }
      }
      throw new Error("private redis-server did not start");
    } finally {
      probe.disconnect();
    }
  };

  const stop = async (keepData: boolean) => {
    // Not SHUTDOWN over ioredis: the client would re-send it to the restarted server.
    if (keepData) await admin.save();
    server?.kill("SIGTERM"); // with --save "" a stopping Redis writes nothing itself
    await server?.exited;
    server = null;
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    admin,
    start,
    stop,
    dispose: async () => {
      admin.disconnect();
      await stop(false);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
