// MongoDB wire protocol: TCP message framing, decoding of OP_MSG / OP_QUERY requests and
// encoding of OP_MSG / OP_REPLY responses. Knows nothing about commands or storage.
import { type Document, deserialize, serialize } from "bson";

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

const FLAG_CHECKSUM_PRESENT = 1 << 0;
const FLAG_MORE_TO_COME = 1 << 1;

const HEADER_SIZE = 16;
/** Larger than the advertised maxMessageSizeBytes so a slightly oversized message is rejected, not cut. */
export const MAX_MESSAGE_SIZE = 48_000_000 + 16 * 1024 * 1024;

export type Doc = Record<string, unknown>;

export interface MessageHeader {
  readonly length: number;
  readonly requestId: number;
  readonly responseTo: number;
  readonly opCode: number;
}

export interface CommandRequest {
  readonly header: MessageHeader;
  /** The command document with kind-1 document sequences folded in as array fields. */
  readonly command: Doc;
  /** Database the command targets ($db for OP_MSG, the namespace prefix for OP_QUERY). */
  readonly db: string;
  /** OP_MSG moreToCome: the client expects no reply. */
  readonly moreToCome: boolean;
  /** Whether the reply must be a legacy OP_REPLY. */
  readonly legacy: boolean;
}

// promoteLongs keeps small int64 values as plain numbers so mingo can compare them with
// numeric literals; values beyond 2^53 stay Long and round-trip unchanged.
const DESERIALIZE_OPTIONS = { promoteLongs: true, promoteValues: true, promoteBuffers: false } as const;

export function decodeDocument(bytes: Uint8Array): Doc {
  return deserialize(bytes, DESERIALIZE_OPTIONS) as Doc;
}

export function encodeDocument(doc: Doc): Uint8Array {
  return serialize(doc as Document, { ignoreUndefined: true, checkKeys: false });
}

/**
 * Reassembles whole wire messages from arbitrary TCP chunks. Chunks are kept in a list and
 * concatenated only once a full message is available, so a large message arriving in many
 * small chunks is not copied repeatedly.
 */
export class MessageFramer {
  #chunks: Buffer[] = [];
  #buffered = 0;

