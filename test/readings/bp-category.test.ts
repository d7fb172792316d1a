import { describe, expect, test } from "bun:test";
import {
  BP_CATEGORIES,
  type BpCategory,
  bpCategoryRank,
  classifyBp,
  isInTargetBand,
} from "../../src/readings/bp-category";

describe("classifyBp", () => {
  const cases: { systolic: number; diastolic: number; category: BpCategory }[] = [
    { systolic: 100, diastolic: 60, category: "Optimal" },
    { systolic: 119, diastolic: 79, category: "Optimal" },
    { systolic: 120, diastolic: 79, category: "Normal" },
    { systolic: 119, diastolic: 80, category: "Normal" },
    { systolic: 120, diastolic: 80, category: "Normal" },
    { systolic: 129, diastolic: 84, category: "Normal" },
    { systolic: 130, diastolic: 84, category: "High-Normal" },
    { systolic: 129, diastolic: 85, category: "High-Normal" },
    { systolic: 130, diastolic: 85, category: "High-Normal" },
    { systolic: 139, diastolic: 89, category: "High-Normal" },
    { systolic: 140, diastolic: 89, category: "Hypertension 1" },
    { systolic: 139, diastolic: 90, category: "Hypertension 1" },
    { systolic: 140, diastolic: 90, category: "Hypertension 1" },
    { systolic: 159, diastolic: 99, category: "Hypertension 1" },
    { systolic: 160, diastolic: 99, category: "Hypertension 2" },
    { systolic: 159, diastolic: 100, category: "Hypertension 2" },
    { systolic: 160, diastolic: 100, category: "Hypertension 2" },
    // mixed: the higher category wins
    { systolic: 118, diastolic: 92, category: "Hypertension 1" },
    { systolic: 165, diastolic: 70, category: "Hypertension 2" },
    { systolic: 112, diastolic: 86, category: "High-Normal" },
    { systolic: 135, diastolic: 70, category: "High-Normal" },
    { systolic: 118, diastolic: 104, category: "Hypertension 2" },
    // daily averages carry one decimal
    { systolic: 119.9, diastolic: 79.9, category: "Optimal" },
    { systolic: 129.9, diastolic: 84.9, category: "Normal" },
    { systolic: 138.2, diastolic: 87.6, category: "High-Normal" },
    { systolic: 127.4, diastolic: 81.3, category: "Normal" },
  ];

  test.each(cases)("$systolic/$diastolic is $category", ({ systolic, diastolic, category }) => {
    expect(classifyBp(systolic, diastolic)).toBe(category);
  });

  test.each([
    { systolic: Number.NaN, diastolic: 80 },
    { systolic: 120, diastolic: Number.POSITIVE_INFINITY },
    { systolic: 0, diastolic: 80 },
    { systolic: 120, diastolic: -5 },
  ])("rejects $systolic/$diastolic", ({ systolic, diastolic }) => {
    expect(() => classifyBp(systolic, diastolic)).toThrow(RangeError);
  });
});

describe("category order", () => {
  test("ranks best to worst", () => {
    expect(BP_CATEGORIES).toEqual(["Optimal", "Normal", "High-Normal", "Hypertension 1", "Hypertension 2"]);
    expect(bpCategoryRank("Optimal")).toBe(0);
    expect(bpCategoryRank("High-Normal")).toBe(2);
    expect(bpCategoryRank("Hypertension 2")).toBe(4);
  });
});

describe("isInTargetBand", () => {
  const band = { systolicMin: 90, systolicMax: 130, diastolicMin: 60, diastolicMax: 85 };

  test.each([
    { systolic: 90, diastolic: 60, inside: true },
    { systolic: 130, diastolic: 85, inside: true },
    { systolic: 118, diastolic: 76, inside: true },
    { systolic: 131, diastolic: 80, inside: false },
    { systolic: 125, diastolic: 86, inside: false },
    { systolic: 89, diastolic: 70, inside: false },
    { systolic: 110, diastolic: 59, inside: false },
  ])("$systolic/$diastolic inside 90–130/60–85: $inside", ({ systolic, diastolic, inside }) => {
    expect(isInTargetBand(systolic, diastolic, band)).toBe(inside);
  });
});
