// Command dispatch plus the handshake, diagnostic, index and namespace commands. Every failure
// becomes an `{ ok: 0 }` reply so the driver raises MongoServerError instead of waiting.

import os from "node:os";
import { calculateObjectSize, Long, UUID } from "bson";
import { type CommandContext, collectionName, crudCommands, cursorReply, type Handler, optDoc } from "./crud";
import { compileFilter } from "./engine";
import { CommandError, ErrorCodes, errorMessage } from "./errors";
import { isPlainObject, keyOf } from "./store";
import type { Doc } from "./wire";

export type { CommandContext } from "./crud";

export const SERVER_VERSION = "7.0.0";
const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;
const MAX_MESSAGE_SIZE_BYTES = 48_000_000;
const startedAt = Date.now();

/** Envelope fields every command may carry; none of them change what the stand-in does. */
export const IGNORED_FIELDS = new Set([
  "$db",
  "lsid",
  "$clusterTime",
  "txnNumber",
  "readConcern",
  "writeConcern",
  "$readPreference",
  "comment",
  "maxTimeMS",
  "apiVersion",
  "apiStrict",
  "apiDeprecationErrors",
]);

// ---- handshake and diagnostics ---------------------------------------------------------------

function helloReply(cmd: Doc, ctx: CommandContext, legacyName: boolean): Doc {
  const reply: Doc = {
    isWritablePrimary: true,
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    maxMessageSizeBytes: MAX_MESSAGE_SIZE_BYTES,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: 21,
    readOnly: false,
    ok: 1,
  };
  if (legacyName) reply.ismaster = true;
  if (cmd.helloOk === true) reply.helloOk = true;
  return reply;
}

const hello: Handler = (cmd, ctx) => helloReply(cmd, ctx, false);
const isMaster: Handler = (cmd, ctx) => helloReply(cmd, ctx, true);

const buildInfo: Handler = () => ({
  version: SERVER_VERSION,
  gitVersion: "mongo-standin",
  versionArray: [7, 0, 0, 0],
  bits: 64,
  debug: false,
  maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
  storageEngines: ["inMemory"],
  javascriptEngine: "none",
  modules: [],
  ok: 1,
});

const getParameter: Handler = (cmd) => {
  const reply: Doc = { ok: 1 };
  if (cmd.featureCompatibilityVersion !== undefined || cmd.getParameter === "*") {
    reply.featureCompatibilityVersion = { version: "7.0" };
  }
  return reply;
};

const hostInfo: Handler = () => ({
  system: {
    currentTime: new Date(),
    hostname: os.hostname(),
    cpuAddrSize: 64,
    memSizeMB: Math.round(os.totalmem() / 1024 / 1024),
    numCores: os.cpus().length,
    cpuArch: os.arch(),
  },
  os: { type: os.type(), name: os.platform(), version: os.release() },
  extra: {},
  ok: 1,
});

const serverStatus: Handler = (_cmd, ctx) => ({
  host: os.hostname(),
  version: SERVER_VERSION,
  process: "mongod",
  pid: Long.fromNumber(process.pid),
  uptime: Math.floor((Date.now() - startedAt) / 1000),
  uptimeMillis: Long.fromNumber(Date.now() - startedAt),
  localTime: new Date(),
  connections: { current: 1, available: 1000, totalCreated: ctx.connectionId },
  metrics: { cursor: { open: { total: Long.fromNumber(ctx.store.cursors.size) } } },
  ok: 1,
});

const ok: Handler = () => ({ ok: 1 });

const notSupported =
  (what: string, codeName: "IllegalOperation" | "CommandNotSupported" | "NoReplicationEnabled"): Handler =>
  () => {
    throw new CommandError(codeName, what);
  };

const TRANSACTIONS_UNSUPPORTED = "Transaction numbers are only allowed on a replica set member or mongos";

// ---- namespaces ----------------------------------------------------------------------------

const create: Handler = (cmd, ctx) => {
  const name = collectionName(cmd, "create");
  if (cmd.viewOn !== undefined)
    throw new CommandError("CommandNotSupported", "views are not supported by the mongo stand-in");
  if (ctx.store.collection(ctx.db, name)) {
    throw new CommandError("NamespaceExists", `Collection ${ctx.db}.${name} already exists.`);
  }
  const options: Doc = {};
  for (const [k, v] of Object.entries(cmd)) {
    if (k !== "create" && !IGNORED_FIELDS.has(k)) options[k] = v;
  }
  ctx.store.ensureCollection(ctx.db, name, options);
  return { ok: 1 };
};

