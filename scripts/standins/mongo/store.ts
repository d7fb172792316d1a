// In-memory databases, collections, indexes and server-side cursors. Documents are stored as
// records that are replaced wholesale on update (never mutated in place), so cursor batches and
// aggregation inputs can share references with the store without seeing later writes.
import { Binary, Decimal128, Long, ObjectId, Timestamp, UUID } from "bson";
import { CommandError } from "./errors";
import type { Doc } from "./wire";

export interface Rec {
  /** Insertion sequence; defines natural order. */
  readonly seq: number;
  doc: Doc;
}

// ---- values --------------------------------------------------------------------------------

export function isPlainObject(v: unknown): v is Doc {
  if (v === null || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Deep-copies documents and arrays; BSON value objects are immutable in practice and shared. */
export function cloneValue<T>(v: T): T {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(cloneValue) as T;
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if (isPlainObject(v)) {
    const out: Doc = {};
    for (const k of Object.keys(v)) out[k] = cloneValue(v[k]);
    return out as T;
  }
  return v;
}

/**
 * A type-tagged canonical string for a value, used as hash/unique index key. Numbers of any BSON
 * numeric type share the "n:" tag because MongoDB compares them by value.
 */
export function keyOf(v: unknown): string {
  if (v === undefined || v === null) return "z";
  switch (typeof v) {
    case "number":
      return `n:${v}`;
    case "string":
      return `s:${v}`;
    case "boolean":
      return v ? "b:1" : "b:0";
    case "bigint":
      return `n:${v}`;
    default:
      break;
  }
  if (v instanceof Date) return `d:${v.getTime()}`;
  if (v instanceof ObjectId) return `o:${v.toHexString()}`;
  if (v instanceof Long || v instanceof Decimal128) return `n:${v.toString()}`;
  if (v instanceof Timestamp) return `t:${v.toString()}`;
  if (v instanceof Binary) return `x:${v.sub_type}:${Buffer.from(v.buffer).toString("base64")}`;
  if (v instanceof RegExp) return `r:${v.source}/${v.flags}`;
  if (Array.isArray(v)) return `A:[${v.map(keyOf).join(",")}]`;
  if (isPlainObject(v)) {
    return `O:{${Object.keys(v)
      .map((k) => `${JSON.stringify(k)}=${keyOf(v[k])}`)
      .join(",")}}`;
  }
  return `?:${(v as { constructor?: { name?: string } }).constructor?.name ?? ""}:${String(v)}`;
}

/** Values scalar enough that mingo equality on them agrees with keyOf equality. */
export function isIndexableScalar(v: unknown): boolean {
  return (
    typeof v === "string" ||
    (typeof v === "number" && !Number.isNaN(v)) ||
    typeof v === "boolean" ||
    v instanceof ObjectId ||
    v instanceof Date
  );
}

interface PathValues {
  /** Leaf values with leaf arrays expanded to their elements (an empty array counts as missing). */
  readonly leaves: unknown[];
  /** Whole array values found at the leaf; equality can also match an array as a whole. */
  readonly arrays: unknown[][];
  /** The path crosses arrays or reaches nested arrays; too subtle for hashing. */
  readonly complex: boolean;
}

/** Collects the values a dotted path reaches, descending into arrays as MongoDB does. */
export function pathValues(doc: Doc, path: string): PathValues {
  const parts = path.split(".");
  let current: unknown[] = [doc];
  let complex = false;
  for (const part of parts) {
    const next: unknown[] = [];
    for (const node of current) {
      if (Array.isArray(node)) {
        complex = true;
        if (/^\d+$/.test(part)) next.push(node[Number(part)]);
        for (const el of node) if (isPlainObject(el)) next.push(el[part]);
      } else if (isPlainObject(node)) {
        next.push(node[part]);
      }
    }
    current = next;
  }
  const leaves: unknown[] = [];
  const arrays: unknown[][] = [];
  for (const v of current) {
    if (Array.isArray(v)) {
      arrays.push(v);
      for (const el of v) {
        if (Array.isArray(el)) complex = true;
        leaves.push(el);
      }
      if (v.length === 0) leaves.push(undefined);
    } else {
      leaves.push(v);
    }
  }
  if (leaves.length === 0) leaves.push(undefined);
  return { leaves, arrays, complex };
}

// ---- indexes -------------------------------------------------------------------------------

export interface IndexOptions {
  readonly unique: boolean;
  readonly sparse: boolean;
  /** Compiled partialFilterExpression; such indexes are not used for lookups. */
  readonly partial?: (doc: Doc) => boolean;
}

export class Index {
  readonly name: string;
  readonly key: Doc;
  readonly fields: string[];
  readonly spec: Doc;
  readonly unique: boolean;
  readonly sparse: boolean;
  readonly #partial: ((doc: Doc) => boolean) | undefined;
  /** Only ascending/descending keys can answer equality lookups by hash. */
  readonly hashable: boolean;
  readonly #buckets = new Map<string, Set<Rec>>();
  readonly #complex = new Set<Rec>();
  readonly #uniqueKeys = new Map<string, Rec>();
  readonly #entries = new Map<Rec, { buckets: string[]; unique: string[] }>();

  constructor(spec: Doc, options: IndexOptions) {
    this.spec = spec;
    this.name = String(spec.name);
    this.key = spec.key as Doc;
    this.fields = Object.keys(this.key);
    this.unique = options.unique;
    this.sparse = options.sparse;
    this.#partial = options.partial;
    const first = this.key[this.fields[0] ?? ""];
    this.hashable = options.partial === undefined && !this.sparse && (first === 1 || first === -1);
  }

  #bucketKeys(doc: Doc): string[] | null {
    const { leaves, arrays, complex } = pathValues(doc, this.fields[0] ?? "_id");
    if (complex) return null;
    return [...new Set([...leaves, ...arrays].map(keyOf))];
  }

  /** Composite keys this document occupies in a unique index (several if multikey). */
  uniqueKeysFor(doc: Doc): string[] {
    if (!this.unique) return [];
    if (this.#partial && !this.#partial(doc)) return [];
    let combos: string[] = [""];
    let allMissing = true;
    for (const field of this.fields) {
      const { leaves } = pathValues(doc, field);
      if (leaves.some((v) => v !== undefined)) allMissing = false;
      const keys = [...new Set(leaves.map(keyOf))];
      combos = combos.flatMap((c) => keys.map((k) => `${c}|${k}`));
    }
    if (this.sparse && allMissing) return [];
    return combos;
  }

  /** The record already holding one of these unique keys, other than `self`. */
  conflict(keys: string[], self?: Rec): Rec | undefined {
    for (const k of keys) {
      const hit = this.#uniqueKeys.get(k);
      if (hit && hit !== self) return hit;
    }
    return undefined;
  }

  add(rec: Rec, uniqueKeys: string[]): void {
    const buckets = this.hashable ? this.#bucketKeys(rec.doc) : [];
    if (buckets === null) {
      this.#complex.add(rec);
    } else {
      for (const k of buckets) {
        let set = this.#buckets.get(k);
        if (!set) {
          set = new Set();
          this.#buckets.set(k, set);
        }
        set.add(rec);
      }
    }
    for (const k of uniqueKeys) this.#uniqueKeys.set(k, rec);
    this.#entries.set(rec, { buckets: buckets ?? [], unique: uniqueKeys });
  }

  remove(rec: Rec): void {
    const entry = this.#entries.get(rec);
    if (!entry) return;
    this.#complex.delete(rec);
    for (const k of entry.buckets) {
      const set = this.#buckets.get(k);
      set?.delete(rec);
      if (set?.size === 0) this.#buckets.delete(k);
    }
    for (const k of entry.unique) if (this.#uniqueKeys.get(k) === rec) this.#uniqueKeys.delete(k);
    this.#entries.delete(rec);
  }

  /** Records that may equal one of the values on the first key (a superset; callers re-filter). */
  lookup(values: unknown[]): Set<Rec> {
    const out = new Set<Rec>(this.#complex);
    for (const v of values) {
      const set = this.#buckets.get(keyOf(v));
      if (set) for (const rec of set) out.add(rec);
    }
    return out;
  }
}

export function duplicateKeyError(ns: string, index: Index, doc: Doc): CommandError {
  const keyValue: Doc = {};
  for (const f of index.fields) {
    keyValue[f] = pathValues(doc, f).leaves[0] ?? null;
  }
  const shown = Object.entries(keyValue)
    .map(([k, v]) => `${k}: ${v instanceof ObjectId ? `ObjectId('${v.toHexString()}')` : JSON.stringify(v)}`)
    .join(", ");
  const err = new CommandError(
    "DuplicateKey",
    `E11000 duplicate key error collection: ${ns} index: ${index.name} dup key: { ${shown} }`,
  );
  return Object.assign(err, { details: { keyPattern: index.key, keyValue } });
}

// ---- collections ---------------------------------------------------------------------------

export class Collection {
  readonly db: string;
  readonly name: string;
  readonly uuid = new UUID();
  readonly options: Doc;
  readonly #records = new Map<number, Rec>();
  readonly #indexes = new Map<string, Index>();
  #seq = 0;

  constructor(db: string, name: string, options: Doc = {}) {
    this.db = db;
    this.name = name;
    this.options = options;
    this.#indexes.set(
      "_id_",
      new Index({ v: 2, key: { _id: 1 }, name: "_id_" }, { unique: true, sparse: false }),
    );
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  get size(): number {
    return this.#records.size;
  }

  records(): Rec[] {
    return Array.from(this.#records.values());
  }

  docs(): Doc[] {
    return Array.from(this.#records.values(), (r) => r.doc);
  }

  indexes(): Index[] {
    return Array.from(this.#indexes.values());
  }

  index(name: string): Index | undefined {
    return this.#indexes.get(name);
  }

  /** Throws DuplicateKey if `doc` would collide in any unique index (ignoring `self`). */
  #checkUnique(doc: Doc, self?: Rec): Map<Index, string[]> {
    const keys = new Map<Index, string[]>();
    for (const index of this.#indexes.values()) {
      const k = index.uniqueKeysFor(doc);
      if (index.conflict(k, self)) throw duplicateKeyError(this.ns, index, doc);
      keys.set(index, k);
    }
    return keys;
  }

  /** Stores a prepared document (with `_id` first); throws DuplicateKey on conflict. */
  insert(doc: Doc): Rec {
    const keys = this.#checkUnique(doc);
    const rec: Rec = { seq: ++this.#seq, doc };
    this.#records.set(rec.seq, rec);
    for (const [index, k] of keys) index.add(rec, k);
    return rec;
  }

  replace(rec: Rec, doc: Doc): void {
    const keys = this.#checkUnique(doc, rec);
    for (const index of this.#indexes.values()) index.remove(rec);
    rec.doc = doc;
    for (const [index, k] of keys) index.add(rec, k);
  }

  remove(rec: Rec): void {
    for (const index of this.#indexes.values()) index.remove(rec);
    this.#records.delete(rec.seq);
  }

  clear(): void {
    for (const rec of this.records()) this.remove(rec);
  }

  /**
   * Narrows the scan for a filter with a top-level equality (or $in) on the first key of a
   * hashable index. Returns null when no index helps; results are in natural order.
   */
  candidates(filter: Doc): Rec[] | null {
    const conditions: Doc[] = [filter];
    const and = filter.$and;
    if (Array.isArray(and)) for (const c of and) if (isPlainObject(c)) conditions.push(c);
    let best: Set<Rec> | null = null;
    for (const cond of conditions) {
      for (const index of this.#indexes.values()) {
        if (!index.hashable) continue;
        const field = index.fields[0] ?? "";
        if (!(field in cond)) continue;
        const values = equalityValues(cond[field]);
        if (values === null) continue;
        const found = index.lookup(values);
        if (best === null || found.size < best.size) best = found;
      }
    }
    if (best === null) return null;
    return Array.from(best).sort((a, b) => a.seq - b.seq);
  }

  createIndex(spec: Doc, options: IndexOptions): "created" | "exists" {
    const name = String(spec.name);
    const existing = this.#indexes.get(name);
    if (existing) {
      if (keyOf(existing.key) !== keyOf(spec.key)) {
        throw new CommandError(
          "IndexKeySpecsConflict",
          `An existing index has the same name as the requested index but different key. Index name: ${name}`,
        );
      }
      if (existing.unique !== options.unique || existing.sparse !== options.sparse) {
        throw new CommandError(
          "IndexOptionsConflict",
          `An existing index has the same name as the requested index but different options. Index name: ${name}`,
        );
      }
      return "exists";
    }
    for (const other of this.#indexes.values()) {
      if (keyOf(other.key) === keyOf(spec.key)) {
        throw new CommandError(
          "IndexOptionsConflict",
          `Index already exists with a different name: ${other.name}`,
        );
      }
    }
    const index = new Index(spec, options);
    for (const rec of this.#records.values()) {
      const k = index.uniqueKeysFor(rec.doc);
      if (index.conflict(k, rec)) throw duplicateKeyError(this.ns, index, rec.doc);
      index.add(rec, k);
    }
    this.#indexes.set(name, index);
    return "created";
  }

  dropIndex(name: string): void {
    if (name === "_id_") throw new CommandError("InvalidOptions", "cannot drop _id index");
    if (!this.#indexes.delete(name)) {
      throw new CommandError("IndexNotFound", `index not found with name [${name}]`);
    }
  }
}

/** The values an equality-style condition may match, or null if it is not one. */
function equalityValues(cond: unknown): unknown[] | null {
  if (isIndexableScalar(cond)) return [cond];
  if (!isPlainObject(cond)) return null;
  const keys = Object.keys(cond);
  if (keys.length === 0) return null;
  let result: unknown[] | null = null;
  for (const k of keys) {
    if (k === "$eq" && isIndexableScalar(cond.$eq)) {
      result = [cond.$eq];
    } else if (k === "$in" && Array.isArray(cond.$in) && cond.$in.every(isIndexableScalar)) {
      result = cond.$in;
    }
  }
  // Other operators beside $eq/$in only narrow further, so the candidate set stays a superset.
  return keys.every((k) => k.startsWith("$")) ? result : null;
}

// ---- databases -----------------------------------------------------------------------------

export class Database {
  readonly name: string;
  readonly collections = new Map<string, Collection>();

  constructor(name: string) {
    this.name = name;
  }

  collection(name: string): Collection | undefined {
    return this.collections.get(name);
  }

  ensureCollection(name: string, options: Doc = {}): Collection {
    let coll = this.collections.get(name);
    if (!coll) {
      validateCollectionName(name);
      coll = new Collection(this.name, name, options);
      this.collections.set(name, coll);
    }
    return coll;
  }
}

export function validateCollectionName(name: string): void {
  if (name.length === 0 || name.includes("\0") || name.startsWith(".") || name.includes("$")) {
    throw new CommandError("InvalidNamespace", `Invalid collection name: '${name}'`);
  }
}

export function validateDatabaseName(name: string): void {
  if (name.length === 0 || /[/\\. "$\0]/.test(name) || name.length > 63) {
    throw new CommandError("InvalidNamespace", `Invalid database name: '${name}'`);
  }
}

// ---- cursors -------------------------------------------------------------------------------

export interface ServerCursor {
  readonly id: number;
  readonly ns: string;
  readonly docs: Doc[];
  pos: number;
  lastUsed: number;
}

/** Idle cursors expire like MongoDB's default cursorTimeoutMillis. */
const CURSOR_TIMEOUT_MS = 10 * 60 * 1000;

export class CursorRegistry {
  readonly #cursors = new Map<number, ServerCursor>();
  // Random start so ids from different server runs do not look alike.
  #next = Math.floor(Math.random() * 2 ** 40) + 1;

  open(ns: string, docs: Doc[], pos: number): ServerCursor {
    const cursor: ServerCursor = { id: this.#next++, ns, docs, pos, lastUsed: Date.now() };
    this.#cursors.set(cursor.id, cursor);
    return cursor;
  }

  get(id: number): ServerCursor | undefined {
    const cursor = this.#cursors.get(id);
    if (cursor) cursor.lastUsed = Date.now();
    return cursor;
  }

  kill(id: number): boolean {
    return this.#cursors.delete(id);
  }

  killNamespace(prefix: string): void {
    for (const [id, c] of this.#cursors)
      if (c.ns === prefix || c.ns.startsWith(`${prefix}.`)) this.#cursors.delete(id);
  }

  sweep(now = Date.now()): void {
    for (const [id, c] of this.#cursors) if (now - c.lastUsed > CURSOR_TIMEOUT_MS) this.#cursors.delete(id);
  }

  get size(): number {
    return this.#cursors.size;
  }
}

export class Store {
  readonly databases = new Map<string, Database>();
  readonly cursors = new CursorRegistry();

  database(name: string): Database | undefined {
    return this.databases.get(name);
  }

  ensureDatabase(name: string): Database {
    let db = this.databases.get(name);
    if (!db) {
      validateDatabaseName(name);
      db = new Database(name);
      this.databases.set(name, db);
    }
    return db;
  }

  collection(db: string, name: string): Collection | undefined {
    return this.databases.get(db)?.collection(name);
  }

  ensureCollection(db: string, name: string, options?: Doc): Collection {
    return this.ensureDatabase(db).ensureCollection(name, options);
  }

  dropCollection(db: string, name: string): Collection | undefined {
    const database = this.databases.get(db);
    const coll = database?.collections.get(name);
    if (database && coll) {
      database.collections.delete(name);
      this.cursors.killNamespace(`${db}.${name}`);
      if (database.collections.size === 0) this.databases.delete(db);
    }
    return coll;
  }

  dropDatabase(db: string): void {
    this.databases.delete(db);
    this.cursors.killNamespace(db);
  }
}
