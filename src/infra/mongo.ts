// MongoDB watch readings (external, read-mostly). The database name comes from the URL path.
import { type Db, MongoClient } from "mongodb";
import type { Dependency } from "./dependency";

export interface MongoDeps extends Dependency {
  readonly client: MongoClient;
  readonly db: Db;
}

export function createMongo(url: string, timeoutMs: number): MongoDeps {
  const client = new MongoClient(url, {
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    maxPoolSize: 50,
    appName: "ask-hilo",
  });
  return {
    name: "mongodb",
    client,
    db: client.db(),
    check: async () => {
      await client.db().command({ ping: 1 });
    },
    close: () => client.close(),
  };
}
