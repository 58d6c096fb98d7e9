// The TypeScript compiler, loaded with `require`. An ES module importing `typescript` directly has
// Node scan the 9 MB CommonJS file for named exports first, which takes longer than loading it;
// importing this CommonJS module instead (`import ts from "./typescript.cjs"`) costs nothing extra
// and gives the same namespace, types included. Every package of the project imports it from here.
import ts = require("typescript");
export = ts;
