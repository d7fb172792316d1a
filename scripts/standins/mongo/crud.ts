// Data commands: find/getMore/killCursors, aggregate, count, distinct, insert, update, delete
// and findAndModify. Handlers validate just enough to fail the way the server would.
import { calculateObjectSize, Long, ObjectId } from "bson";
import {
  applyUpdate,
  compileFilter,
  type EvalOptions,
  findDocs,
  idFirst,
  projectOne,
  runPipeline,
  stageName,
  upsertSeed,
} from "./engine";
import { CommandError, ErrorCodes, errorMessage } from "./errors";
import { type Collection, cloneValue, isPlainObject, keyOf, pathValues, type Rec, type Store } from "./store";
import { type Doc, encodeDocument } from "./wire";

export interface CommandContext {
  readonly store: Store;
  readonly db: string;
  readonly connectionId: number;
  readonly remote: string;
}

export type Handler = (cmd: Doc, ctx: CommandContext) => Doc;

// ---- argument helpers ----------------------------------------------------------------------

export function collectionName(cmd: Doc, name: string): string {
  const v = cmd[name];
  if (typeof v !== "string" || v.length === 0) {
    throw new CommandError("InvalidNamespace", `collection name has invalid type ${typeof v}`);
  }
  return v;
}

export function optDoc(cmd: Doc, field: string): Doc | undefined {
  const v = cmd[field];
  if (v === undefined || v === null) return undefined;
  if (!isPlainObject(v))
    throw new CommandError("TypeMismatch", `BSON field '${field}' is the wrong type, expected object`);
  return v;
}

export function optNumber(cmd: Doc, field: string): number | undefined {
  const v = cmd[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v === "number") return v;
  if (v instanceof Long) return v.toNumber();
  throw new CommandError("TypeMismatch", `BSON field '${field}' is the wrong type, expected a number`);
}

function nonNegative(cmd: Doc, field: string): number | undefined {
  const v = optNumber(cmd, field);
  if (v !== undefined && v < 0) {
    throw new CommandError("BadValue", `${field} value must be non-negative, but received: ${v}`);
  }
  return v;
}

function evalOptions(ctx: CommandContext, cmd: Doc): EvalOptions {
  return {
    resolveCollection: (name) => (ctx.store.collection(ctx.db, name)?.docs() ?? []).map(cloneValue),
    collation: optDoc(cmd, "collation"),
    variables: optDoc(cmd, "let"),
  };
}

// ---- cursors -------------------------------------------------------------------------------

/** Stay under the 16MB reply document limit with room for the envelope. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024 - 64 * 1024;
const DEFAULT_FIRST_BATCH = 101;

function takeBatch(docs: Doc[], start: number, batchSize: number | undefined): Doc[] {
  const limit =
    batchSize === undefined || batchSize <= 0 ? docs.length : Math.min(docs.length, start + batchSize);
  const batch: Doc[] = [];
  let bytes = 0;
  for (let i = start; i < limit; i++) {
    const doc = docs[i] as Doc;
    bytes += calculateObjectSize(doc, { ignoreUndefined: true });
    if (bytes > MAX_BATCH_BYTES && batch.length > 0) break;
    batch.push(doc);
  }
  return batch;
}

/** Builds the `{ cursor: { firstBatch, id, ns } }` reply, parking the rest server-side. */
export function cursorReply(
  ctx: CommandContext,
  ns: string,
  docs: Doc[],
  batchSize: number | undefined,
  singleBatch = false,
): Doc {
  const batch = batchSize === 0 ? [] : takeBatch(docs, 0, batchSize ?? DEFAULT_FIRST_BATCH);
  let id = Long.ZERO;
  if (!singleBatch && batch.length < docs.length) {
    id = Long.fromNumber(ctx.store.cursors.open(ns, docs, batch.length).id);
  }
  return { cursor: { firstBatch: batch, id, ns }, ok: 1 };
}

function cursorBatchSize(cmd: Doc): number | undefined {
  const cursor = optDoc(cmd, "cursor");
  if (!cursor) return undefined;
  const v = cursor.batchSize;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || v < 0)
    throw new CommandError("BadValue", "cursor.batchSize must be a non-negative number");
  return v;
}

