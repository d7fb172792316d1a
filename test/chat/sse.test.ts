// Stream-id ordering decides what a resuming client gets, so it must be exact for every id Redis
// can issue (two unsigned 64-bit decimals) and for client ids with leading zeros.
import { describe, expect, test } from "bun:test";
import { compareStreamIds, parseLastEventId } from "../../src/chat/sse";

/** The obviously right comparison, for reference. */
function byBigInt(a: string, b: string): number {
  const [aMs = "0", aSeq = "0"] = a.split("-");
  const [bMs = "0", bSeq = "0"] = b.split("-");
  const ms = BigInt(aMs) - BigInt(bMs);
  if (ms !== 0n) return ms < 0n ? -1 : 1;
  const seq = BigInt(aSeq) - BigInt(bSeq);
  return seq === 0n ? 0 : seq < 0n ? -1 : 1;
}

describe("compareStreamIds", () => {
  const cases: [string, string, number][] = [
    ["1-0", "1-0", 0],
    ["1-0", "1-1", -1],
    ["2-0", "1-99", 1],
    ["9-0", "10-0", -1],
    ["1796159925409-9", "1796159925409-10", -1],
    ["1796159925410-0", "1796159925409-18446744073709551615", 1],
    ["18446744073709551615-18446744073709551615", "18446744073709551615-18446744073709551614", 1],
    ["0001-0", "1-0", 0],
    ["0-0", "0-1", -1],
    ["007-2", "7-10", -1],
  ];
  for (const [a, b, expected] of cases) {
    test(`${a} vs ${b} is ${expected}`, () => {
      expect(compareStreamIds(a, b)).toBe(expected);
      expect(compareStreamIds(b, a)).toBe(-expected || 0);
    });
  }

  test("agrees with a BigInt comparison on 20,000 random pairs, near-equal ones included", () => {
    const digits = (length: number) =>
      Array.from({ length }, () => Math.floor(Math.random() * 10)).join("") || "0";
    const randomId = () =>
      `${"0".repeat(Math.floor(Math.random() * 2))}${digits(1 + Math.floor(Math.random() * 19))}-${digits(1 + Math.floor(Math.random() * 4))}`;
    for (let i = 0; i < 20_000; i++) {
      const a = randomId();
      // Every third pair shares the milliseconds, so the sequence decides.
      const b = i % 3 === 0 ? `${a.split("-")[0]}-${digits(1 + Math.floor(Math.random() * 4))}` : randomId();
      expect([a, b, compareStreamIds(a, b)]).toEqual([a, b, byBigInt(a, b)]);
    }
  });
});

describe("parseLastEventId", () => {
  test("takes stream ids, trimmed", () => {
    expect(parseLastEventId(" 1796159925409-3 ")).toBe("1796159925409-3");
    expect(parseLastEventId("0-2")).toBe("0-2");
  });
  test("takes both parts up to 2^64-1, the largest Redis accepts", () => {
    expect(parseLastEventId("18446744073709551615-18446744073709551615")).toBe(
      "18446744073709551615-18446744073709551615",
    );
    expect(parseLastEventId("00000000000000000001-0")).toBe("00000000000000000001-0");
  });
  test("refuses ids Redis would refuse: either part above 2^64-1", () => {
    for (const value of [
      "99999999999999999999-0",
      "18446744073709551616-0",
      "0-18446744073709551616",
      "18446744073709551615-99999999999999999999",
    ]) {
      expect(parseLastEventId(value)).toBeNull();
    }
  });
  test("refuses anything else", () => {
    for (const value of ["", "abc", "1-", "-1", "1-2-3", "1 -2", "123456789012345678901-0", "$", "+"]) {
      expect(parseLastEventId(value)).toBeNull();
    }
  });
});
