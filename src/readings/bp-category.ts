export type BpCategory = "Optimal" | "Normal" | "High-Normal" | "Hypertension 1" | "Hypertension 2";

/**
 * ESC/ESH office blood-pressure categories as data, ordered from best to worst. A value belongs to the
 * worst row whose minimum it reaches; systolic and diastolic are graded separately and the worse wins.
 */
export const BP_CATEGORY_THRESHOLDS: readonly {
  readonly category: BpCategory;
  readonly minSystolic: number;
  readonly minDiastolic: number;
}[] = [
  { category: "Optimal", minSystolic: 0, minDiastolic: 0 },
  { category: "Normal", minSystolic: 120, minDiastolic: 80 },
  { category: "High-Normal", minSystolic: 130, minDiastolic: 85 },
  { category: "Hypertension 1", minSystolic: 140, minDiastolic: 90 },
  { category: "Hypertension 2", minSystolic: 160, minDiastolic: 100 },
];

/** All categories, best first. */
export const BP_CATEGORIES: readonly BpCategory[] = BP_CATEGORY_THRESHOLDS.map((row) => row.category);

/** 0 for Optimal up to 4 for Hypertension 2; use to compare categories ("Normal or better"). */
export function bpCategoryRank(category: BpCategory): number {
  return BP_CATEGORIES.indexOf(category);
}

function assertPressure(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive number of mmHg, got ${value}`);
  }
}

function rankOf(value: number, minimumOf: (row: (typeof BP_CATEGORY_THRESHOLDS)[number]) => number): number {
  return BP_CATEGORY_THRESHOLDS.findLastIndex((row) => value >= minimumOf(row));
}

/** Classifies a reading (or an average, decimals allowed) in mmHg; the higher category wins. */
export function classifyBp(systolic: number, diastolic: number): BpCategory {
  assertPressure("systolic", systolic);
  assertPressure("diastolic", diastolic);
  const rank = Math.max(
    rankOf(systolic, (row) => row.minSystolic),
    rankOf(diastolic, (row) => row.minDiastolic),
  );
  const row = BP_CATEGORY_THRESHOLDS[rank];
  if (row === undefined) throw new Error("BP_CATEGORY_THRESHOLDS must start at 0");
  return row.category;
}

/** A user's personal target band, inclusive on both ends (mmHg). */
export interface TargetBand {
  systolicMin: number;
  systolicMax: number;
  diastolicMin: number;
  diastolicMax: number;
}

/** Whether a reading lies inside the target band: both systolic and diastolic within their ranges. */
export function isInTargetBand(systolic: number, diastolic: number, band: TargetBand): boolean {
  return (
    systolic >= band.systolicMin &&
    systolic <= band.systolicMax &&
    diastolic >= band.diastolicMin &&
    diastolic <= band.diastolicMax
  );
}
