// The shape every datastore client takes so the lifecycle can check and close them uniformly.

export const DEPENDENCY_NAMES = [
  "app_mysql",
  "users_mysql",
  "mongodb",
  "postgres",
  "redis",
  "model",
] as const;
export type DependencyName = (typeof DEPENDENCY_NAMES)[number];

export interface Dependency {
  readonly name: DependencyName;
  /** Resolves when the dependency answers a trivial request; rejects otherwise. */
  check(): Promise<void>;
  close(): Promise<void>;
}

export class TimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} did not answer within ${ms} ms`);
    this.name = "TimeoutError";
  }
}

export async function withTimeout<T>(what: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(what, ms)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
