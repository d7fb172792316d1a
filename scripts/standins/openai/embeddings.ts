// Deterministic, similarity-preserving text embeddings (feature hashing). Retrieval code (FAQ search,
// memories) needs vectors where shared words mean higher cosine, and tests need identical vectors for
// identical text; a real model offers neither offline.

export const DEFAULT_EMBEDDING_DIMENSIONS = 1536;

// Function words carry little topic signal; down-weighting them keeps "my ..." sentences from looking alike.
const STOPWORDS = new Set(
  (
    "a an the and or but if of to in on at by for with from as is are was were be been being do does did " +
    "i me my we our you your he she it its they them their this that these those what which who how when " +
    "where why can could should would will shall may might must have has had not no so than too very just " +
    "about into over after before there here up down out again also"
  ).split(" "),
);

const UNIGRAM_WEIGHT = 1;
const STOPWORD_WEIGHT = 0.15;
const BIGRAM_WEIGHT = 0.6;
// Trigrams are spread over a word's n-grams so long words do not outweigh short ones.
const TRIGRAM_WEIGHT_PER_WORD = 0.9;

// 32-bit FNV-1a over UTF-16 code units: fast, dependency-free and stable across runs and platforms.
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export function tokenizeWords(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function addFeature(vector: Float64Array, feature: string, weight: number): void {
  const bucket = fnv1a(feature) % vector.length;
  // An independent hash picks the sign so that collisions cancel out on average instead of piling up.
  const sign = (fnv1a(feature, 0x9747b28c) & 1) === 0 ? 1 : -1;
  vector[bucket] = (vector[bucket] ?? 0) + sign * weight;
}

export function embedText(text: string, dimensions = DEFAULT_EMBEDDING_DIMENSIONS): number[] {
  const vector = new Float64Array(dimensions);
  const words = tokenizeWords(text);
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? "";
    const stop = STOPWORDS.has(word);
    addFeature(vector, `w:${word}`, stop ? STOPWORD_WEIGHT : UNIGRAM_WEIGHT);
    const next = words[i + 1];
    if (next !== undefined) {
      const bothStop = stop && STOPWORDS.has(next);
      addFeature(vector, `b:${word} ${next}`, bothStop ? STOPWORD_WEIGHT * BIGRAM_WEIGHT : BIGRAM_WEIGHT);
    }
    if (!stop) {
      // Boundary markers let "charge" and "charging" share prefix trigrams but keep word edges distinct.
      const marked = `<${word}>`;
      const count = Math.max(1, marked.length - 2);
      const weight = TRIGRAM_WEIGHT_PER_WORD / Math.sqrt(count);
      for (let j = 0; j + 3 <= marked.length; j++) addFeature(vector, `t:${marked.slice(j, j + 3)}`, weight);
    }
  }
  if (words.length === 0) addFeature(vector, "empty:", 1);

  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  // Float32 rounding here makes the "float" and "base64" encodings carry exactly the same numbers.
  return Array.from(vector, (value) => Math.fround(norm === 0 ? 0 : value / norm));
}

export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

// The openai SDK asks for base64 by default and decodes it as little-endian Float32, so encode exactly that.
export function toBase64Float32(vector: readonly number[]): string {
  const bytes = new Uint8Array(vector.length * 4);
  const view = new DataView(bytes.buffer);
  vector.forEach((value, i) => {
    view.setFloat32(i * 4, value, true);
  });
  return Buffer.from(bytes).toString("base64");
}
