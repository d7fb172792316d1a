// TCP front end of the MongoDB stand-in: accepts connections, reassembles wire messages, runs
// each command against one shared in-memory store and writes the reply in the request's format.
import net from "node:net";
import { type CommandContext, errorReply, runCommand } from "./commands";
import { CommandError } from "./errors";
import { Store } from "./store";
import {
  type CommandRequest,
  type Doc,
  decodeOpMsg,
  decodeOpQuery,
  encodeOpMsg,
  encodeOpReply,
  MessageFramer,
  OP_MSG,
  OP_QUERY,
  REPLY_QUERY_FAILURE,
  readHeader,
} from "./wire";

export interface MongoStandin {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

export interface MongoStandinOptions {
  readonly host?: string;
  readonly port?: number;
}

const CURSOR_SWEEP_MS = 60_000;

function handleMessage(msg: Buffer, store: Store, connectionId: number, remote: string): Buffer | null {
  const header = readHeader(msg);
  let request: CommandRequest;
  if (header.opCode === OP_MSG) {
    request = decodeOpMsg(msg, header);
  } else if (header.opCode === OP_QUERY) {
    request = decodeOpQuery(msg, header);
  } else {
    // OP_COMPRESSED is never negotiated and the legacy CRUD opcodes were removed in MongoDB 6.
    throw new Error(`unsupported opcode ${header.opCode}`);
  }
  const ctx: CommandContext = { store, db: request.db, connectionId, remote };
  let reply: Doc;
  if (typeof request.command.$legacyFind === "string") {
    reply = errorReply(
      new CommandError(
        "CommandNotFound",
        `legacy OP_QUERY find on ${request.command.$legacyFind} is not supported`,
      ),
    );
  } else {
    reply = runCommand(request.command, ctx);
  }
  if (request.moreToCome) return null;
  const encode = (doc: Doc): Buffer => {
    if (!request.legacy) return encodeOpMsg(header.requestId, doc);
    const failed = doc.ok === 0 && typeof request.command.$legacyFind === "string";
    return encodeOpReply(header.requestId, doc, failed ? REPLY_QUERY_FAILURE : 0);
  };
  try {
    return encode(reply);
  } catch (err) {
    // e.g. a result document over 16MB: report it rather than dropping the connection.
    return encode(errorReply(new CommandError("BadValue", `cannot encode reply: ${(err as Error).message}`)));
  }
}

export async function startMongoStandin(opts: MongoStandinOptions = {}): Promise<MongoStandin> {
  const host = opts.host ?? "127.0.0.1";
  const store = new Store();
  const sockets = new Set<net.Socket>();
  let connections = 0;

  const server = net.createServer((socket) => {
    const connectionId = ++connections;
    const remote = `${socket.remoteAddress ?? "unknown"}:${socket.remotePort ?? 0}`;
    const framer = new MessageFramer();
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => {
      try {
        for (const msg of framer.push(chunk)) {
          const reply = handleMessage(msg, store, connectionId, remote);
          if (reply) socket.write(reply);
        }
      } catch (err) {
        // A message we cannot parse leaves the stream unframed; the server's only option is to hang up.
        console.error(`mongo-standin: closing connection ${connectionId}: ${(err as Error).message}`);
        socket.destroy();
      }
    });
    socket.on("error", () => socket.destroy());
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("mongo-standin: no TCP address");
  const port = address.port;
  const sweeper = setInterval(() => store.cursors.sweep(), CURSOR_SWEEP_MS);
  sweeper.unref();
  const urlHost = host.includes(":") ? `[${host}]` : host;

  return {
    port,
    url: `mongodb://${urlHost}:${port}/?directConnection=true`,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(sweeper);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
