// Drives the MongoDB stand-in with the real mongodb driver (and, for framing, a raw socket), so
// any drift from what the driver expects on the wire (handshake, cursors, write results, error
// envelopes) or from MongoDB's aggregation semantics (timezones across DST) fails here first.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import net from "node:net";
import { deserialize, serialize } from "bson";
import {
  type CommandStartedEvent,
  Decimal128,
  type Document,
  Long,
  MongoBulkWriteError,
  MongoClient,
  MongoServerError,
  ObjectId,
} from "mongodb";
import { type MongoStandin, startMongoStandin } from "../../scripts/standins/mongo/server";
import { MessageFramer } from "../../scripts/standins/mongo/wire";

let standin: MongoStandin;
let client: MongoClient;
const started: CommandStartedEvent[] = [];
let dbCounter = 0;

beforeAll(async () => {
  standin = await startMongoStandin({ port: 0 });
  client = new MongoClient(standin.url.replace("/?", "/hilo?"), {
    serverSelectionTimeoutMS: 3000,
    monitorCommands: true,
  });
  client.on("commandStarted", (e) => started.push(e));
  await client.connect();
});

afterAll(async () => {
  await client.close();
  await standin.close();
});

/** A fresh database per test keeps tests independent on the shared server. */
function freshDb() {
  dbCounter += 1;
  return client.db(`t${dbCounter}_${Date.now()}`);
}

/** Drops the driver's result typing so expectations can be written as plain literals. */
function plain(value: unknown): unknown {
  return value;
}

function commandsNamed(name: string, since: number): CommandStartedEvent[] {
  return started.slice(since).filter((e) => e.commandName === name);
}

describe("handshake", () => {
  test("connects, pings and reports a standalone 7.0 server", async () => {
    expect(standin.url).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/\?directConnection=true$/);
    expect(await client.db("admin").command({ ping: 1 })).toEqual({ ok: 1 });
    const hello = await client.db("admin").command({ hello: 1 });
    expect(hello.isWritablePrimary).toBe(true);
    expect(hello.maxWireVersion).toBe(21);
    expect(hello.minWireVersion).toBe(0);
    expect(hello.maxBsonObjectSize).toBe(16777216);
    expect(hello.maxMessageSizeBytes).toBe(48000000);
    expect(hello.maxWriteBatchSize).toBe(100000);
    expect(hello.logicalSessionTimeoutMinutes).toBe(30);
    expect(hello.localTime).toBeInstanceOf(Date);
    expect(hello.setName).toBeUndefined();
    const info = await client.db("admin").command({ buildInfo: 1 });
    expect(info.version).toBe("7.0.0");
  });

  test("uses the database from the URL path", async () => {
    expect(client.db().databaseName).toBe("hilo");
  });
});

describe("inserts and reads", () => {
  test("insertOne/insertMany round-trip ObjectId, Date, Long and Decimal128", async () => {
    const coll = freshDb().collection("things");
    const ref = new ObjectId();
    const at = new Date("2024-03-10T06:59:59.123Z");
    const one = await coll.insertOne({
      ref,
      at,
      big: Long.fromString("9007199254740993"),
      price: Decimal128.fromString("12.34"),
    });
    expect(one.insertedId).toBeInstanceOf(ObjectId);
    const many = await coll.insertMany([{ _id: new ObjectId(), n: 1 }, { n: 2 }]);
    expect(many.insertedCount).toBe(2);

    const doc = await coll.findOne({ _id: one.insertedId });
    expect(doc?._id.equals(one.insertedId)).toBe(true);
    expect(doc?.ref).toBeInstanceOf(ObjectId);
    expect(String(doc?.ref)).toBe(ref.toHexString());
    expect(doc?.at).toEqual(at);
    expect(String(doc?.big)).toBe("9007199254740993");
    expect(String(doc?.price)).toBe("12.34");
    // Queries by ObjectId and Date values compare by value.
    expect(await coll.countDocuments({ ref })).toBe(1);
    expect(await coll.countDocuments({ at: { $gte: new Date("2024-03-10T00:00:00Z") } })).toBe(1);
    // _id is stored first even when generated.
    const second = await coll.findOne({ n: 2 });
    expect(Object.keys(second ?? {})[0]).toBe("_id");
  });

  test("find with filter, projection, sort, skip and limit", async () => {
    const coll = freshDb().collection("people");
    await coll.insertMany([
      { name: "ann", age: 31, city: "NYC", tags: ["a"] },
      { name: "bob", age: 25, city: "LA", tags: ["b"] },
      { name: "cid", age: 40, city: "NYC", tags: ["a", "b"] },
      { name: "dee", age: 35, city: "NYC", tags: [] },
      { name: "eve", age: 22, city: "SF", tags: ["a"] },
    ]);
    const rows = await coll
      .find({ city: "NYC" }, { projection: { _id: 0, name: 1, age: 1 } })
      .sort({ age: -1 })
      .skip(1)
      .limit(2)
      .toArray();
    expect(plain(rows)).toEqual([
      { name: "dee", age: 35 },
      { name: "ann", age: 31 },
    ]);
    const tagged = await coll
      .find({ tags: "a" }, { projection: { name: 1, _id: 0 } })
      .sort({ name: 1 })
      .toArray();
    expect(tagged.map((r) => r.name)).toEqual(["ann", "cid", "eve"]);
    const excluded = await coll.findOne({ name: "bob" }, { projection: { tags: 0, _id: 0 } });
    expect(plain(excluded)).toEqual({ name: "bob", age: 25, city: "LA" });
  });

  test("results larger than one batch are fetched with getMore", async () => {
    const coll = freshDb().collection("many");
    await coll.insertMany(Array.from({ length: 350 }, (_, i) => ({ i })));
    const mark = started.length;
    const docs = await coll.find({}, { batchSize: 100 }).sort({ i: 1 }).toArray();
    expect(docs.map((d) => d.i)).toEqual(Array.from({ length: 350 }, (_, i) => i));
    expect(commandsNamed("getMore", mark)).toHaveLength(3);

    // Default first batch (101) without batchSize also pages correctly.
    const all = await coll.find({ i: { $gte: 50 } }).toArray();
    expect(all).toHaveLength(300);
  });

  test("batches are split to stay under the 16MB reply limit", async () => {
    const coll = freshDb().collection("big");
    const blob = "x".repeat(4 * 1024 * 1024);
    await coll.insertMany(Array.from({ length: 5 }, (_, i) => ({ i, blob })));
    const mark = started.length;
    const docs = await coll.find({}).toArray();
    expect(docs.map((d) => d.i)).toEqual([0, 1, 2, 3, 4]);
    expect(docs[4]?.blob.length).toBe(blob.length);
    expect(commandsNamed("getMore", mark).length).toBeGreaterThanOrEqual(1);
  });

  test("closing a cursor early kills it on the server", async () => {
    const coll = freshDb().collection("killme");
    await coll.insertMany(Array.from({ length: 50 }, (_, i) => ({ i })));
    const before = (await client.db("admin").command({ serverStatus: 1 })).metrics.cursor.open.total;
    const mark = started.length;
    const cursor = coll.find({}, { batchSize: 10 });
    expect((await cursor.next())?.i).toBe(0);
    const during = (await client.db("admin").command({ serverStatus: 1 })).metrics.cursor.open.total;
    expect(Number(during)).toBe(Number(before) + 1);
    await cursor.close();
    expect(commandsNamed("killCursors", mark)).toHaveLength(1);
    const after = (await client.db("admin").command({ serverStatus: 1 })).metrics.cursor.open.total;
    expect(Number(after)).toBe(Number(before));
  });

  test("countDocuments, estimatedDocumentCount and distinct", async () => {
    const coll = freshDb().collection("counted");
    await coll.insertMany(
      Array.from({ length: 30 }, (_, i) => ({ i, parity: i % 2 ? "odd" : "even", k: [i % 3] })),
    );
    expect(await coll.countDocuments()).toBe(30);
    expect(await coll.countDocuments({ parity: "odd" })).toBe(15);
    expect(await coll.countDocuments({ parity: "odd" }, { skip: 5, limit: 4 })).toBe(4);
    expect(await coll.estimatedDocumentCount()).toBe(30);
    expect((await coll.distinct("parity")).sort()).toEqual(["even", "odd"]);
    expect((await coll.distinct("k", { i: { $lt: 5 } })).sort()).toEqual([0, 1, 2]);
    expect(await freshDb().collection("missing").countDocuments()).toBe(0);
  });
});

