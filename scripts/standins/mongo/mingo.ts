// The one place the stand-in loads mingo at run time, from its ES module build. mingo's package
// "exports" send every runtime that matches the "node" condition (Bun always does) to its CommonJS
// build, where esbuild's re-export getters put two or three property getters in front of every call
// between mingo's own modules: single operators ran up to five times slower there, the health tools'
// pipelines about twice as slow, than on the ES build, which is the same source and version. Types
// still come from the package's declarations ("mingo/..." type imports).
import type * as AggregatorModule from "mingo/aggregator";
import type * as CoreModule from "mingo/core";
import type * as LazyModule from "mingo/lazy";
import type * as AccumulatorModule from "mingo/operators/accumulator";
import type * as ExpressionModule from "mingo/operators/expression";
import type * as PipelineModule from "mingo/operators/pipeline";
import type * as ProjectionModule from "mingo/operators/projection";
import type * as QueryOperatorModule from "mingo/operators/query";
import type * as WindowModule from "mingo/operators/window";
import type * as QueryModule from "mingo/query";
import type * as UpdaterModule from "mingo/updater";
import type * as UtilModule from "mingo/util";

const MINGO_ROOT = new URL("./", import.meta.resolve("mingo/package.json"));

async function loadEsm<T>(path: string): Promise<T> {
  return (await import(new URL(`esm/${path}`, MINGO_ROOT).href)) as T;
}

export const { Aggregator } = await loadEsm<typeof AggregatorModule>("aggregator.js");
export const { Context, evalExpr, ProcessingMode } = await loadEsm<typeof CoreModule>("core/index.js");
export const { Lazy } = await loadEsm<typeof LazyModule>("lazy.js");
export const { Query } = await loadEsm<typeof QueryModule>("query.js");
export const { update } = await loadEsm<typeof UpdaterModule>("updater.js");
export const { compare, resolve, setValue } = await loadEsm<typeof UtilModule>("util/index.js");
export const accumulatorOperators = await loadEsm<typeof AccumulatorModule>("operators/accumulator/index.js");
export const expressionOperators = await loadEsm<typeof ExpressionModule>("operators/expression/index.js");
export const pipelineOperators = await loadEsm<typeof PipelineModule>("operators/pipeline/index.js");
export const projectionOperators = await loadEsm<typeof ProjectionModule>("operators/projection/index.js");
export const queryOperators = await loadEsm<typeof QueryOperatorModule>("operators/query/index.js");
export const windowOperators = await loadEsm<typeof WindowModule>("operators/window/index.js");
