// The script `node --build-snapshot` runs to make the startup snapshot (src/startup-snapshot.ts).
// A snapshot's script may load only Node's built-in modules and is given no `exports` or `module`,
// so this evaluates the compiled builder (dist/startup-snapshot/builder.cjs) as a CommonJS module.
const fs = require("node:fs");
const path = require("node:path");

const builder = path.join(__dirname, "..", "dist", "startup-snapshot", "builder.cjs");
const builderModule = { exports: {} };
const body = `${fs.readFileSync(builder, "utf8")}\n//# sourceURL=${builder}`;
new Function("exports", "require", "module", "__filename", "__dirname", body)(builderModule.exports, require, builderModule, builder, path.dirname(builder));