describe("updates and deletes", () => {
  test("updateOne/updateMany with $set, $inc, $setOnInsert and upsert", async () => {
    const coll = freshDb().collection("counters");
    await coll.insertMany([
      { key: "a", n: 1, group: "x" },
      { key: "b", n: 2, group: "x" },
      { key: "c", n: 3, group: "y" },
    ]);
    const one = await coll.updateOne({ key: "a" }, { $inc: { n: 10 }, $set: { touched: true } });
    expect(one).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0, upsertedId: null });

    const same = await coll.updateOne({ key: "a" }, { $set: { touched: true } });
    expect(same).toMatchObject({ matchedCount: 1, modifiedCount: 0 });

    const many = await coll.updateMany({ group: "x" }, { $inc: { n: 1 }, $setOnInsert: { created: true } });
    expect(many).toMatchObject({ matchedCount: 2, modifiedCount: 2, upsertedCount: 0 });
    expect((await coll.findOne({ key: "a" }))?.created).toBeUndefined();

    const up = await coll.updateOne(
      { key: "d", group: "z" },
      { $set: { n: 5 }, $setOnInsert: { created: true } },
      { upsert: true },
    );
    expect(up.matchedCount).toBe(0);
    expect(up.modifiedCount).toBe(0);
    expect(up.upsertedCount).toBe(1);
    expect(up.upsertedId).toBeInstanceOf(ObjectId);
    const d = await coll.findOne({ key: "d" }, { projection: { _id: 0 } });
    expect(plain(d)).toEqual({ key: "d", group: "z", n: 5, created: true });

    const again = await coll.updateOne(
      { key: "d" },
      { $inc: { n: 1 }, $setOnInsert: { created: false } },
      { upsert: true },
    );
    expect(again).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
    expect((await coll.findOne({ key: "d" }))?.created).toBe(true);

    expect(
      plain(
        await coll
          .find({}, { projection: { _id: 0, key: 1, n: 1 } })
          .sort({ key: 1 })
          .toArray(),
      ),
    ).toEqual([
      { key: "a", n: 12 },
      { key: "b", n: 3 },
      { key: "c", n: 3 },
      { key: "d", n: 6 },
    ]);
  });

  test("upserts from operator filters, positional and array updates", async () => {
    interface OpsDoc {
      key: string;
      n?: number;
      extra?: number;
      items?: { id: number; v: number }[];
      tags?: string[];
      set?: string[];
      hi?: number;
      gone?: string;
      seen?: Date;
      total?: number;
    }
    const coll = freshDb().collection<OpsDoc>("ops");
    await coll.updateOne({ key: "q", n: { $gt: 100 } }, { $set: { extra: 1 } }, { upsert: true });
    expect(plain(await coll.findOne({ key: "q" }, { projection: { _id: 0 } }))).toEqual({
      key: "q",
      extra: 1,
    });

    await coll.insertOne({
      key: "p",
      items: [
        { id: 1, v: 0 },
        { id: 2, v: 0 },
      ],
      tags: ["a"],
    });
    await coll.updateOne({ key: "p", "items.id": 2 }, { $set: { "items.$.v": 9 } });
    await coll.updateOne(
      { key: "p" },
      { $push: { tags: "b" }, $addToSet: { set: "x" }, $max: { hi: 3 }, $unset: { gone: "" } },
    );
    await coll.updateOne(
      { key: "p" },
      { $addToSet: { set: "x" }, $min: { hi: 1 }, $currentDate: { seen: true } },
    );
    const p = await coll.findOne({ key: "p" }, { projection: { _id: 0 } });
    expect(p?.items).toEqual([
      { id: 1, v: 0 },
      { id: 2, v: 9 },
    ]);
    expect(p?.tags).toEqual(["a", "b"]);
    expect(p?.set).toEqual(["x"]);
    expect(p?.hi).toBe(1);
    expect(p?.seen).toBeInstanceOf(Date);

    // Pipeline-style updates run through the aggregation engine.
    await coll.updateOne({ key: "p" }, [{ $set: { total: { $sum: "$items.v" } } }]);
    expect((await coll.findOne({ key: "p" }))?.total).toBe(9);
  });

  test("changing _id is rejected", async () => {
    const coll = freshDb().collection("ids");
    await coll.insertOne({ _id: "x" as unknown as ObjectId, v: 1 });
    const err = await coll
      .updateOne({ _id: "x" as unknown as ObjectId }, { $set: { _id: "y" } })
      .catch((e) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(66);
  });

  test("replaceOne keeps _id and replaces the rest", async () => {
    const coll = freshDb().collection("replace");
    const { insertedId } = await coll.insertOne({ a: 1, b: 2 });
    const res = await coll.replaceOne({ a: 1 }, { c: 3 });
    expect(res).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    expect(await coll.findOne({ _id: insertedId })).toEqual({ _id: insertedId, c: 3 });
    const up = await coll.replaceOne({ c: 99 }, { c: 100 }, { upsert: true });
    expect(up.upsertedCount).toBe(1);
    expect(await coll.countDocuments({ c: 100 })).toBe(1);
  });

  test("findOneAndUpdate and findOneAndDelete", async () => {
    const coll = freshDb().collection("fam");
    await coll.insertMany([
      { k: 1, v: "a" },
      { k: 2, v: "b" },
    ]);
    const after = await coll.findOneAndUpdate({ k: 1 }, { $set: { v: "z" } }, { returnDocument: "after" });
    expect(after?.v).toBe("z");
    const before = await coll.findOneAndUpdate({ k: 2 }, { $set: { v: "y" } }, { returnDocument: "before" });
    expect(before?.v).toBe("b");
    const upserted = await coll.findOneAndUpdate(
      { k: 3 },
      { $set: { v: "c" } },
      { upsert: true, returnDocument: "after", projection: { _id: 0 } },
    );
    expect(plain(upserted)).toEqual({ k: 3, v: "c" });
    const first = await coll.findOneAndDelete({}, { sort: { k: -1 } });
    expect(first?.k).toBe(3);
    expect(await coll.countDocuments()).toBe(2);
  });

  test("deleteOne and deleteMany", async () => {
    const coll = freshDb().collection("gone");
    await coll.insertMany(Array.from({ length: 10 }, (_, i) => ({ i, even: i % 2 === 0 })));
    expect((await coll.deleteOne({ even: true })).deletedCount).toBe(1);
    expect((await coll.deleteMany({ even: true })).deletedCount).toBe(4);
    expect((await coll.deleteMany({ even: true })).deletedCount).toBe(0);
    expect(await coll.countDocuments()).toBe(5);
    expect((await coll.deleteMany({})).deletedCount).toBe(5);
  });

  test("bulkWrite with mixed operations", async () => {
    const coll = freshDb().collection("bulk");
    await coll.insertMany([
      { k: 1, n: 0 },
      { k: 2, n: 0 },
      { k: 3, n: 0 },
    ]);
    const res = await coll.bulkWrite([
      { insertOne: { document: { k: 4, n: 0 } } },
      { updateOne: { filter: { k: 1 }, update: { $inc: { n: 1 } } } },
      { updateMany: { filter: { k: { $gte: 2 } }, update: { $set: { flag: true } } } },
      { updateOne: { filter: { k: 9 }, update: { $set: { n: 9 } }, upsert: true } },
      { replaceOne: { filter: { k: 3 }, replacement: { k: 3, replaced: true } } },
      { deleteOne: { filter: { k: 2 } } },
      { deleteMany: { filter: { k: { $gt: 100 } } } },
    ]);
    expect(res.insertedCount).toBe(1);
    expect(res.matchedCount).toBe(1 + 3 + 1);
    expect(res.modifiedCount).toBe(1 + 3 + 1);
    expect(res.upsertedCount).toBe(1);
    expect(res.deletedCount).toBe(1);
    expect(Object.keys(res.upsertedIds)).toEqual(["3"]);
    const rows = await coll
      .find({}, { projection: { _id: 0 } })
      .sort({ k: 1 })
      .toArray();
    expect(plain(rows)).toEqual([
      { k: 1, n: 1 },
      { k: 3, replaced: true },
      { k: 4, n: 0, flag: true },
      { k: 9, n: 9 },
    ]);
  });
});

