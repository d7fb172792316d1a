// dependency-cruiser rules run by `bun run cycles` (scripts/test): an import cycle anywhere in src/,
// type-only imports included, fails the suite. swc parses the TypeScript, because dependency-cruiser
// cannot use TypeScript 7.0's compiler (it says so in a warning on every run).
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "Modules that import each other, directly or through others, cannot be read or tested alone.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    parser: "swc",
    tsPreCompilationDeps: true,
  },
};
