// Our ids are UUIDv7 in Bun's lowercase text form. Anything else (another case, a trailing space,
// another format) names nothing of ours and is answered before any query.
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function isEntityId(value: string): boolean {
  return UUID_V7.test(value);
}