const drop: Handler = (cmd, ctx) => {
  const name = collectionName(cmd, "drop");
  const dropped = ctx.store.dropCollection(ctx.db, name);
  // MongoDB 7 treats dropping a missing collection as success.
  if (!dropped) return { ok: 1 };
  return { nIndexesWas: dropped.indexes().length, ns: dropped.ns, ok: 1 };
};

const dropDatabase: Handler = (_cmd, ctx) => {
  ctx.store.dropDatabase(ctx.db);
  return { dropped: ctx.db, ok: 1 };
};

const listCollections: Handler = (cmd, ctx) => {
  const db = ctx.store.database(ctx.db);
  const nameOnly = cmd.nameOnly === true;
  const entries: Doc[] = [];
  for (const coll of db?.collections.values() ?? []) {
    entries.push(
      nameOnly
        ? { name: coll.name, type: "collection" }
        : {
            name: coll.name,
            type: "collection",
            options: coll.options,
            info: { readOnly: false, uuid: coll.uuid },
            idIndex: { v: 2, key: { _id: 1 }, name: "_id_" },
          },
    );
  }
  const pred = compileFilter(optDoc(cmd, "filter"));
  const batchSize =
    isPlainObject(cmd.cursor) && typeof cmd.cursor.batchSize === "number" ? cmd.cursor.batchSize : undefined;
  return cursorReply(ctx, `${ctx.db}.$cmd.listCollections`, entries.filter(pred), batchSize);
};

function databaseSize(ctx: CommandContext, name: string): number {
  let size = 0;
  for (const coll of ctx.store.database(name)?.collections.values() ?? []) {
    for (const doc of coll.docs()) size += calculateObjectSize(doc);
  }
  return size;
}

const listDatabases: Handler = (cmd, ctx) => {
  const nameOnly = cmd.nameOnly === true;
  let databases: Doc[] = Array.from(ctx.store.databases.keys(), (name) =>
    nameOnly ? { name } : { name, sizeOnDisk: databaseSize(ctx, name), empty: false },
  );
  databases = databases.filter(compileFilter(optDoc(cmd, "filter")));
  if (nameOnly) return { databases, ok: 1 };
  const totalSize = databases.reduce(
    (sum, d) => sum + (typeof d.sizeOnDisk === "number" ? d.sizeOnDisk : 0),
    0,
  );
  return { databases, totalSize, totalSizeMb: Math.floor(totalSize / 1024 / 1024), ok: 1 };
};

const dbStats: Handler = (_cmd, ctx) => {
  const db = ctx.store.database(ctx.db);
  let objects = 0;
  let indexes = 0;
  for (const coll of db?.collections.values() ?? []) {
    objects += coll.size;
    indexes += coll.indexes().length;
  }
  const dataSize = databaseSize(ctx, ctx.db);
  return {
    db: ctx.db,
    collections: db?.collections.size ?? 0,
    views: 0,
    objects,
    avgObjSize: objects > 0 ? dataSize / objects : 0,
    dataSize,
    storageSize: dataSize,
    indexes,
    indexSize: 0,
    ok: 1,
  };
};

// ---- indexes -------------------------------------------------------------------------------

const INDEX_SPEC_RESERVED = new Set(["key", "name", "v", "ns", "unique", "sparse"]);

const createIndexes: Handler = (cmd, ctx) => {
  const name = collectionName(cmd, "createIndexes");
  const specs = cmd.indexes;
  if (!Array.isArray(specs) || specs.length === 0) {
    throw new CommandError("BadValue", "Must specify at least one index to create");
  }
  const existed = ctx.store.collection(ctx.db, name) !== undefined;
  const coll = ctx.store.ensureCollection(ctx.db, name);
  const before = coll.indexes().length;
  for (const raw of specs) {
    if (!isPlainObject(raw) || !isPlainObject(raw.key) || Object.keys(raw.key).length === 0) {
      throw new CommandError("BadValue", "Index spec must contain a non-empty 'key' object");
    }
    if (typeof raw.name !== "string" || raw.name.length === 0) {
      throw new CommandError("BadValue", "Index spec must contain a 'name' string");
    }
    const spec: Doc = { v: 2, key: raw.key, name: raw.name };
    if (raw.unique === true) spec.unique = true;
    if (raw.sparse === true) spec.sparse = true;
    for (const [k, v] of Object.entries(raw)) if (!INDEX_SPEC_RESERVED.has(k)) spec[k] = v;
    const partial = isPlainObject(raw.partialFilterExpression)
      ? compileFilter(raw.partialFilterExpression)
      : undefined;
    coll.createIndex(spec, { unique: raw.unique === true, sparse: raw.sparse === true, partial });
  }
  const after = coll.indexes().length;
  const reply: Doc = {
    numIndexesBefore: before,
    numIndexesAfter: after,
    createdCollectionAutomatically: !existed,
    ok: 1,
  };
  if (after === before) reply.note = "all indexes already exist";
  return reply;
};

