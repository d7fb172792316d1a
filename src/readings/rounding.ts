// The one rounding rule of every figure the readings tools return, so the same value is always shown
// the same way and figures derived from other figures agree with them.
//
// - Blood pressure (mmHg) and heart rate (bpm): whole numbers.
// - Percentages and hours: 1 decimal.
// - Steps: whole numbers.
// - Ties round half away from zero (122.5 → 123, -2.5 → -3). MongoDB's `$round` rounds half to even,
//   so rounding always happens here, on the unrounded averages the pipelines return.
// - A figure derived from other figures of the same result (a delta, a change, an average of rounded
//   daily values shown in the same result) is computed from the rounded figures, so "133 vs 125, 8 higher"
//   always adds up for the reader.

/**
 * Averages of the readings have a resolution far coarser than this; it only absorbs binary
 * floating-point error such as (5 + 5.1 + 8.7 + 5) / 4 = 5.949999999999999 for a true 5.95.
 */
const TIE_TOLERANCE = 1e-9;

/** Rounds to `digits` decimals, ties away from zero. */
export function roundHalfAwayFromZero(value: number, digits = 0): number {
  if (!Number.isFinite(value)) throw new RangeError(`cannot round ${value}`);
  const factor = 10 ** digits;
  const magnitude = Math.floor(Math.abs(value) * factor + 0.5 + TIE_TOLERANCE) / factor;
  // `|| 0` turns -0 into 0 so JSON never shows "-0".
  return Math.sign(value) * magnitude || 0;
}

/** mmHg: whole numbers. */
export const roundMmHg = (value: number): number => roundHalfAwayFromZero(value, 0);
/** bpm: whole numbers. */
export const roundBpm = (value: number): number => roundHalfAwayFromZero(value, 0);
/** Percent: 1 decimal. */
export const roundPercent = (value: number): number => roundHalfAwayFromZero(value, 1);
/** Hours: 1 decimal. */
export const roundHours = (value: number): number => roundHalfAwayFromZero(value, 1);
/** Steps: whole numbers. */
export const roundSteps = (value: number): number => roundHalfAwayFromZero(value, 0);

/** Percentage of `part` in `whole` (1 decimal); null when `whole` is 0, never a made-up 0 %. */
export function percentOf(part: number, whole: number): number | null {
  return whole === 0 ? null : roundPercent((100 * part) / whole);
}