const getMore: Handler = (cmd, ctx) => {
  const raw = cmd.getMore;
  const id = raw instanceof Long ? raw.toNumber() : typeof raw === "number" ? raw : Number.NaN;
  const coll = collectionName(cmd, "collection");
  const cursor = ctx.store.cursors.get(id);
  if (!cursor) throw new CommandError("CursorNotFound", `cursor id ${String(raw)} not found`);
  if (cursor.ns !== `${ctx.db}.${coll}`) {
    throw new CommandError(
      "Unauthorized",
      `Requested getMore on namespace '${ctx.db}.${coll}', but cursor belongs to '${cursor.ns}'`,
    );
  }
  const batch = takeBatch(cursor.docs, cursor.pos, nonNegative(cmd, "batchSize"));
  cursor.pos += batch.length;
  let replyId = Long.fromNumber(cursor.id);
  if (cursor.pos >= cursor.docs.length) {
    ctx.store.cursors.kill(cursor.id);
    replyId = Long.ZERO;
  }
  return { cursor: { nextBatch: batch, id: replyId, ns: cursor.ns }, ok: 1 };
};

const killCursors: Handler = (cmd, ctx) => {
  collectionName(cmd, "killCursors");
  const ids = Array.isArray(cmd.cursors) ? cmd.cursors : [];
  const killed: Long[] = [];
  const notFound: Long[] = [];
  for (const raw of ids) {
    const id = raw instanceof Long ? raw.toNumber() : Number(raw);
    (ctx.store.cursors.kill(id) ? killed : notFound).push(Long.fromNumber(id));
  }
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
};

// ---- reads ---------------------------------------------------------------------------------

/**
 * Natural-order records that may match: narrowed by a hash index when one applies. Hash keys
 * compare binary values, so a collation (e.g. case-insensitive) disables the shortcut.
 */
function candidateRecords(coll: Collection, filter: Doc | undefined, opts?: EvalOptions): Rec[] {
  const indexed = filter && !opts?.collation ? coll.candidates(filter) : null;
  return indexed ?? coll.records();
}

/** Records matching `filter` in natural order. */
function matchingRecords(coll: Collection, filter: Doc | undefined, opts?: EvalOptions): Rec[] {
  const pred = compileFilter(filter, opts);
  return candidateRecords(coll, filter, opts).filter((r) => pred(r.doc));
}

const find: Handler = (cmd, ctx) => {
  const name = collectionName(cmd, "find");
  const ns = `${ctx.db}.${name}`;
  const coll = ctx.store.collection(ctx.db, name);
  const filter = optDoc(cmd, "filter") ?? {};
  let limit = optNumber(cmd, "limit");
  let singleBatch = cmd.singleBatch === true;
  if (limit !== undefined && limit < 0) {
    limit = -limit;
    singleBatch = true;
  }
  const batchSize = nonNegative(cmd, "batchSize");
  if (!coll) return cursorReply(ctx, ns, [], batchSize, singleBatch);
  const opts = evalOptions(ctx, cmd);
  const docs = findDocs(
    candidateRecords(coll, filter, opts).map((r) => r.doc),
    {
      filter,
      sort: optDoc(cmd, "sort"),
      skip: nonNegative(cmd, "skip"),
      limit: limit || undefined,
      projection: optDoc(cmd, "projection"),
    },
    opts,
  );
  return cursorReply(ctx, ns, docs, batchSize, singleBatch);
};

const count: Handler = (cmd, ctx) => {
  const name = collectionName(cmd, "count");
  const coll = ctx.store.collection(ctx.db, name);
  if (!coll) return { n: 0, ok: 1 };
  const query = optDoc(cmd, "query");
  let n =
    query && Object.keys(query).length > 0
      ? matchingRecords(coll, query, evalOptions(ctx, cmd)).length
      : coll.size;
  const skip = nonNegative(cmd, "skip") ?? 0;
  n = Math.max(0, n - skip);
  const limit = Math.abs(optNumber(cmd, "limit") ?? 0);
  if (limit > 0) n = Math.min(n, limit);
  return { n, ok: 1 };
};

const distinct: Handler = (cmd, ctx) => {
  const name = collectionName(cmd, "distinct");
  const key = cmd.key;
  if (typeof key !== "string")
    throw new CommandError("TypeMismatch", "BSON field 'key' is the wrong type, expected string");
  const coll = ctx.store.collection(ctx.db, name);
  if (!coll) return { values: [], ok: 1 };
  const seen = new Map<string, unknown>();
  for (const rec of matchingRecords(coll, optDoc(cmd, "query"), evalOptions(ctx, cmd))) {
    for (const v of pathValues(rec.doc, key).leaves) {
      if (v === undefined) continue;
      const k = keyOf(v);
      if (!seen.has(k)) seen.set(k, v);
    }
  }
  return { values: Array.from(seen.values()), ok: 1 };
};