function requireCollection(ctx: CommandContext, name: string) {
  const coll = ctx.store.collection(ctx.db, name);
  if (!coll) throw new CommandError("NamespaceNotFound", `ns does not exist: ${ctx.db}.${name}`);
  return coll;
}

const listIndexes: Handler = (cmd, ctx) => {
  const name = collectionName(cmd, "listIndexes");
  const coll = requireCollection(ctx, name);
  const batchSize =
    isPlainObject(cmd.cursor) && typeof cmd.cursor.batchSize === "number" ? cmd.cursor.batchSize : undefined;
  return cursorReply(
    ctx,
    `${ctx.db}.${name}`,
    coll.indexes().map((i) => i.spec),
    batchSize,
  );
};

const dropIndexes: Handler = (cmd, ctx) => {
  const name =
    typeof cmd.dropIndexes === "string"
      ? collectionName(cmd, "dropIndexes")
      : collectionName(cmd, "deleteIndexes");
  const coll = requireCollection(ctx, name);
  const was = coll.indexes().length;
  const target = cmd.index;
  if (target === "*") {
    for (const index of coll.indexes()) if (index.name !== "_id_") coll.dropIndex(index.name);
  } else if (typeof target === "string") {
    coll.dropIndex(target);
  } else if (Array.isArray(target)) {
    for (const n of target) coll.dropIndex(String(n));
  } else if (isPlainObject(target)) {
    const found = coll.indexes().find((i) => keyOf(i.key) === keyOf(target));
    if (!found)
      throw new CommandError("IndexNotFound", `can't find index with key: ${JSON.stringify(target)}`);
    coll.dropIndex(found.name);
  } else {
    throw new CommandError("TypeMismatch", "dropIndexes 'index' must be a string, array or object");
  }
  return { nIndexesWas: was, ok: 1 };
};

// ---- dispatch ------------------------------------------------------------------------------

const HANDLERS: Record<string, Handler> = {
  ...crudCommands,
  hello,
  isMaster,
  ismaster: isMaster,
  ping: ok,
  buildInfo,
  buildinfo: buildInfo,
  getParameter,
  hostInfo,
  serverStatus,
  whatsmyuri: (_cmd, ctx) => ({ you: ctx.remote, ok: 1 }),
  connectionStatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
  getCmdLineOpts: () => ({ argv: ["mongo-standin"], parsed: {}, ok: 1 }),
  getLog: () => ({ totalLinesWritten: 0, log: [], ok: 1 }),
  currentOp: () => ({ inprog: [], ok: 1 }),
  killOp: ok,
  endSessions: ok,
  killSessions: ok,
  killAllSessions: ok,
  refreshSessions: ok,
  startSession: () => ({ id: { id: new UUID() }, timeoutMinutes: 30, ok: 1 }),
  collMod: (cmd, ctx) => {
    requireCollection(ctx, collectionName(cmd, "collMod"));
    return { ok: 1 };
  },
  create,
  drop,
  dropDatabase,
  listCollections,
  listDatabases,
  dbStats,
  createIndexes,
  listIndexes,
  dropIndexes,
  deleteIndexes: dropIndexes,
  explain: notSupported("explain is not supported by the mongo stand-in", "CommandNotSupported"),
  abortTransaction: notSupported(TRANSACTIONS_UNSUPPORTED, "IllegalOperation"),
  commitTransaction: notSupported(TRANSACTIONS_UNSUPPORTED, "IllegalOperation"),
  replSetGetStatus: notSupported("not running with --replSet", "NoReplicationEnabled"),
};

export function errorReply(err: unknown): Doc {
  if (err instanceof CommandError) {
    return { ok: 0, errmsg: err.message, code: err.code, codeName: err.codeName };
  }
  return { ok: 0, errmsg: errorMessage(err), code: ErrorCodes.InternalError, codeName: "InternalError" };
}

/** Runs one command document and always returns a reply document. */
export function runCommand(cmd: Doc, ctx: CommandContext): Doc {
  const name = Object.keys(cmd)[0];
  try {
    if (name === undefined) throw new CommandError("FailedToParse", "empty command document");
    if (cmd.startTransaction === true || cmd.autocommit === false) {
      throw new CommandError("IllegalOperation", TRANSACTIONS_UNSUPPORTED);
    }
    const handler = Object.hasOwn(HANDLERS, name) ? HANDLERS[name] : undefined;
    if (!handler) {
      return {
        ok: 0,
        errmsg: `no such command: '${name}'`,
        code: ErrorCodes.CommandNotFound,
        codeName: "CommandNotFound",
      };
    }
    return handler(cmd, ctx);
  } catch (err) {
    return errorReply(err);
  }
}
