#!/usr/bin/env node
// pnpm bench:codemods — how fast the codemods are on the bench:perf monorepo.
//
// Generates the same 2,000+ file monorepo as `pnpm bench:perf` (via its --only-generate), then
// times, each in a fresh process and side by side in one run: `tsc --noEmit`, and a dry run of
// every codemod (`tenant-lint migrate <codemod> <dir> --report FILE`: the whole analysis, the
// edits and the in-memory type check of the result; nothing is written). Prints wall time,
// files per second (target >= 250 including the check), the ratio to tsc, and the call sites each
// codemod changed and skipped, grouped by reason.
//
// Options: --modules N (modules per service, default 64), --keep (leave the generated repo).
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at === -1 ? fallback : args[at + 1];
};
const modules = option("--modules", "64");
const keep = args.includes("--keep");
const CODEMODS = ["scope-queries", "scoped-repository", "module-state"];
const TARGET_FILES_PER_SECOND = 250;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-lint-bench-codemods-"));
execFileSync(process.execPath, [path.join(root, "scripts/bench-perf.mjs"), "--modules", modules, "--only-generate", dir], { stdio: "inherit" });
const fileCount = countTsFiles(path.join(dir, "packages"));
console.log(`\n${fileCount} TypeScript files in ${dir}\n`);

const tsc = time("tsc --noEmit", [path.join(root, "node_modules/typescript/bin/tsc"), "--noEmit", "-p", dir]);
const rows = [];
for (const codemod of CODEMODS) {
  const report = path.join(dir, `${codemod}.report.json`);
  const run = time(`migrate ${codemod} (dry run)`, [path.join(root, "packages/cli/bin/tenant-lint.js"), "migrate", codemod, dir, "--report", report], [0, 1]);
  rows.push({ codemod, run, report: JSON.parse(fs.readFileSync(report, "utf8")) });
}

console.log("");
console.log(`${"command".padEnd(40)} ${"wall".padStart(8)} ${"files/s".padStart(9)} ${"vs tsc".padStart(7)}`);
console.log(`${"tsc --noEmit".padEnd(40)} ${seconds(tsc.wall)} ${rate(tsc.wall)} ${"1.00x".padStart(7)}`);
for (const { codemod, run } of rows) {
  console.log(`${`tenant-lint migrate ${codemod}`.padEnd(40)} ${seconds(run.wall)} ${rate(run.wall)} ${`${(run.wall / tsc.wall).toFixed(2)}x`.padStart(7)}`);
}
console.log("");
for (const { codemod, run, report } of rows) {
  const filesPerSecond = fileCount / run.wall;
  const verdict = filesPerSecond >= TARGET_FILES_PER_SECOND ? "met" : "MISSED";
  const changed = report.sites.filter((s) => s.status === "changed").length;
  const skipped = report.sites.filter((s) => s.status === "skipped");
  console.log(`${codemod}: ${filesPerSecond.toFixed(0)} files/s (target >= ${TARGET_FILES_PER_SECOND}) ${verdict}; ${changed} site(s) changed, ${skipped.length} skipped, ${report.typeErrors.length} type error(s)`);
  const byReason = new Map();
  for (const site of skipped) byReason.set(site.reason, (byReason.get(site.reason) ?? 0) + 1);
  for (const [reason, count] of [...byReason].sort((a, b) => b[1] - a[1])) console.log(`  ${String(count).padStart(4)}  ${reason}`);
}

if (!keep) fs.rmSync(dir, { recursive: true, force: true });

function time(label, argv, okCodes = [0]) {
  process.stderr.write(`running ${label} ...\n`);
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, argv, { encoding: "utf8", maxBuffer: 1 << 28 });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (!okCodes.includes(result.status)) {
    process.stderr.write(result.stdout.slice(-2000) + result.stderr.slice(-2000));
    throw new Error(`${label} exited with ${result.status}`);
  }
  return { wall };
}

function seconds(wall) {
  return `${wall.toFixed(2)} s`.padStart(8);
}

function rate(wall) {
  return `${(fileCount / wall).toFixed(0)}`.padStart(9);
}

function countTsFiles(directory) {
  let count = 0;
  for (const entry of fs.readdirSync(directory, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith(".ts")) count++;
  }
  return count;
}
