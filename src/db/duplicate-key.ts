// MySQL's answer to an INSERT that hits a UNIQUE key, however deep the driver and Drizzle wrap it:
// the callers treat it as "someone else got there first", never as a failure.
export function isDuplicateKey(error: unknown): boolean {
  for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
    if ((current as { code?: string }).code === "ER_DUP_ENTRY") return true;
  }
  return false;
}
