// The one rounding rule, by table.
import { describe, expect, test } from "bun:test";
import {
  percentOf,
  roundBpm,
  roundHalfAwayFromZero,
  roundHours,
  roundMmHg,
  roundPercent,
  roundSteps,
} from "../../src/readings/rounding";

describe("roundHalfAwayFromZero", () => {
  test.each([
    [122.5, 0, 123],
    [122.49, 0, 122],
    [-2.5, 0, -3],
    [-2.4, 0, -2],
    [-0.4, 0, 0], // never -0
    [6.85, 1, 6.9], // 6.85 is 6.8499999… in binary: still a tie
    [13.7 / 2, 1, 6.9],
    [(5 + 5.1 + 8.7 + 5) / 4, 1, 6], // 23.8 / 4 = 5.95, but the sum of the doubles gives 5.9499999…
    [0.15, 1, 0.2],
    [1.45, 1, 1.5],
    [55.55, 1, 55.6],
    [55.549, 1, 55.5],
    [-0.05, 1, -0.1],
    [1158 / 9, 0, 129],
    [200 / 3, 1, 66.7],
  ])("%d to %d decimals is %d", (value, digits, expected) => {
    expect(roundHalfAwayFromZero(value, digits)).toBe(expected);
  });

  test("refuses non-finite numbers", () => {
    expect(() => roundHalfAwayFromZero(Number.NaN)).toThrow(RangeError);
    expect(() => roundHalfAwayFromZero(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe("per-unit rules", () => {
  test("mmHg, bpm and steps are whole; percent and hours keep one decimal", () => {
    expect(roundMmHg(135.5)).toBe(136);
    expect(roundBpm(68.2)).toBe(68);
    expect(roundSteps(6099.5)).toBe(6100);
    expect(roundPercent(55.5555)).toBe(55.6);
    expect(roundHours(6.88)).toBe(6.9);
  });

  test("percentOf has no answer for an empty whole", () => {
    expect(percentOf(5, 9)).toBe(55.6);
    expect(percentOf(0, 9)).toBe(0);
    expect(percentOf(0, 0)).toBeNull();
  });
});
