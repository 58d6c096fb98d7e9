#!/usr/bin/env node
// Prints one line, `N passed, N failed`, counted from vitest's JSON report, for CI's record.
import fs from "node:fs";

const file = process.argv[2] ?? ".vitest-results.json";
if (!fs.existsSync(file)) {
  console.log("0 passed, 1 failed");
  console.error(`count-tests: no vitest JSON report at ${file} (the test run did not finish)`);
  process.exit(1);
}
const report = JSON.parse(fs.readFileSync(file, "utf8"));
const failed = report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0) + (report.numFailedTestSuites && !report.numFailedTests ? report.numFailedTestSuites : 0);
console.log(`${report.numPassedTests} passed, ${failed} failed`);