describe("indexes and namespaces", () => {
  test("createIndex/createIndexes are recorded and listed", async () => {
    const coll = freshDb().collection("indexed");
    expect(await coll.createIndex({ watch_id: 1, at: -1 })).toBe("watch_id_1_at_-1");
    expect(
      await coll.createIndexes([
        { key: { email: 1 }, unique: true },
        { key: { at: 1 }, name: "by_at" },
      ]),
    ).toEqual(["email_1", "by_at"]);
    // Re-creating an identical index is a no-op.
    expect(await coll.createIndex({ email: 1 }, { unique: true })).toBe("email_1");
    const indexes = await coll.listIndexes().toArray();
    expect(indexes.map((i) => i.name)).toEqual(["_id_", "watch_id_1_at_-1", "email_1", "by_at"]);
    expect(indexes.find((i) => i.name === "email_1")).toMatchObject({ key: { email: 1 }, unique: true });
    expect(await coll.indexExists("by_at")).toBe(true);
    await coll.dropIndex("by_at");
    expect((await coll.listIndexes().toArray()).map((i) => i.name)).not.toContain("by_at");
  });

  test("unique indexes reject duplicates with code 11000", async () => {
    const coll = freshDb().collection("unique");
    await coll.createIndex({ email: 1 }, { unique: true });
    await coll.insertOne({ email: "a@x" });

    const single = await coll.insertOne({ email: "a@x" }).catch((e) => e);
    expect(single).toBeInstanceOf(MongoServerError);
    expect(single.code).toBe(11000);
    expect(single.message).toContain("E11000 duplicate key error");
    expect(single.keyValue).toEqual({ email: "a@x" });

    const bulk = await coll
      .insertMany([{ email: "b@x" }, { email: "a@x" }, { email: "c@x" }])
      .catch((e) => e);
    expect(bulk).toBeInstanceOf(MongoBulkWriteError);
    expect(bulk.code).toBe(11000);
    expect(bulk.insertedCount).toBe(1);
    expect(await coll.countDocuments()).toBe(2);

    // Unordered inserts continue past the duplicate.
    const unordered = await coll
      .insertMany([{ email: "a@x" }, { email: "d@x" }], { ordered: false })
      .catch((e) => e);
    expect(unordered.code).toBe(11000);
    expect(await coll.countDocuments()).toBe(3);

    // Updates and upserts are checked too.
    const upd = await coll.updateOne({ email: "d@x" }, { $set: { email: "a@x" } }).catch((e) => e);
    expect(upd.code).toBe(11000);
    const ups = await coll
      .updateOne({ nope: 1 }, { $set: { email: "a@x" } }, { upsert: true })
      .catch((e) => e);
    expect(ups.code).toBe(11000);

    // Building a unique index over existing duplicates fails.
    await coll.insertMany([{ team: 1 }, { team: 1 }]).catch(() => undefined);
    const build = await coll.createIndex({ team: 1 }, { unique: true }).catch((e) => e);
    expect(build).toBeInstanceOf(MongoServerError);
    expect(build.code).toBe(11000);
  });

  test("compound unique index makes seeding idempotent", async () => {
    const coll = freshDb().collection("seed");
    await coll.createIndex({ watch_id: 1, at: 1 }, { unique: true });
    const at = new Date("2024-01-01T00:00:00Z");
    await coll.insertOne({ watch_id: "w1", at, v: 1 });
    await coll.insertOne({ watch_id: "w2", at, v: 1 });
    const dup = await coll.insertOne({ watch_id: "w1", at: new Date(at), v: 2 }).catch((e) => e);
    expect(dup.code).toBe(11000);
    const res = await coll
      .insertMany(
        [
          { watch_id: "w1", at, v: 3 },
          { watch_id: "w1", at: new Date("2024-01-01T00:05:00Z"), v: 3 },
        ],
        { ordered: false },
      )
      .catch((e) => e);
    expect(res.code).toBe(11000);
    expect(await coll.countDocuments()).toBe(3);
  });

  test("listCollections, drop and dropDatabase", async () => {
    const db = freshDb();
    await db.collection("alpha").insertOne({ a: 1 });
    await db.createCollection("beta");
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
    expect(names).toEqual(["alpha", "beta"]);
    const full = await db.listCollections({ name: "alpha" }).toArray();
    expect(full).toHaveLength(1);
    expect(full[0]).toMatchObject({ name: "alpha", type: "collection" });
    const exists = await db.createCollection("beta").catch((e) => e);
    expect(exists.code).toBe(48);

    expect(await db.collection("alpha").drop()).toBe(true);
    expect((await db.listCollections().toArray()).map((c) => c.name)).toEqual(["beta"]);
    expect(await db.collection("never").drop()).toBe(true);

    const dbs = await client.db("admin").admin().listDatabases();
    expect(dbs.databases.map((d) => d.name)).toContain(db.databaseName);
    expect(await db.dropDatabase()).toBe(true);
    const after = await client.db("admin").admin().listDatabases({ nameOnly: true });
    expect(after.databases.map((d) => d.name)).not.toContain(db.databaseName);
    expect(await db.listCollections().toArray()).toEqual([]);
  });

  test("two databases are isolated", async () => {
    const a = freshDb();
    const b = freshDb();
    await a.collection("shared").insertMany([{ x: 1 }, { x: 2 }]);
    await b.collection("shared").insertOne({ x: 3 });
    await a.collection("shared").createIndex({ x: 1 }, { unique: true });
    expect(await a.collection("shared").countDocuments()).toBe(2);
    expect(await b.collection("shared").countDocuments()).toBe(1);
    await b.collection("shared").insertOne({ x: 1 }); // a's unique index does not apply to b
    expect((await b.collection("shared").listIndexes().toArray()).map((i) => i.name)).toEqual(["_id_"]);
    await b.dropDatabase();
    expect(await a.collection("shared").countDocuments()).toBe(2);
  });

  test("equality lookups through a hash index stay correct across updates", async () => {
    const coll = freshDb().collection("readings");
    await coll.createIndex({ watch_id: 1, at: 1 });
    const docs = [];
    for (let u = 0; u < 20; u++) {
      for (let i = 0; i < 50; i++)
        docs.push({ watch_id: `w${u}`, at: new Date(Date.UTC(2024, 0, 1, 0, i)), v: i });
    }
    await coll.insertMany(docs);
    await coll.insertOne({ watch_id: ["w3", "w4"], at: new Date(0), v: -1 });
    expect(await coll.countDocuments({ watch_id: "w3" })).toBe(51);
    expect(await coll.countDocuments({ watch_id: { $in: ["w1", "w2"] }, v: { $lt: 10 } })).toBe(20);
    await coll.updateMany({ watch_id: "w5", v: { $gte: 25 } }, { $set: { watch_id: "w6" } });
    expect(await coll.countDocuments({ watch_id: "w5" })).toBe(25);
    expect(await coll.countDocuments({ watch_id: "w6" })).toBe(75);
    const agg = await coll
      .aggregate([{ $match: { watch_id: "w6" } }, { $group: { _id: null, total: { $sum: "$v" } } }])
      .toArray();
    expect(agg).toEqual([{ _id: null, total: (49 * 50) / 2 + (25 + 49) * 12.5 }]);
    await coll.deleteMany({ watch_id: "w6" });
    expect(await coll.countDocuments({ watch_id: "w6" })).toBe(0);
  });
});

