// The script `node --build-snapshot` runs to make the CLI's V8 startup snapshot (see
// ../startup-snapshot.ts). It loads the TypeScript compiler, parses and binds the declaration files
// the last run's program read (the standard library, @types/node, the ORMs' types), and leaves them
// in the heap V8 serialises. A run started from the snapshot begins with all of that done.
//
// A snapshot script may load only Node's built-in modules, so the compiler is evaluated here from
// its file. The compiler object the snapshot hands out is the compiler with one function replaced:
// `createLanguageServiceSourceFile`, through which ts-morph creates every source file, returns the
// prepared file when its name, text and parse options are those it was prepared with.
import fs = require("node:fs");
import path = require("node:path");
import v8 = require("node:v8");
import type * as TypeScript from "typescript";
import type { SnapshotInput, SnapshotState } from "../startup-snapshot.js";

const STATE_KEY = Symbol.for("tenant-lint.startup-snapshot");

const input = JSON.parse(fs.readFileSync(process.env.TENANT_LINT_SNAPSHOT_INPUT!, "utf8")) as SnapshotInput;
const ts = loadCommonJs(input.typescript) as typeof TypeScript;
const prepared = new Map<string, TypeScript.SourceFile>();
for (const file of input.files) {
  const sourceFile = ts.createSourceFile(file.fileName, file.text, file.languageVersion, true, file.scriptKind);
  (ts as unknown as { bindSourceFile(file: TypeScript.SourceFile, options: TypeScript.CompilerOptions): void }).bindSourceFile(sourceFile, input.bindOptions);
  prepared.set(file.fileName, sourceFile);
}

const state: SnapshotState = {
  bindTarget: input.bindOptions.target,
  enabled: true,
  hits: 0,
  misses: 0,
  fileCount: prepared.size,
};
const compiler = withPreparedSourceFiles(ts, prepared, state);

v8.startupSnapshot.setDeserializeMainFunction(() => {
  // Tells the binary that started this process that the snapshot loaded (../startup-snapshot.ts).
  const startedFd = Number(process.env.TENANT_LINT_SNAPSHOT_STARTED_FD);
  if (startedFd > 2) {
    delete process.env.TENANT_LINT_SNAPSHOT_STARTED_FD;
    try {
      fs.writeSync(startedFd, "started");
      fs.closeSync(startedFd);
    } catch {
      // The binary then takes the snapshot for broken and runs the command itself: no worse than without one.
    }
  }
  if (process.env.TENANT_LINT_SNAPSHOT_SELF_TEST) {
    process.stdout.write(`${state.fileCount}\n`);
    return;
  }
  // The compiler is this process's `typescript` module: whoever requires its file gets it. (The
  // module system is required only now: a snapshot's script should not keep its state.)
  const Module = require("node:module") as typeof import("node:module");
  const internals = Module as unknown as { _cache: Record<string, unknown>; _nodeModulePaths(dir: string): string[] };
  const compilerModule = new Module(input.typescript);
  compilerModule.filename = input.typescript;
  compilerModule.paths = internals._nodeModulePaths(path.dirname(input.typescript));
  compilerModule.exports = compiler;
  compilerModule.loaded = true;
  internals._cache[input.typescript] = compilerModule;
  (globalThis as Record<symbol, unknown>)[STATE_KEY] = state;
  // The CLI is ES modules, which the snapshot's own script cannot import: a CommonJS module loaded
  // now, from the disk, can.
  Module.createRequire(__filename)("./launch.cjs");
});

/** The compiler whose `createLanguageServiceSourceFile` hands out each prepared file once. */
function withPreparedSourceFiles(original: typeof TypeScript, files: Map<string, TypeScript.SourceFile>, stats: SnapshotState): typeof TypeScript {
  const compiler = Object.create(null) as Record<string, unknown>;
  for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(original))) {
    if (name !== "createLanguageServiceSourceFile") Object.defineProperty(compiler, name, descriptor);
  }
  const create = original.createLanguageServiceSourceFile;
  compiler.createLanguageServiceSourceFile = function (
    fileName: string,
    scriptSnapshot: TypeScript.IScriptSnapshot,
    target: TypeScript.ScriptTarget | TypeScript.CreateSourceFileOptions,
    version: string,
    setParentNodes?: boolean,
    scriptKind?: TypeScript.ScriptKind,
  ): TypeScript.SourceFile {
    const file = files.get(fileName);
    if (
      file &&
      stats.enabled &&
      setParentNodes === true &&
      file.languageVersion === target &&
      (scriptKind === undefined || scriptKind === (file as unknown as { scriptKind: TypeScript.ScriptKind }).scriptKind) &&
      scriptSnapshot.getText(0, scriptSnapshot.getLength()) === file.text
    ) {
      // Handed out once: a second program in the process may bind differently.
      files.delete(fileName);
      stats.hits++;
      (file as { version?: string }).version = version;
      (file as { scriptSnapshot?: TypeScript.IScriptSnapshot }).scriptSnapshot = scriptSnapshot;
      return file;
    }
    if (file || fileName.endsWith(".d.ts") || fileName.endsWith(".d.mts") || fileName.endsWith(".d.cts")) stats.misses++;
    return create(fileName, scriptSnapshot, target, version, setParentNodes ?? false, scriptKind);
  };
  return compiler as unknown as typeof TypeScript;
}

/** Evaluates a CommonJS file that needs only Node's built-in modules (the compiler is one). */
function loadCommonJs(filename: string): unknown {
  const module = { exports: {} as unknown };
  const body = `${fs.readFileSync(filename, "utf8")}\n//# sourceURL=${filename}`;
  const run = new Function("exports", "require", "module", "__filename", "__dirname", body) as (...args: unknown[]) => void;
  run(module.exports, require, module, filename, path.dirname(filename));
  return module.exports;
}
