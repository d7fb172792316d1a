// Counting a process's Redis connections reads /proc/net/tcp, which takes milliseconds here; this
// worker does it off the bench's event loop so sampling never delays the clients' timestamps.
import { countConnectionsTo } from "./procs";

declare const self: Worker;

self.onmessage = (event: MessageEvent<{ pid: number; port: number; seq: number }>) => {
  const { pid, port, seq } = event.data;
  self.postMessage({ seq, count: countConnectionsTo(pid, port) });
};
