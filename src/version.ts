// The build's version, baked in at compile time from package.json.
import pkg from "../package.json" with { type: "json" };

export const VERSION: string = pkg.version;
