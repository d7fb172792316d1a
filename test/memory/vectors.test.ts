// The scoring core: normalisation, packing and top-k selection over a packed matrix, as tables.
import { describe, expect, test } from "bun:test";
import { normalised, packRows, topMatches } from "../../src/memory/vectors";

function norm(vector: Float32Array): number {
  return Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
}

describe("normalised", () => {
  test.each([
    [
      [3, 4],
      [0.6, 0.8],
    ],
    [
      [0, 0, 2],
      [0, 0, 1],
    ],
    [
      [-1, 1, -1, 1],
      [-0.5, 0.5, -0.5, 0.5],
    ],
  ])("%p becomes the unit vector %p", (input, expected) => {
    const out = normalised(input);
    expect(Array.from(out)).toEqual(expected.map((value) => Math.fround(value)));
    expect(norm(out)).toBeCloseTo(1, 6);
  });

  test("a zero vector stays zero instead of becoming NaN", () => {
    expect(Array.from(normalised([0, 0, 0]))).toEqual([0, 0, 0]);
  });

  test("the input is not modified", () => {
    const input = new Float32Array([3, 4]);
    normalised(input);
    expect(Array.from(input)).toEqual([3, 4]);
  });
});

describe("packRows", () => {
  test("rows are normalised and laid out one after another", () => {
    const matrix = packRows(
      [
        [2, 0],
        [0, 5],
        [3, 4],
      ],
      2,
    );
    expect(matrix.count).toBe(3);
    expect(matrix.dimensions).toBe(2);
    expect(Array.from(matrix.values)).toEqual([1, 0, 0, 1, 0.6, 0.8].map((value) => Math.fround(value)));
  });

  test("a row of another size is refused", () => {
    expect(() =>
      packRows(
        [
          [1, 0],
          [1, 0, 0],
        ],
        2,
      ),
    ).toThrow("row 1 has 3 dimensions, expected 2");
  });
});

describe("topMatches", () => {
  // Five dimensions, so the unrolled loop and its tail are both exercised.
  const rows = [
    [1, 0, 0, 0, 0], // row 0
    [0.8, 0.6, 0, 0, 0], // row 1: cos 0.8 with the query below
    [0, 1, 0, 0, 0], // row 2: cos 0
    [0.6, 0.8, 0, 0, 0], // row 3: cos 0.6
    [-1, 0, 0, 0, 0], // row 4: cos -1
    [1, 0, 0, 0, 0], // row 5: same score as row 0
    [0, 0, 0, 0, 3], // row 6: only the tail dimension
  ];
  const matrix = packRows(rows, 5);
  const query = normalised([1, 0, 0, 0, 0]);
  const rowsOf = (limit: number, minScore: number) =>
    topMatches(matrix, query, limit, minScore).map((match) => match.row);

  test.each([
    ["best first, ties keep the lower (newer) row first", 10, -2, [0, 5, 1, 3, 2, 6, 4]],
    ["the limit keeps only the best", 3, -2, [0, 5, 1]],
    ["a limit of 1 keeps the first of equal bests", 1, -2, [0]],
    ["scores below the minimum are left out", 10, 0.6, [0, 5, 1, 3]],
    ["the minimum is inclusive", 10, 0.8, [0, 5, 1]],
    ["nothing reaches an impossible minimum", 10, 1.5, []],
    ["a limit of 0 returns nothing", 0, -2, []],
  ])("%s", (_, limit, minScore, expected) => {
    expect(rowsOf(limit as number, minScore as number)).toEqual(expected as number[]);
  });

  test("scores are the cosine similarities", () => {
    const scores = topMatches(matrix, query, 4, -2).map((match) => match.score);
    expect(scores[0]).toBeCloseTo(1, 6);
    expect(scores[2]).toBeCloseTo(0.8, 6);
    expect(scores[3]).toBeCloseTo(0.6, 6);
  });

  test("the tail dimensions count", () => {
    const [best] = topMatches(matrix, normalised([0, 0, 0, 0, 1]), 1, 0.5);
    expect(best?.row).toBe(6);
    expect(best?.score).toBeCloseTo(1, 6);
  });

  test("an empty matrix has no matches", () => {
    expect(topMatches(packRows([], 5), query, 5, 0)).toEqual([]);
  });

  test("a query of another size is refused", () => {
    expect(() => topMatches(matrix, normalised([1, 0]), 5, 0)).toThrow("query has 2 dimensions, expected 5");
  });
});