// ---- aggregate -----------------------------------------------------------------------------

const aggregate: Handler = (cmd, ctx) => {
  const target = cmd.aggregate;
  if (cmd.explain === true) {
    throw new CommandError("CommandNotSupported", "explain is not supported by the mongo stand-in");
  }
  if (!Array.isArray(cmd.pipeline))
    throw new CommandError("TypeMismatch", "'pipeline' option must be specified as an array");
  if (cmd.cursor === undefined) {
    throw new CommandError(
      "FailedToParse",
      "The 'cursor' option is required, except for aggregate with the explain argument",
    );
  }
  let stages = cmd.pipeline as Doc[];
  for (const s of stages) {
    if (!isPlainObject(s) || Object.keys(s).length !== 1) {
      throw new CommandError(
        "Location40324",
        "A pipeline stage specification object must contain exactly one field.",
      );
    }
  }
  let nsName: string;
  let input: Doc[] = [];
  const opts = evalOptions(ctx, cmd);
  if (typeof target === "string") {
    nsName = target;
    const coll = ctx.store.collection(ctx.db, target);
    if (coll) {
      const first = stages[0];
      if (first && stageName(first) === "$match" && isPlainObject(first.$match)) {
        // Leading $match is answered here so it can use the hash index without copying.
        input = matchingRecords(coll, first.$match, opts).map((r) => r.doc);
        stages = stages.slice(1);
      } else {
        input = coll.docs();
      }
    }
  } else if (target === 1) {
    nsName = "$cmd.aggregate";
  } else {
    throw new CommandError("InvalidNamespace", "aggregate target must be a collection name or 1");
  }

  const last = stages[stages.length - 1];
  const output = last && (stageName(last) === "$out" || stageName(last) === "$merge") ? last : undefined;
  if (output) stages = stages.slice(0, -1);
  const results = runPipeline(input, stages, opts);
  if (output) {
    writeStageOutput(ctx, output, results, opts);
    return cursorReply(ctx, `${ctx.db}.${nsName}`, [], 0, true);
  }
  return cursorReply(ctx, `${ctx.db}.${nsName}`, results, cursorBatchSize(cmd));
};

function outputTarget(ctx: CommandContext, spec: unknown, stage: string): { db: string; coll: string } {
  if (typeof spec === "string") return { db: ctx.db, coll: spec };
  if (isPlainObject(spec) && typeof spec.coll === "string") {
    return { db: typeof spec.db === "string" ? spec.db : ctx.db, coll: spec.coll };
  }
  throw new CommandError("BadValue", `${stage} requires a collection name`);
}

/** Prepares a document for storage: copy, `_id` first, generating an ObjectId if missing. */
function prepareForInsert(doc: Doc): Doc {
  if (!("_id" in doc)) return { _id: new ObjectId(), ...doc };
  if (Array.isArray(doc._id)) throw new CommandError("BadValue", "can't use an array for _id");
  return idFirst(doc);
}

function writeStageOutput(ctx: CommandContext, stage: Doc, results: Doc[], opts: EvalOptions): void {
  if ("$out" in stage) {
    const { db, coll } = outputTarget(ctx, stage.$out, "$out");
    const target = ctx.store.ensureCollection(db, coll);
    target.clear();
    for (const doc of results) target.insert(prepareForInsert(cloneValue(doc)));
    return;
  }
  const spec = isPlainObject(stage.$merge) ? stage.$merge : { into: stage.$merge };
  const { db, coll } = outputTarget(ctx, spec.into, "$merge");
  const target = ctx.store.ensureCollection(db, coll);
  const on =
    spec.on === undefined ? ["_id"] : Array.isArray(spec.on) ? spec.on.map(String) : [String(spec.on)];
  const whenMatched = spec.whenMatched ?? "merge";
  const whenNotMatched = spec.whenNotMatched ?? "insert";
  for (const raw of results) {
    const doc = cloneValue(raw);
    const filter: Doc = {};
    for (const f of on) filter[f] = pathValues(doc, f).leaves[0] ?? null;
    const existing = matchingRecords(target, filter)[0];
    if (existing) {
      if (whenMatched === "keepExisting") continue;
      if (whenMatched === "fail")
        throw new CommandError("DuplicateKey", "$merge found an existing document with the same key");
      let next: Doc;
      if (Array.isArray(whenMatched)) {
        next = applyUpdate(existing.doc, whenMatched as Doc[], {
          filter,
          inserting: false,
          variables: { ...opts.variables, new: doc },
        });
      } else if (whenMatched === "replace") {
        next = { ...doc, _id: existing.doc._id };
      } else {
        next = { ...existing.doc, ...doc, _id: existing.doc._id };
      }
      target.replace(existing, idFirst(next));
    } else if (whenNotMatched === "insert") {
      target.insert(prepareForInsert(doc));
    } else if (whenNotMatched === "fail") {
      throw new CommandError(
        "Location13113",
        "$merge could not find a matching document in the target collection",
      );
    }
  }
}

