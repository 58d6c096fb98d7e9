#!/usr/bin/env node
// Type-checks every fixture app against the real ORM and framework packages (they must compile).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const fixtures = path.resolve(import.meta.dirname, "..", "fixtures");
const tsc = path.join(fixtures, "node_modules", "typescript", "bin", "tsc");
let failed = 0;
for (const app of fs.readdirSync(fixtures).sort()) {
  if (!fs.existsSync(path.join(fixtures, app, "tsconfig.json"))) continue;
  const run = spawnSync(process.execPath, [tsc, "-p", path.join(fixtures, app)], { encoding: "utf8" });
  if (run.status === 0) console.log(`ok      ${app}`);
  else {
    failed++;
    console.log(`FAILED  ${app}\n${run.stdout}${run.stderr}`);
  }
}
process.exit(failed ? 1 : 0);
