// Experiment E's server (started by experiments.ts): N SSE responses and nothing else. Once all N
// are open it writes one frame to every stream each `cycle` ms for `duration` ms, the way the relay's
// dispatch does (`readable`: ReadableStream + controller.enqueue, as src/chat/stream-response.ts;
// `direct`: Bun's direct stream, write + flush), then ends them and prints its CPU per frame.
//
//   bun scripts/bench/relay/sse-write-server.ts <readable|direct> <n> <cycle-ms> <duration-ms>
const [mode = "readable", nArg = "1000", cycleArg = "20", durationArg = "2000"] = process.argv.slice(2);
const n = Number(nArg);
const cycleMs = Number(cycleArg);
const durationMs = Number(durationArg);
const encoder = new TextEncoder();

interface Sink {
  write(text: string): void;
  close(): void;
}
const sinks: Sink[] = [];
let started = false;

const frame = (seq: number) =>
  `id: ${Date.now()}-${seq}\nevent: token\ndata: {"turn_id":"0190c5b2-aaaa-bbbb-cccc-ddddeeeeffff","text":"tok1 tok2 "}\n\n`;

function readableBody(): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode("retry: 1000\n\n"));
      sinks.push({
        write: (text) => controller.enqueue(encoder.encode(text)),
        close: () => controller.close(),
      });
      maybeStart();
    },
  });
}

function directBody(): ReadableStream<Uint8Array> {
  const source: Bun.DirectUnderlyingSource<Uint8Array> = {
    type: "direct",
    pull: (controller) =>
      new Promise<void>((resolve) => {
        controller.write("retry: 1000\n\n");
        controller.flush();
        sinks.push({
          write: (text) => {
            controller.write(text);
            controller.flush();
          },
          close: () => {
            controller.close();
            resolve();
          },
        });
        maybeStart();
      }),
  };
  return new ReadableStream(source);
}

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  idleTimeout: 0,
  fetch: () =>
    new Response(mode === "direct" ? directBody() : readableBody(), {
      headers: { "content-type": "text/event-stream" },
    }),
});

function maybeStart(): void {
  if (started || sinks.length < n) return;
  started = true;
  setTimeout(run, 200);
}

function run(): void {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let seq = 0;
  let frames = 0;
  const timer = setInterval(() => {
    for (const sink of sinks) sink.write(frame(seq));
    frames += sinks.length;
    seq++;
    if (performance.now() - t0 < durationMs) return;
    clearInterval(timer);
    for (const sink of sinks) sink.write(`id: ${Date.now()}-${seq}\nevent: end\ndata: {}\n\n`);
    frames += sinks.length;
    for (const sink of sinks) sink.close();
    setTimeout(() => {
      const cpu = process.cpuUsage(cpu0);
      const wallMs = performance.now() - t0;
      console.log(
        JSON.stringify({ frames, cpuMs: (cpu.user + cpu.system) / 1_000, wallMs, userMs: cpu.user / 1_000 }),
      );
      void server.stop(true);
    }, 300);
  }, cycleMs);
}

console.log(`port ${server.port}`);