// ---- writes --------------------------------------------------------------------------------

function writeError(index: number, err: unknown): Doc {
  if (err instanceof CommandError) {
    const details = (err as CommandError & { details?: Doc }).details;
    return { index, code: err.code, codeName: err.codeName, errmsg: err.message, ...details };
  }
  return { index, code: ErrorCodes.InternalError, codeName: "InternalError", errmsg: errorMessage(err) };
}

function withWriteErrors(reply: Doc, errors: Doc[]): Doc {
  return errors.length > 0 ? { ...reply, writeErrors: errors } : reply;
}

function opList(cmd: Doc, field: string): Doc[] {
  const list = cmd[field];
  if (!Array.isArray(list))
    throw new CommandError("FailedToParse", `BSON field '${field}' is missing but a required field`);
  return list as Doc[];
}

const insert: Handler = (cmd, ctx) => {
  const name = collectionName(cmd, "insert");
  const docs = opList(cmd, "documents");
  const ordered = cmd.ordered !== false;
  const coll = ctx.store.ensureCollection(ctx.db, name);
  const errors: Doc[] = [];
  let n = 0;
  for (let i = 0; i < docs.length; i++) {
    try {
      const doc = docs[i];
      if (!isPlainObject(doc)) throw new CommandError("TypeMismatch", "document to insert must be an object");
      coll.insert(prepareForInsert(doc));
      n++;
    } catch (err) {
      errors.push(writeError(i, err));
      if (ordered) break;
    }
  }
  return withWriteErrors({ n, ok: 1 }, errors);
};

function sameBytes(a: Doc, b: Doc): boolean {
  return Buffer.from(encodeDocument(a)).equals(Buffer.from(encodeDocument(b)));
}

function sortRecords(recs: Rec[], sort: Doc | undefined, opts: EvalOptions): Rec[] {
  if (!sort || Object.keys(sort).length === 0 || recs.length < 2) return recs;
  const byDoc = new Map<Doc, Rec>(recs.map((r) => [r.doc, r]));
  return findDocs(
    recs.map((r) => r.doc),
    { sort },
    opts,
  ).flatMap((d) => {
    const r = byDoc.get(d);
    return r ? [r] : [];
  });
}

interface UpsertOutcome {
  readonly id: unknown;
  readonly doc: Doc;
}

function upsertInsert(
  ctx: CommandContext,
  name: string,
  filter: Doc,
  update: Doc | Doc[],
  arrayFilters: Doc[] | undefined,
  variables: Doc | undefined,
): UpsertOutcome {
  const seed = upsertSeed(filter);
  const created = prepareForInsert(
    applyUpdate(seed, update, { filter, arrayFilters, inserting: true, variables }),
  );
  const coll = ctx.store.ensureCollection(ctx.db, name);
  coll.insert(created);
  return { id: created._id, doc: created };
}

const update: Handler = (cmd, ctx) => {
  const name = collectionName(cmd, "update");
  const ops = opList(cmd, "updates");
  const ordered = cmd.ordered !== false;
  const opts = evalOptions(ctx, cmd);
  const errors: Doc[] = [];
  const upserted: Doc[] = [];
  let n = 0;
  let nModified = 0;
  for (let i = 0; i < ops.length; i++) {
    try {
      const op = ops[i];
      if (!isPlainObject(op)) throw new CommandError("TypeMismatch", "update statement must be an object");
      const filter = optDoc(op, "q") ?? {};
      const u = op.u;
      if (!isPlainObject(u) && !Array.isArray(u))
        throw new CommandError("FailedToParse", "update 'u' must be an object or array");
      const arrayFilters = Array.isArray(op.arrayFilters) ? (op.arrayFilters as Doc[]) : undefined;
      const coll = ctx.store.collection(ctx.db, name);
      let recs = coll ? matchingRecords(coll, filter, { ...opts, collation: optDoc(op, "collation") }) : [];
      if (op.multi !== true) recs = sortRecords(recs, optDoc(op, "sort"), opts).slice(0, 1);
      if (recs.length === 0) {
        if (op.upsert === true) {
          const { id } = upsertInsert(ctx, name, filter, u, arrayFilters, opts.variables);
          upserted.push({ index: i, _id: id });
          n++;
        }
        continue;
      }
      for (const rec of recs) {
        const next = applyUpdate(rec.doc, u, {
          filter,
          arrayFilters,
          inserting: false,
          variables: opts.variables,
        });
        n++;
        if (!sameBytes(rec.doc, next)) {
          coll?.replace(rec, next);
          nModified++;
        }
      }
    } catch (err) {
      errors.push(writeError(i, err));
      if (ordered) break;
    }
  }
  const reply: Doc = { n, nModified, ok: 1 };
  if (upserted.length > 0) reply.upserted = upserted;
  return withWriteErrors(reply, errors);
};

