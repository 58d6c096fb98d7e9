#!/usr/bin/env node
// pnpm bench:accuracy — scores tenant-lint on every tenant-bench app in ../shared/eval/apps.
// Runs the benchmark's setup.sh once, then the CLI on each app, then the benchmark's own score.mjs.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const benchDir = path.resolve(process.env.TENANT_BENCH_DIR ?? path.join(root, "..", "shared", "eval"));
const cli = path.join(root, "packages", "cli", "bin", "tenant-lint.js");
const skipSetup = process.argv.includes("--skip-setup");

if (!fs.existsSync(path.join(benchDir, "score.mjs"))) {
  console.error(`bench:accuracy: no tenant-bench at ${benchDir} (set TENANT_BENCH_DIR)`);
  process.exit(2);
}
// setup.sh installs the apps' packages beside them. A benchmark on a read-only mount is copied
// (without its node_modules) to a working directory of its own, and set up and scored there.
const evalDir = isWritable(benchDir) ? benchDir : copyOfBenchmark(benchDir);
if (!fs.existsSync(path.join(root, "packages", "cli", "dist", "main.js"))) {
  execFileSync("pnpm", ["build"], { cwd: root, stdio: "inherit" });
}
if (!skipSetup) {
  const setup = spawnSync("bash", [path.join(evalDir, "setup.sh")], { cwd: evalDir, encoding: "utf8" });
  if (setup.status !== 0) {
    console.error(`bench:accuracy: setup.sh failed\n${setup.stdout}${setup.stderr}`);
    process.exit(2);
  }
}

const appsDir = path.join(evalDir, "apps");
const apps = fs.readdirSync(appsDir).filter((a) => fs.statSync(path.join(appsDir, a)).isDirectory()).sort();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-bench-"));
const totals = { tp: 0, fp: 0, fn: 0 };
const perRule = {};
for (const app of apps) {
  const appDir = path.join(appsDir, app);
  const findings = path.join(tmp, `${app}.json`);
  const run = spawnSync(process.execPath, [cli, "check", appDir, "--format", "json", "--output", findings], { encoding: "utf8" });
  if (run.status !== 0 && run.status !== 1) {
    console.error(`${app}: tenant-lint failed (exit ${run.status})\n${run.stderr}`);
    process.exitCode = 2;
    continue;
  }
  const score = JSON.parse(execFileSync(process.execPath, [path.join(evalDir, "score.mjs"), appDir, findings, "--json"], { cwd: evalDir, encoding: "utf8" }));
  console.log(`${app}: expected ${score.tp + score.fn}, found ${score.tp}, missed ${score.fn}, false positives ${score.fp}  (precision ${pct(score.precision)}, recall ${pct(score.recall)})`);
  for (const m of score.misses) console.log(`  missed   ${m.rule} at ${m.file}:${m.line}`);
  for (const f of score.falsePositives) console.log(`  spurious ${f.rule} at ${f.file}:${f.line}`);
  totals.tp += score.tp;
  totals.fp += score.fp;
  totals.fn += score.fn;
  for (const [rule, c] of Object.entries(score.perRule)) {
    const r = (perRule[rule] ??= { tp: 0, fp: 0, fn: 0 });
    r.tp += c.tp;
    r.fp += c.fp;
    r.fn += c.fn;
  }
}
console.log("\nper rule (all apps):");
for (const [rule, c] of Object.entries(perRule).sort()) console.log(`  ${rule.padEnd(28)} tp ${String(c.tp).padStart(3)}  fp ${String(c.fp).padStart(3)}  fn ${String(c.fn).padStart(3)}`);
const precision = totals.tp + totals.fp ? totals.tp / (totals.tp + totals.fp) : 1;
const recall = totals.tp + totals.fn ? totals.tp / (totals.tp + totals.fn) : 1;
console.log(`overall (${apps.length} apps): tp ${totals.tp}  fp ${totals.fp}  fn ${totals.fn}  precision ${pct(precision)}  recall ${pct(recall)}`);
fs.rmSync(tmp, { recursive: true, force: true });

function pct(x) {
  return `${(x * 100).toFixed(1)}%`;
}

function isWritable(dir) {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** A writable copy of the benchmark, kept between runs so its installed packages are too; refreshed from the original each run. */
function copyOfBenchmark(dir) {
  const copy = path.join(os.tmpdir(), `tenant-bench-work-${Buffer.from(dir).toString("hex").slice(-16)}`);
  fs.mkdirSync(copy, { recursive: true });
  for (const entry of fs.readdirSync(dir)) {
    if (entry === "node_modules") continue;
    fs.rmSync(path.join(copy, entry), { recursive: true, force: true });
    fs.cpSync(path.join(dir, entry), path.join(copy, entry), { recursive: true, filter: (source) => !source.split(path.sep).includes("node_modules") });
  }
  // The copies keep the original's read-only modes; setup.sh writes into them (the Prisma client).
  spawnSync("chmod", ["-R", "u+w", copy]);
  console.log(`bench:accuracy: ${dir} is read-only; set up and scored in ${copy}`);
  return copy;
}