  /** Adds a chunk and returns every message (header included) now complete. */
  push(chunk: Uint8Array): Buffer[] {
    this.#chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    this.#buffered += chunk.length;
    const messages: Buffer[] = [];
    for (;;) {
      if (this.#buffered < 4) break;
      const length = this.#peekLength();
      if (length < HEADER_SIZE || length > MAX_MESSAGE_SIZE) {
        throw new Error(`invalid message length ${length}`);
      }
      if (this.#buffered < length) break;
      const all = this.#chunks.length === 1 ? (this.#chunks[0] as Buffer) : Buffer.concat(this.#chunks);
      messages.push(all.subarray(0, length));
      const rest = all.subarray(length);
      this.#chunks = rest.length > 0 ? [rest] : [];
      this.#buffered = rest.length;
    }
    return messages;
  }

  #peekLength(): number {
    const first = this.#chunks[0] as Buffer;
    if (first.length >= 4) return first.readInt32LE(0);
    const head = Buffer.concat(this.#chunks).subarray(0, 4);
    return head.readInt32LE(0);
  }
}

export function readHeader(msg: Buffer): MessageHeader {
  return {
    length: msg.readInt32LE(0),
    requestId: msg.readInt32LE(4),
    responseTo: msg.readInt32LE(8),
    opCode: msg.readInt32LE(12),
  };
}

function readCString(buf: Buffer, offset: number): [string, number] {
  const end = buf.indexOf(0, offset);
  if (end < 0) throw new Error("unterminated cstring");
  return [buf.toString("utf8", offset, end), end + 1];
}

function readBsonAt(buf: Buffer, offset: number): [Doc, number] {
  if (offset + 4 > buf.length) throw new Error("truncated BSON document");
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > buf.length) throw new Error("invalid BSON document size");
  return [decodeDocument(buf.subarray(offset, offset + size)), offset + size];
}

/** Decodes an OP_MSG. Kind-1 sequences become arrays on the body, as the server does. */
export function decodeOpMsg(msg: Buffer, header: MessageHeader): CommandRequest {
  const flags = msg.readUInt32LE(HEADER_SIZE);
  // Unknown required flag bits (0-15) must make the server fail the message.
  if ((flags & 0xfffc) !== 0) throw new Error(`unsupported OP_MSG flag bits ${flags}`);
  const end = flags & FLAG_CHECKSUM_PRESENT ? msg.length - 4 : msg.length;
  let offset = HEADER_SIZE + 4;
  let body: Doc | undefined;
  const sequences: [string, Doc[]][] = [];
  while (offset < end) {
    const kind = msg.readUInt8(offset);
    offset += 1;
    if (kind === 0) {
      if (body !== undefined) throw new Error("OP_MSG has more than one body section");
      [body, offset] = readBsonAt(msg, offset);
    } else if (kind === 1) {
      const size = msg.readInt32LE(offset);
      const sectionEnd = offset + size;
      if (size < 5 || sectionEnd > end) throw new Error("invalid document sequence size");
      const [identifier, start] = readCString(msg, offset + 4);
      let pos = start;
      const docs: Doc[] = [];
      while (pos < sectionEnd) {
        let doc: Doc;
        [doc, pos] = readBsonAt(msg, pos);
        docs.push(doc);
      }
      sequences.push([identifier, docs]);
      offset = sectionEnd;
    } else {
      throw new Error(`unsupported OP_MSG section kind ${kind}`);
    }
  }
  if (body === undefined) throw new Error("OP_MSG without a body section");
  for (const [identifier, docs] of sequences) {
    const existing = body[identifier];
    body[identifier] = Array.isArray(existing) ? [...existing, ...docs] : docs;
  }
  const db = typeof body.$db === "string" ? body.$db : "admin";
  return { header, command: body, db, moreToCome: (flags & FLAG_MORE_TO_COME) !== 0, legacy: false };
}

/** Decodes a legacy OP_QUERY; only commands against `<db>.$cmd` are meaningful. */
export function decodeOpQuery(msg: Buffer, header: MessageHeader): CommandRequest {
  const [fullName, afterName] = readCString(msg, HEADER_SIZE + 4);
  const offset = afterName + 8; // skips numberToSkip and numberToReturn
  const [query] = readBsonAt(msg, offset);
  // Old drivers wrap the command as { $query: {...}, $readPreference: ... }.
  const inner = query.$query;
  const command =
    inner !== null && typeof inner === "object" && !Array.isArray(inner) ? (inner as Doc) : query;
  const dot = fullName.indexOf(".");
  const db = dot < 0 ? fullName : fullName.slice(0, dot);
  const collection = dot < 0 ? "" : fullName.slice(dot + 1);
  if (collection !== "$cmd") {
    return {
      header,
      command: { $legacyFind: fullName },
      db,
      moreToCome: false,
      legacy: true,
    };
  }
  return { header, command, db, moreToCome: false, legacy: true };
}

let nextRequestId = 1;

function writeHeader(buf: Buffer, length: number, responseTo: number, opCode: number): void {
  buf.writeInt32LE(length, 0);
  buf.writeInt32LE(nextRequestId++ & 0x7fffffff, 4);
  buf.writeInt32LE(responseTo, 8);
  buf.writeInt32LE(opCode, 12);
}

export function encodeOpMsg(responseTo: number, doc: Doc): Buffer {
  const body = encodeDocument(doc);
  const length = HEADER_SIZE + 4 + 1 + body.length;
  const buf = Buffer.allocUnsafe(length);
  writeHeader(buf, length, responseTo, OP_MSG);
  buf.writeUInt32LE(0, HEADER_SIZE);
  buf.writeUInt8(0, HEADER_SIZE + 4);
  buf.set(body, HEADER_SIZE + 5);
  return buf;
}

/** QueryFailure in OP_REPLY responseFlags: the single document is an error. */
export const REPLY_QUERY_FAILURE = 1 << 1;

export function encodeOpReply(responseTo: number, doc: Doc, responseFlags = 0): Buffer {
  const body = encodeDocument(doc);
  const length = HEADER_SIZE + 20 + body.length;
  const buf = Buffer.allocUnsafe(length);
  writeHeader(buf, length, responseTo, OP_REPLY);
  buf.writeInt32LE(responseFlags, HEADER_SIZE);
  buf.writeBigInt64LE(0n, HEADER_SIZE + 4); // cursorID
  buf.writeInt32LE(0, HEADER_SIZE + 12); // startingFrom
  buf.writeInt32LE(1, HEADER_SIZE + 16); // numberReturned
  buf.set(body, HEADER_SIZE + 20);
  return buf;
}