const deleteCmd: Handler = (cmd, ctx) => {
  const name = collectionName(cmd, "delete");
  const ops = opList(cmd, "deletes");
  const ordered = cmd.ordered !== false;
  const opts = evalOptions(ctx, cmd);
  const errors: Doc[] = [];
  let n = 0;
  for (let i = 0; i < ops.length; i++) {
    try {
      const op = ops[i];
      if (!isPlainObject(op)) throw new CommandError("TypeMismatch", "delete statement must be an object");
      const limit = optNumber(op, "limit") ?? 0;
      if (limit !== 0 && limit !== 1)
        throw new CommandError("BadValue", "The limit field in delete objects must be 0 or 1");
      const coll = ctx.store.collection(ctx.db, name);
      if (!coll) continue;
      let recs = matchingRecords(coll, optDoc(op, "q") ?? {}, {
        ...opts,
        collation: optDoc(op, "collation"),
      });
      if (limit === 1) recs = recs.slice(0, 1);
      for (const rec of recs) coll.remove(rec);
      n += recs.length;
    } catch (err) {
      errors.push(writeError(i, err));
      if (ordered) break;
    }
  }
  return withWriteErrors({ n, ok: 1 }, errors);
};

const findAndModify: Handler = (cmd, ctx) => {
  const name =
    typeof cmd.findAndModify === "string"
      ? collectionName(cmd, "findAndModify")
      : collectionName(cmd, "findandmodify");
  const filter = optDoc(cmd, "query") ?? {};
  const remove = cmd.remove === true;
  const u = cmd.update;
  if (remove && u !== undefined)
    throw new CommandError("FailedToParse", "Cannot specify both an update and remove=true");
  if (!remove && !isPlainObject(u) && !Array.isArray(u)) {
    throw new CommandError("FailedToParse", "Either an update or remove=true must be specified");
  }
  const opts = evalOptions(ctx, cmd);
  const fields = optDoc(cmd, "fields");
  const returnNew = cmd.new === true;
  const arrayFilters = Array.isArray(cmd.arrayFilters) ? (cmd.arrayFilters as Doc[]) : undefined;
  const coll = ctx.store.collection(ctx.db, name);
  const recs = coll ? sortRecords(matchingRecords(coll, filter, opts), optDoc(cmd, "sort"), opts) : [];
  const rec = recs[0];
  if (!rec || !coll) {
    if (!remove && cmd.upsert === true && (isPlainObject(u) || Array.isArray(u))) {
      const { id, doc } = upsertInsert(ctx, name, filter, u, arrayFilters, opts.variables);
      return {
        lastErrorObject: { n: 1, updatedExisting: false, upserted: id },
        value: returnNew ? projectOne(doc, fields, filter) : null,
        ok: 1,
      };
    }
    return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
  }
  const before = rec.doc;
  if (remove) {
    coll.remove(rec);
    return { lastErrorObject: { n: 1 }, value: projectOne(before, fields, filter), ok: 1 };
  }
  const next = applyUpdate(before, u as Doc | Doc[], {
    filter,
    arrayFilters,
    inserting: false,
    variables: opts.variables,
  });
  if (!sameBytes(before, next)) coll.replace(rec, next);
  return {
    lastErrorObject: { n: 1, updatedExisting: true },
    value: projectOne(returnNew ? next : before, fields, filter),
    ok: 1,
  };
};

export const crudCommands: Record<string, Handler> = {
  find,
  getMore,
  killCursors,
  aggregate,
  count,
  distinct,
  insert,
  update,
  delete: deleteCmd,
  findAndModify,
  findandmodify: findAndModify,
};