describe("aggregation", () => {
  test("$group by $dateToString in America/New_York across the spring DST change", async () => {
    const coll = freshDb().collection("dst");
    const at = (iso: string) => ({ at: new Date(iso) });
    await coll.insertMany([
      at("2024-03-10T04:30:00.000Z"), // Mar 9 23:30 EST
      at("2024-03-10T04:59:59.999Z"), // Mar 9 23:59:59.999 EST
      at("2024-03-10T05:00:00.000Z"), // Mar 10 00:00 EST
      at("2024-03-10T06:59:00.000Z"), // Mar 10 01:59 EST, last minute before the jump
      at("2024-03-10T07:00:00.000Z"), // Mar 10 03:00 EDT
      at("2024-03-11T03:59:00.000Z"), // Mar 10 23:59 EDT
      at("2024-03-11T04:00:00.000Z"), // Mar 11 00:00 EDT
    ]);
    const days = await coll
      .aggregate([
        {
          $group: {
            _id: { $dateToString: { date: "$at", format: "%Y-%m-%d", timezone: "America/New_York" } },
            n: { $sum: 1 },
            first: { $min: "$at" },
          },
        },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(days).toEqual([
      { _id: "2024-03-09", n: 2, first: new Date("2024-03-10T04:30:00.000Z") },
      { _id: "2024-03-10", n: 4, first: new Date("2024-03-10T05:00:00.000Z") },
      { _id: "2024-03-11", n: 1, first: new Date("2024-03-11T04:00:00.000Z") },
    ]);

    const local = await coll
      .aggregate([
        { $sort: { at: 1 } },
        {
          $project: {
            _id: 0,
            s: { $dateToString: { date: "$at", format: "%H:%M %z", timezone: "America/New_York" } },
            day: { $dateTrunc: { date: "$at", unit: "day", timezone: "America/New_York" } },
          },
        },
      ])
      .toArray();
    expect(local.map((r) => r.s)).toEqual([
      "23:30 -0500",
      "23:59 -0500",
      "00:00 -0500",
      "01:59 -0500",
      "03:00 -0400",
      "23:59 -0400",
      "00:00 -0400",
    ]);
    expect(local.map((r) => (r.day as Date).toISOString())).toEqual([
      "2024-03-09T05:00:00.000Z",
      "2024-03-09T05:00:00.000Z",
      "2024-03-10T05:00:00.000Z",
      "2024-03-10T05:00:00.000Z",
      "2024-03-10T05:00:00.000Z",
      "2024-03-10T05:00:00.000Z",
      "2024-03-11T04:00:00.000Z",
    ]);
  });

  test("fall-back hour, half/quarter-hour zones and $dateToParts", async () => {
    const coll = freshDb().collection("zones");
    const ny = "America/New_York";
    await coll.insertMany([
      { k: "ny-edt", tz: ny, at: new Date("2024-11-03T05:30:00Z") }, // 01:30 EDT
      { k: "ny-est", tz: ny, at: new Date("2024-11-03T06:30:00Z") }, // 01:30 EST (repeated hour)
      { k: "ktm", tz: "Asia/Kathmandu", at: new Date("2024-01-01T00:00:00Z") }, // 05:45 (+05:45)
      { k: "chatham-jan", tz: "Pacific/Chatham", at: new Date("2024-01-15T10:00:00Z") }, // 23:45 (+13:45)
      { k: "chatham-jul", tz: "Pacific/Chatham", at: new Date("2024-07-15T11:15:00Z") }, // 00:00 Jul 16 (+12:45)
    ]);
    const rows = await coll
      .aggregate([
        {
          $project: {
            _id: 0,
            k: 1,
            s: { $dateToString: { date: "$at", format: "%Y-%m-%d %H:%M %z", timezone: "$tz" } },
            hour: { $dateTrunc: { date: "$at", unit: "hour", timezone: "$tz" } },
            day: { $dateTrunc: { date: "$at", unit: "day", timezone: "$tz" } },
            parts: { $dateToParts: { date: "$at", timezone: "$tz" } },
            h: { $hour: { date: "$at", timezone: "$tz" } },
          },
        },
      ])
      .toArray();
    const byKey = Object.fromEntries(rows.map((r) => [r.k, r]));
    expect(byKey["ny-edt"]?.s).toBe("2024-11-03 01:30 -0400");
    expect(byKey["ny-est"]?.s).toBe("2024-11-03 01:30 -0500");
    expect(byKey["ny-edt"]?.hour).toEqual(new Date("2024-11-03T05:00:00Z"));
    expect(byKey["ny-est"]?.hour).toEqual(new Date("2024-11-03T06:00:00Z"));
    expect(byKey["ny-est"]?.day).toEqual(new Date("2024-11-03T04:00:00Z")); // midnight EDT

    expect(byKey.ktm?.s).toBe("2024-01-01 05:45 +0545");
    expect(byKey.ktm?.hour).toEqual(new Date("2023-12-31T23:15:00Z")); // 05:00 local
    expect(byKey.ktm?.day).toEqual(new Date("2023-12-31T18:15:00Z"));
    expect(byKey.ktm?.parts).toEqual({
      year: 2024,
      month: 1,
      day: 1,
      hour: 5,
      minute: 45,
      second: 0,
      millisecond: 0,
    });
    expect(byKey.ktm?.h).toBe(5);

    expect(byKey["chatham-jan"]?.s).toBe("2024-01-15 23:45 +1345");
    expect(byKey["chatham-jan"]?.day).toEqual(new Date("2024-01-14T10:15:00Z"));
    expect(byKey["chatham-jul"]?.s).toBe("2024-07-16 00:00 +1245");
    expect(byKey["chatham-jul"]?.day).toEqual(new Date("2024-07-15T11:15:00Z"));
    expect(byKey["chatham-jul"]?.parts).toMatchObject({ year: 2024, month: 7, day: 16, hour: 0, minute: 0 });
  });

  test("calendar arithmetic happens in local time", async () => {
    const coll = freshDb().collection("calendar");
    await coll.insertOne({
      wed: new Date("2024-03-13T12:00:00Z"),
      leapEve: new Date("2024-03-01T03:00:00Z"), // Feb 29 22:00 EST
      satMorning: new Date("2024-03-09T12:00:00Z"), // 07:00 EST, the day before the jump
      lateMar9: new Date("2024-03-10T04:30:00Z"), // Mar 9 23:30 EST
      earlyMar10: new Date("2024-03-10T05:30:00Z"), // Mar 10 00:30 EST
    });
    const tz = "America/New_York";
    const [row] = await coll
      .aggregate([
        {
          $project: {
            _id: 0,
            week: { $dateTrunc: { date: "$wed", unit: "week", startOfWeek: "monday", timezone: tz } },
            month: { $dateTrunc: { date: "$leapEve", unit: "month", timezone: tz } },
            quarter: { $dateTrunc: { date: "$wed", unit: "quarter", timezone: tz } },
            plusDay: { $dateAdd: { startDate: "$satMorning", unit: "day", amount: 1, timezone: tz } },
            plus24h: { $dateAdd: { startDate: "$satMorning", unit: "hour", amount: 24, timezone: tz } },
            dayDiff: {
              $dateDiff: { startDate: "$lateMar9", endDate: "$earlyMar10", unit: "day", timezone: tz },
            },
            dayDiffUtc: { $dateDiff: { startDate: "$lateMar9", endDate: "$earlyMar10", unit: "day" } },
            noon: { $dateFromParts: { year: 2024, month: 3, day: 10, hour: 12, timezone: tz } },
            dow: { $dayOfWeek: { date: "$lateMar9", timezone: tz } },
          },
        },
      ])
      .toArray();
    expect(row).toEqual({
      week: new Date("2024-03-11T04:00:00Z"),
      month: new Date("2024-02-01T05:00:00Z"),
      quarter: new Date("2024-01-01T05:00:00Z"),
      plusDay: new Date("2024-03-10T11:00:00Z"), // still 07:00 local, now EDT
      plus24h: new Date("2024-03-10T12:00:00Z"),
      dayDiff: 1,
      dayDiffUtc: 0,
      noon: new Date("2024-03-10T16:00:00Z"),
      dow: 7, // Saturday
    });
  });

  test("$lookup joins another collection of the same database", async () => {
    const db = freshDb();
    await db.collection<{ _id: string; name: string }>("users").insertMany([
      { _id: "u1", name: "ann" },
      { _id: "u2", name: "bob" },
    ]);
    await db.collection("orders").insertMany([
      { user: "u1", total: 5 },
      { user: "u1", total: 7 },
      { user: "u2", total: 1 },
    ]);
    const rows = await db
      .collection("users")
      .aggregate([
        { $lookup: { from: "orders", localField: "_id", foreignField: "user", as: "orders" } },
        { $project: { name: 1, spent: { $sum: "$orders.total" } } },
        { $sort: { name: 1 } },
      ])
      .toArray();
    expect(plain(rows)).toEqual([
      { _id: "u1", name: "ann", spent: 12 },
      { _id: "u2", name: "bob", spent: 1 },
    ]);
  });

  test("allowDiskUse with a small cursor batch pages through getMore", async () => {
    const coll = freshDb().collection("agg");
    await coll.insertMany(Array.from({ length: 250 }, (_, i) => ({ i, bucket: i % 5 })));
    const mark = started.length;
    const rows = await coll
      .aggregate([{ $match: { i: { $gte: 10 } } }, { $sort: { i: -1 } }, { $project: { _id: 0, i: 1 } }], {
        allowDiskUse: true,
        batchSize: 50,
      })
      .toArray();
    expect(rows).toHaveLength(240);
    expect(rows[0]).toEqual({ i: 249 });
    expect(rows[239]).toEqual({ i: 10 });
    expect(commandsNamed("getMore", mark).length).toBeGreaterThanOrEqual(4);
    const agg = commandsNamed("aggregate", mark)[0];
    expect(agg?.command.allowDiskUse).toBe(true);
  });

  test("$facet, $count, $addFields, $skip/$limit and $setWindowFields", async () => {
    const coll = freshDb().collection("stats");
    await coll.insertMany(
      Array.from({ length: 12 }, (_, i) => ({ user: i % 2 ? "u1" : "u2", v: i, meta: { src: "w" } })),
    );
    const [facets] = await coll
      .aggregate([
        { $addFields: { double: { $multiply: ["$v", 2] }, "meta.tag": "x" } },
        {
          $facet: {
            total: [{ $count: "n" }],
            page: [
              { $sort: { v: 1 } },
              { $skip: 2 },
              { $limit: 3 },
              { $project: { _id: 0, v: 1, double: 1 } },
            ],
            byUser: [{ $group: { _id: "$user", sum: { $sum: "$v" } } }, { $sort: { _id: 1 } }],
          },
        },
      ])
      .toArray();
    expect(facets).toEqual({
      total: [{ n: 12 }],
      page: [
        { v: 2, double: 4 },
        { v: 3, double: 6 },
        { v: 4, double: 8 },
      ],
      byUser: [
        { _id: "u1", sum: 1 + 3 + 5 + 7 + 9 + 11 },
        { _id: "u2", sum: 0 + 2 + 4 + 6 + 8 + 10 },
      ],
    });
    // The nested $addFields above must not leak into stored documents.
    expect((await coll.findOne({ v: 0 }))?.meta).toEqual({ src: "w" });

    const running = await coll
      .aggregate([
        { $match: { user: "u1" } },
        {
          $setWindowFields: {
            partitionBy: "$user",
            sortBy: { v: 1 },
            output: { cum: { $sum: "$v", window: { documents: ["unbounded", "current"] } } },
          },
        },
        { $project: { _id: 0, v: 1, cum: 1 } },
      ])
      .toArray();
    expect(running.map((r) => r.cum)).toEqual([1, 4, 9, 16, 25, 36]);
  });

  test("a $facet branch that writes works on copies: its siblings and the store see the originals", async () => {
    const coll = freshDb().collection("shared");
    await coll.insertMany([
      { k: 1, meta: { tag: "a" } },
      { k: 2, meta: { tag: "b" } },
    ]);
    const [facets] = await coll
      .aggregate([
        { $set: { extra: 1 } },
        {
          $facet: {
            // Branches run in this order; the last one reads the input shared with the first two.
            written: [{ $set: { "meta.tag": "changed" } }, { $sort: { k: 1 } }, { $project: { _id: 0 } }],
            excluded: [{ $project: { _id: 0, "meta.tag": 0 } }, { $sort: { k: 1 } }],
            read: [{ $sort: { k: 1 } }, { $project: { _id: 0, k: 1, tag: "$meta.tag", extra: 1 } }],
          },
        },
      ])
      .toArray();
    expect(facets).toEqual({
      written: [
        { k: 1, meta: { tag: "changed" }, extra: 1 },
        { k: 2, meta: { tag: "changed" }, extra: 1 },
      ],
      excluded: [
        { k: 1, meta: {}, extra: 1 },
        { k: 2, meta: {}, extra: 1 },
      ],
      read: [
        { k: 1, tag: "a", extra: 1 },
        { k: 2, tag: "b", extra: 1 },
      ],
    });
    const stored = await coll
      .find({}, { projection: { _id: 0 } })
      .sort({ k: 1 })
      .toArray();
    expect(plain(stored)).toEqual([
      { k: 1, meta: { tag: "a" } },
      { k: 2, meta: { tag: "b" } },
    ]);
  });

  test("$sort + $limit returns the first documents of the full sort, ties in input order", async () => {
    const coll = freshDb().collection("top");
    await coll.insertMany([
      { i: 0, a: 2, b: "x" },
      { i: 1, a: 1, b: "y" },
      { i: 2, b: "z" },
      { i: 3, a: null, b: "x" },
      { i: 4, a: 1, b: "x" },
      { i: 5, a: 2, b: "x" },
      { i: 6, a: new Date(0), b: "w" },
      { i: 7, a: "s", b: "v" },
      { i: 8, a: 1.5, b: "x" },
    ]);
    const order = async (pipeline: Document[]) =>
      (await coll.aggregate([...pipeline, { $project: { _id: 0, i: 1 } }]).toArray()).map((d) => d.i);
    for (const sort of [{ a: 1, b: 1 }, { a: -1, b: 1 }, { b: -1, a: -1 }, { a: 1 }, { b: 1 }]) {
      const full = await order([{ $sort: sort }]);
      expect(full).toHaveLength(9);
      for (const n of [1, 2, 5, 9, 20])
        expect(await order([{ $sort: sort }, { $limit: n }])).toEqual(full.slice(0, n));
    }
    // b: "v", "w", then the four "x" by a descending (the two a = 2 in input order), …
    expect(await order([{ $sort: { b: 1, a: -1 } }, { $limit: 4 }])).toEqual([7, 6, 0, 5]);
  });

  test("$min and $max as expressions and as accumulators", async () => {
    const coll = freshDb().collection("extremes");
    await coll.insertMany([
      { g: 1, v: 3, arr: [4, 1, 9] },
      { g: 1, v: 7, arr: [] },
      { g: 2, v: 5, s: "x" },
    ]);
    const rows = await coll
      .aggregate([
        {
          $project: {
            _id: 0,
            clamped: { $min: ["$v", 5] },
            top: { $max: "$arr" },
            mixed: { $max: ["$v", "$s", null] },
            none: { $min: ["$missing", null] },
          },
        },
      ])
      .toArray();
    expect(rows).toEqual([
      { clamped: 3, top: 9, mixed: 3, none: null },
      { clamped: 5, top: null, mixed: 7, none: null },
      { clamped: 5, top: null, mixed: "x", none: null },
    ]);
    const groups = await coll
      .aggregate([
        { $group: { _id: "$g", hi: { $max: { $multiply: ["$v", 2] } }, lo: { $min: "$v" } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(groups).toEqual([
      { _id: 1, hi: 14, lo: 3 },
      { _id: 2, hi: 10, lo: 5 },
    ]);
  });

  test("$group accumulators over field paths: numbers only for $sum/$avg, nested paths, every value pushed", async () => {
    const coll = freshDb().collection("fieldpaths");
    await coll.insertMany([
      { g: 1, v: 2, n: { x: 5 } },
      { g: 1, v: "s", n: { x: 7 } },
      { g: 1, v: 4, n: { x: 5 } },
      { g: 2, n: { x: 1 } },
    ]);
    const grouped = await coll
      .aggregate([
        {
          $group: {
            _id: "$g",
            sum: { $sum: "$v" },
            avg: { $avg: "$v" },
            lo: { $min: "$n.x" },
            hi: { $max: "$n.x" },
            all: { $push: "$n.x" },
            distinct: { $addToSet: "$n.x" },
          },
        },
        { $set: { distinct: { $sortArray: { input: "$distinct", sortBy: 1 } } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(grouped).toEqual([
      { _id: 1, sum: 6, avg: 3, lo: 5, hi: 7, all: [5, 7, 5], distinct: [5, 7] },
      { _id: 2, sum: 0, avg: null, lo: 1, hi: 1, all: [1], distinct: [1] },
    ]);
  });

  test("$out writes results into a collection", async () => {
    const db = freshDb();
    await db.collection("src").insertMany([{ g: "a" }, { g: "a" }, { g: "b" }]);
    await db
      .collection("src")
      .aggregate([{ $group: { _id: "$g", n: { $sum: 1 } } }, { $out: "summary" }])
      .toArray();
    const out = await db.collection("summary").find().sort({ _id: 1 }).toArray();
    expect(plain(out)).toEqual([
      { _id: "a", n: 2 },
      { _id: "b", n: 1 },
    ]);
  });
});

describe("errors", () => {
  test("unknown commands fail with CommandNotFound", async () => {
    const err = await client
      .db()
      .command({ definitelyNotACommand: 1 })
      .catch((e) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(59);
    expect(err.codeName).toBe("CommandNotFound");
    expect(err.message).toBe("no such command: 'definitelyNotACommand'");
  });

  test("bad pipelines, disabled scripting and unsupported features surface as server errors", async () => {
    const coll = freshDb().collection("errs");
    await coll.insertOne({ a: 1 });
    const badStage = await coll
      .aggregate([{ $bogus: {} }])
      .toArray()
      .catch((e) => e);
    expect(badStage).toBeInstanceOf(MongoServerError);
    expect(badStage.code).toBe(40324);
    const where = await coll
      .find({ $where: "this.a == 1" })
      .toArray()
      .catch((e) => e);
    expect(where).toBeInstanceOf(MongoServerError);
    const badTz = await coll
      .aggregate([{ $project: { s: { $dateToString: { date: new Date(), timezone: "Mars/Olympus" } } } }])
      .toArray()
      .catch((e) => e);
    expect(badTz).toBeInstanceOf(MongoServerError);
    expect(badTz.code).toBe(40485);
    const explain = await coll
      .find({})
      .explain()
      .catch((e) => e);
    expect(explain).toBeInstanceOf(MongoServerError);
    const missing = await freshDb()
      .collection("none")
      .listIndexes()
      .toArray()
      .catch((e) => e);
    expect(missing.code).toBe(26);
    // The connection is still healthy afterwards.
    expect(await coll.countDocuments()).toBe(1);
  });
});

describe("wire framing", () => {
  function opMsg(requestId: number, body: Record<string, unknown>, flags = 0): Buffer {
    const doc = Buffer.from(serialize(body));
    const buf = Buffer.alloc(16 + 4 + 1 + doc.length);
    buf.writeInt32LE(buf.length, 0);
    buf.writeInt32LE(requestId, 4);
    buf.writeInt32LE(0, 8);
    buf.writeInt32LE(2013, 12);
    buf.writeUInt32LE(flags, 16);
    buf.writeUInt8(0, 20);
    doc.copy(buf, 21);
    return buf;
  }

  function opQuery(requestId: number, ns: string, query: Record<string, unknown>): Buffer {
    const name = Buffer.from(`${ns}\0`);
    const doc = Buffer.from(serialize(query));
    const buf = Buffer.alloc(16 + 4 + name.length + 8 + doc.length);
    buf.writeInt32LE(buf.length, 0);
    buf.writeInt32LE(requestId, 4);
    buf.writeInt32LE(0, 8);
    buf.writeInt32LE(2004, 12);
    buf.writeInt32LE(0, 16);
    name.copy(buf, 20);
    buf.writeInt32LE(0, 20 + name.length);
    buf.writeInt32LE(-1, 24 + name.length);
    doc.copy(buf, 28 + name.length);
    return buf;
  }

  interface Reply {
    responseTo: number;
    opCode: number;
    doc: Record<string, unknown>;
  }

  function rawConnection() {
    const socket = net.connect(standin.port, "127.0.0.1");
    const framer = new MessageFramer();
    const replies: Reply[] = [];
    const waiters: (() => void)[] = [];
    socket.on("data", (chunk: Buffer) => {
      for (const msg of framer.push(chunk)) {
        const opCode = msg.readInt32LE(12);
        const bodyAt = opCode === 1 ? 36 : 21;
        replies.push({ responseTo: msg.readInt32LE(8), opCode, doc: deserialize(msg.subarray(bodyAt)) });
      }
      for (const w of waiters.splice(0)) w();
    });
    const waitFor = async (n: number) => {
      while (replies.length < n) await new Promise<void>((r) => waiters.push(r));
    };
    return { socket, replies, waitFor };
  }

  test("handles split and coalesced messages, OP_QUERY handshakes and moreToCome", async () => {
    const { socket, replies, waitFor } = rawConnection();
    await new Promise<void>((r) => socket.once("connect", () => r()));

    // Legacy handshake answered with OP_REPLY.
    socket.write(opQuery(1, "admin.$cmd", { isMaster: 1, helloOk: true }));
    await waitFor(1);
    expect(replies[0]?.opCode).toBe(1);
    expect(replies[0]?.responseTo).toBe(1);
    expect(replies[0]?.doc).toMatchObject({ ismaster: true, helloOk: true, maxWireVersion: 21, ok: 1 });

    // One message dribbled out a byte at a time.
    const split = opMsg(2, { ping: 1, $db: "admin" });
    for (const byte of split) {
      socket.write(Buffer.from([byte]));
      await Bun.sleep(0);
    }
    await waitFor(2);
    expect(replies[1]).toMatchObject({ responseTo: 2, opCode: 2013, doc: { ok: 1 } });

    // A fire-and-forget insert (moreToCome) and two commands in a single write.
    const coalesced = Buffer.concat([
      opMsg(3, { insert: "raw", documents: [{ x: 1 }], $db: "rawdb", writeConcern: { w: 0 } }, 2),
      opMsg(4, { count: "raw", $db: "rawdb" }),
      opMsg(5, { nope: 1, $db: "rawdb" }),
    ]);
    socket.write(coalesced);
    await waitFor(4);
    expect(replies[2]).toMatchObject({ responseTo: 4, doc: { n: 1, ok: 1 } });
    expect(replies[3]).toMatchObject({ responseTo: 5, doc: { ok: 0, code: 59 } });

    // checksumPresent: the trailing CRC-32C is ignored, not parsed as a section.
    const withCrc = Buffer.concat([opMsg(6, { ping: 1, $db: "admin" }, 1), Buffer.alloc(4)]);
    withCrc.writeInt32LE(withCrc.length, 0);
    socket.write(withCrc);
    await waitFor(5);
    expect(replies[4]).toMatchObject({ responseTo: 6, doc: { ok: 1 } });
    socket.destroy();
  });

  test("kind-1 document sequences are folded into the command", async () => {
    const { socket, replies, waitFor } = rawConnection();
    await new Promise<void>((r) => socket.once("connect", () => r()));
    const body = Buffer.from(serialize({ insert: "seq", $db: "seqdb" }));
    const docs = [{ a: 1 }, { a: 2 }, { a: 3 }].map((d) => Buffer.from(serialize(d)));
    const ident = Buffer.from("documents\0");
    const seqSize = 4 + ident.length + docs.reduce((s, d) => s + d.length, 0);
    const total = 16 + 4 + 1 + body.length + 1 + seqSize;
    const header = Buffer.alloc(21);
    header.writeInt32LE(total, 0);
    header.writeInt32LE(7, 4);
    header.writeInt32LE(0, 8);
    header.writeInt32LE(2013, 12);
    header.writeUInt32LE(0, 16);
    header.writeUInt8(0, 20);
    const seqHead = Buffer.alloc(5);
    seqHead.writeUInt8(1, 0);
    seqHead.writeInt32LE(seqSize, 1);
    socket.write(Buffer.concat([header, body, seqHead, ident, ...docs]));
    await waitFor(1);
    expect(replies[0]).toMatchObject({ responseTo: 7, doc: { n: 3, ok: 1 } });
    socket.destroy();
    expect(await client.db("seqdb").collection("seq").countDocuments()).toBe(3);
  });
});
