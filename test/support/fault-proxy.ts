// A TCP proxy in front of a server, for the two ways a connection fails under a client: `blackhole`
// keeps the sockets open on both sides but passes nothing more either way (a peer that vanished
// without closing: a failover, a NAT or load balancer that dropped the flow; no error, no close, just
// silence), and `drop` closes them at once (a network blip: commands already sent may or may not have
// reached the server, and their replies are lost). Connections opened afterwards pass normally.
// Writes are not queued on a short write: the tests send a few hundred bytes at a time, far below a
// loopback socket's buffer.
import type { Socket, TCPSocketListener } from "bun";

export interface FaultProxy {
  readonly port: number;
  /** Every connection open now stops passing data, for good; later ones are not affected. */
  blackhole(): void;
  /** Every connection open now is closed on both sides; later ones are not affected. */
  drop(): void;
  close(): void;
}

interface Pipe {
  client: Socket<Pipe>;
  upstream: Socket<undefined> | null;
  /** Bytes from the client that arrived before the upstream connection was open. */
  early: Uint8Array[];
  dead: boolean;
}

export function startFaultProxy(targetPort: number): FaultProxy {
  const pipes = new Set<Pipe>();
  const listener: TCPSocketListener<Pipe> = Bun.listen<Pipe>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(client) {
        const pipe: Pipe = { client, upstream: null, early: [], dead: false };
        client.data = pipe;
        pipes.add(pipe);
        Bun.connect({
          hostname: "127.0.0.1",
          port: targetPort,
          socket: {
            open(upstream) {
              pipe.upstream = upstream;
              for (const bytes of pipe.early) upstream.write(bytes);
              pipe.early = [];
            },
            data(_upstream, bytes) {
              if (!pipe.dead) pipe.client.write(bytes);
            },
            close() {
              if (!pipe.dead) pipe.client.end();
            },
            error() {
              if (!pipe.dead) pipe.client.end();
            },
          },
        }).catch(() => client.end());
      },
      data(client, bytes) {
        const pipe = client.data;
        if (pipe.dead) return;
        if (pipe.upstream) pipe.upstream.write(bytes);
        else pipe.early.push(new Uint8Array(bytes));
      },
      close(client) {
        const pipe = client.data;
        pipes.delete(pipe);
        if (!pipe.dead) pipe.upstream?.end();
      },
    },
  });
  return {
    port: listener.port,
    blackhole: () => {
      for (const pipe of pipes) pipe.dead = true;
    },
    drop: () => {
      for (const pipe of pipes) {
        pipe.dead = true;
        pipe.client.terminate();
        pipe.upstream?.terminate();
      }
    },
    close: () => {
      for (const pipe of pipes) {
        pipe.client.end();
        pipe.upstream?.end();
      }
      listener.stop(true);
    },
  };
}
