// Pagination cursors: only what a row of ours can produce decodes; anything else is refused (null),
// never an Invalid Date handed to the database.
import { describe, expect, test } from "bun:test";
import { decodeCursor, encodeCursor } from "../../src/db/cursor";

const ID = "019af3c2-7b1e-7c3a-9d2e-5f6a7b8c9d0e";
const raw = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("decodeCursor", () => {
  test("round-trips what encodeCursor issues, at both ends of MySQL's DATETIME(3) range", () => {
    for (const at of [
      new Date(0),
      new Date("2026-12-06T10:00:00.123Z"),
      new Date("9999-12-31T23:59:59.999Z"),
    ]) {
      expect(decodeCursor(encodeCursor({ at, id: ID }))).toEqual({ at, id: ID });
    }
  });

  test.each([
    ["a time after 9999-12-31 23:59:59.999", { t: Date.UTC(9999, 11, 31, 23, 59, 59, 999) + 1, id: ID }],
    ["a time past JavaScript's own dates (was a 500)", { t: 8.64e15 + 1, id: ID }],
    ["the largest safe integer", { t: Number.MAX_SAFE_INTEGER, id: ID }],
    ["a negative time", { t: -1, id: ID }],
    ["a fractional time", { t: 1.5, id: ID }],
    ["a time as a string", { t: "1", id: ID }],
    ["an id in upper case", { t: 1, id: ID.toUpperCase() }],
    ["an id with a trailing space", { t: 1, id: `${ID} ` }],
    ["an id that is not a UUIDv7", { t: 1, id: "not-an-id" }],
    ["a missing id", { t: 1 }],
  ])("refuses %s", (_, value) => {
    expect(decodeCursor(raw(value))).toBeNull();
  });

  test.each([
    ["not base64url JSON", "%%%"],
    ["JSON that is not an object", raw([1, 2])],
    ["over 200 characters", "a".repeat(201)],
  ])("refuses %s", (_, value) => {
    expect(decodeCursor(value)).toBeNull();
  });
});
