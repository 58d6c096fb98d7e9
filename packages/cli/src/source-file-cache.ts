// The daemon's parsed-file cache (src/daemon-server.ts). A run in a process that stays alive need
// not parse again what the last runs parsed: the declaration files of the standard library, the
// ORMs and the frameworks, and every project file that did not change. ts-morph creates each source
// file through the compiler's `createLanguageServiceSourceFile`; the compiler the daemon's process
// loads is the real one with that function replaced by one that returns the cached file when its
// name, text and parse options are unchanged, as an editor's language service reuses files across
// programs. A file is bound (symbols, scopes) once, by the first program's checker, and binding
// reads the compiler options: files are cached per program options (`useSourceFileCacheFor`), so a
// program with other options gets files of its own.
import Module from "node:module";
import type * as TypeScript from "typescript";

interface CachedFile {
  readonly file: TypeScript.SourceFile;
  readonly parseKey: string;
  lastUsedRun: number;
}

export interface SourceFileCacheStats {
  readonly files: number;
  reused: number;
  parsed: number;
}

/** Files no program of the last this many runs read are dropped. */
const RUNS_KEPT = 8;

const cache = new Map<string, CachedFile>();
let run = 0;
/** The compiler options of the program being created; no file is cached outside `useSourceFileCacheFor`. */
let optionsKey: string | undefined;
let installed = false;
const stats = { reused: 0, parsed: 0 };

/**
 * Makes the process's `typescript` module (the compiler file `typescriptFile`) the real compiler
 * with a caching `createLanguageServiceSourceFile`. Must run before anything loads the compiler.
 */
export function installSourceFileCache(typescriptFile: string): void {
  const load = Module.createRequire(typescriptFile);
  const real = load(typescriptFile) as typeof TypeScript;
  const compiler = Object.create(null) as Record<string, unknown>;
  for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(real))) {
    if (name !== "createLanguageServiceSourceFile") Object.defineProperty(compiler, name, descriptor);
  }
  compiler.createLanguageServiceSourceFile = cachingCreate(real.createLanguageServiceSourceFile);
  const internals = Module as unknown as { _cache: Record<string, { exports: unknown } | undefined> };
  internals._cache[typescriptFile]!.exports = compiler;
  installed = true;
}

function cachingCreate(create: typeof TypeScript.createLanguageServiceSourceFile): typeof TypeScript.createLanguageServiceSourceFile {
  return function (fileName, scriptSnapshot, target, version, setParentNodes, scriptKind) {
    if (optionsKey === undefined) return create(fileName, scriptSnapshot, target, version, setParentNodes, scriptKind);
    // `target` may carry a function (the external-module indicator), which depends only on the options in the key.
    const parseKey = JSON.stringify([optionsKey, target, setParentNodes ?? false, scriptKind ?? null]);
    const text = scriptSnapshot.getText(0, scriptSnapshot.getLength());
    const cached = cache.get(fileName);
    if (cached && cached.parseKey === parseKey && cached.file.text === text) {
      cached.lastUsedRun = run;
      stats.reused++;
      // What the language service records of the file it hands out (as `updateLanguageServiceSourceFile` does).
      const file = cached.file as { version?: string; scriptSnapshot?: TypeScript.IScriptSnapshot };
      file.version = version;
      file.scriptSnapshot = scriptSnapshot;
      return cached.file;
    }
    stats.parsed++;
    const file = create(fileName, scriptSnapshot, target, version, setParentNodes, scriptKind);
    cache.set(fileName, { file, parseKey, lastUsedRun: run });
    return file;
  };
}

/**
 * Called before a program is created with `options`: the files it parses are cached for, and reused
 * by, programs with the same options. A no-op unless the cache is installed.
 */
export function useSourceFileCacheFor(options: TypeScript.CompilerOptions): void {
  if (installed) optionsKey = JSON.stringify(options);
}

/** Called once the program is created: files parsed later (by a codemod's edits) are not cached. */
export function sourceFileCacheDone(): void {
  optionsKey = undefined;
}

/** Starts a run's count, and drops the files no recent run read. */
export function startSourceFileCacheRun(): void {
  run++;
  optionsKey = undefined;
  stats.reused = 0;
  stats.parsed = 0;
  for (const [fileName, entry] of cache) if (run - entry.lastUsedRun > RUNS_KEPT) cache.delete(fileName);
}

/** The files the cache holds, and what the current run reused and parsed. */
export function sourceFileCacheStats(): SourceFileCacheStats {
  return { files: cache.size, ...stats };
}
