#!/usr/bin/env node
import { fileURLToPath } from "node:url";
import { installCompileCache, isCompilerFile } from "../dist/compile-cache.js";
import { runInDaemon } from "../dist/daemon.js";
import { bundledTypeScriptFile, useBundledTypeScript } from "../dist/one-typescript.js";
import { describeStartupSnapshot, recordProgramsForStartupSnapshot, refreshStartupSnapshot, runFromStartupSnapshot } from "../dist/startup-snapshot.js";

const args = process.argv.slice(2);
const typescriptFile = bundledTypeScriptFile();
// A developer's repeated `check` is served by the daemon (src/daemon.ts), which keeps the compiler
// and the parsed files between runs. Otherwise a run starts from the startup snapshot when there
// is one (src/startup-snapshot.ts): the compiler loaded and the program's declaration files parsed and bound.
const exitCode = (await runInDaemon(args, typescriptFile)) ?? runFromStartupSnapshot(fileURLToPath(import.meta.url), args, typescriptFile);
if (exitCode !== undefined) {
  process.exitCode = exitCode;
} else {
  // Before anything else is loaded: ts-morph (and the compiler, outside a snapshot) are compiled
  // from a V8 code cache (src/compile-cache.ts), and the whole process uses one TypeScript
  // (src/one-typescript.ts).
  installCompileCache(isCompilerFile);
  useBundledTypeScript(typescriptFile);
  recordProgramsForStartupSnapshot();
  const { main } = await import("../dist/main.js");
  process.exitCode = await main(args, { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() });
  if (process.env.TENANT_LINT_DEBUG) process.stderr.write(`${describeStartupSnapshot()}\n`);
  refreshStartupSnapshot(args, typescriptFile);
}
