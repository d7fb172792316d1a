// Cosine scoring over a packed matrix of unit vectors: the in-process "vector index" of user memory.
// Pure functions, no I/O. Rows are normalised once when a pool is built, so a score is a dot product.

/** `count` unit vectors of `dimensions` floats, row i at [i * dimensions, (i + 1) * dimensions). */
export interface VectorMatrix {
  readonly dimensions: number;
  readonly count: number;
  readonly values: Float32Array;
}

export interface ScoredRow {
  /** Row index in the matrix. */
  readonly row: number;
  /** Cosine similarity with the query, unrounded. */
  readonly score: number;
}

/** A unit-length copy; a zero vector stays zero (it then scores 0 against everything). */
export function normalised(vector: ArrayLike<number>): Float32Array {
  let sumOfSquares = 0;
  for (let i = 0; i < vector.length; i++) {
    const value = vector[i] ?? 0;
    sumOfSquares += value * value;
  }
  const out = new Float32Array(vector.length);
  if (sumOfSquares === 0) return out;
  const scale = 1 / Math.sqrt(sumOfSquares);
  for (let i = 0; i < vector.length; i++) out[i] = (vector[i] ?? 0) * scale;
  return out;
}

/** Packs vectors of equal length into one matrix, normalising each row. */
export function packRows(vectors: readonly ArrayLike<number>[], dimensions: number): VectorMatrix {
  const values = new Float32Array(vectors.length * dimensions);
  vectors.forEach((vector, row) => {
    if (vector.length !== dimensions) {
      throw new RangeError(`row ${row} has ${vector.length} dimensions, expected ${dimensions}`);
    }
    values.set(normalised(vector), row * dimensions);
  });
  return { dimensions, count: vectors.length, values };
}

/**
 * The `limit` rows most similar to `query` (a unit vector) with a score of at least `minScore`, best
 * first. Equal scores keep the lower row first, so a pool ordered newest first prefers the newer fact.
 */
export function topMatches(
  matrix: VectorMatrix,
  query: Float32Array,
  limit: number,
  minScore: number,
): ScoredRow[] {
  const { dimensions, count, values } = matrix;
  if (query.length !== dimensions) {
    throw new RangeError(`query has ${query.length} dimensions, expected ${dimensions}`);
  }
  const best: ScoredRow[] = [];
  if (limit <= 0) return best;
  // Four partial sums let the engine keep several multiply-adds in flight; the tail handles any size.
  // Every index below is in bounds by construction, hence `as number` instead of a per-float branch.
  const unrolled = dimensions - (dimensions % 4);
  for (let row = 0; row < count; row++) {
    const base = row * dimensions;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let i = 0;
    for (; i < unrolled; i += 4) {
      s0 += (values[base + i] as number) * (query[i] as number);
      s1 += (values[base + i + 1] as number) * (query[i + 1] as number);
      s2 += (values[base + i + 2] as number) * (query[i + 2] as number);
      s3 += (values[base + i + 3] as number) * (query[i + 3] as number);
    }
    for (; i < dimensions; i++) s0 += (values[base + i] as number) * (query[i] as number);
    const score = s0 + s1 + s2 + s3;
    if (score < minScore) continue;
    if (best.length === limit && score <= (best[limit - 1] as ScoredRow).score) continue;
    // Insertion into a list of at most `limit` entries: cheaper than sorting every score.
    let at = best.length;
    while (at > 0 && (best[at - 1] as ScoredRow).score < score) at--;
    best.splice(at, 0, { row, score });
    if (best.length > limit) best.pop();
  }
  return best;
}
