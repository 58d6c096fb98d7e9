// A V8 code cache for the large CommonJS files every run compiles: the TypeScript compiler (9 MB)
// and ts-morph. Compiling them, and then compiling lazily each function the run calls, is a fixed
// cost of every run, most visible in short ones (`check --changed-since` on one file). Node 22 has
// `module.enableCompileCache()`; Node 20 does not, so the CLI's bin installs this before it loads
// anything else. The cache is written once, at the end of the first run, and so holds the
// functions that run compiled; V8 rejects it if the source or V8's flags differ, and the file is
// then compiled as usual and the cache written again. Any failure to read or write it is ignored:
// the cache only saves time.
import fs from "node:fs";
import Module from "node:module";
import os from "node:os";
import path from "node:path";
import vm from "node:vm";

interface CommonJsModule {
  exports: unknown;
  require(id: string): unknown;
  _compile(content: string, filename: string): unknown;
}

interface ModuleInternals {
  prototype: CommonJsModule;
  wrap(content: string): string;
  _resolveFilename(request: string, parent: CommonJsModule, isMain: boolean, options?: { paths?: string[] }): string;
  _cache: Record<string, unknown>;
  _extensions: Record<string, unknown>;
}

/** The files the CLI's processes compile with the cache: the compiler and ts-morph. */
export function isCompilerFile(filename: string): boolean {
  return /[\\/](typescript|ts-morph|ts-morph-common)\.js$/.test(filename);
}

/**
 * The Node binary and options, and the identity (path, size, time) of `files`: what a cache made by
 * one process (a startup snapshot, a daemon) must match to serve another.
 */
export function runtimeIdentity(files: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  const identity = (file: string) => {
    const stat = fs.statSync(file);
    return `${file}:${stat.size}:${stat.mtimeMs}`;
  };
  return [process.execPath, process.version, process.arch, env.NODE_OPTIONS ?? "", ...files.map(identity)].join("|");
}

/** The directory the cache lives in: per user, under the XDG cache directory. */
export function defaultCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(base, "tenant-lint", "v8");
}

/**
 * Compiles the CommonJS files `cached` selects with a V8 code cache kept in `cacheDir`. Returns
 * false, and changes nothing, when `TENANT_LINT_NO_COMPILE_CACHE` is set.
 */
export function installCompileCache(cached: (filename: string) => boolean, cacheDir = defaultCacheDir()): boolean {
  if (process.env.TENANT_LINT_NO_COMPILE_CACHE) return false;
  const internals = Module as unknown as ModuleInternals;
  const compile = internals.prototype._compile;
  const unwritten: { script: vm.Script; cacheFile: string }[] = [];
  internals.prototype._compile = function (this: CommonJsModule, content: string, filename: string) {
    if (!cached(filename)) return compile.call(this, content, filename);
    const cacheFile = path.join(cacheDir, cacheKey(filename, content));
    const cachedData = readCache(cacheFile);
    const script = new vm.Script(internals.wrap(content), { filename, cachedData });
    if (!cachedData || script.cachedDataRejected) unwritten.push({ script, cacheFile });
    const run = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return run.call(this.exports, this.exports, requireFor(this, internals), this, filename, path.dirname(filename));
  };
  process.once("exit", () => {
    for (const { script, cacheFile } of unwritten) writeCache(cacheFile, script.createCachedData());
  });
  return true;
}

/** The file's identity and Node's version: a new TypeScript or Node gets a new cache file. */
function cacheKey(filename: string, content: string): string {
  const name = path.basename(filename).replace(/[^\w.-]/g, "_");
  return `${name}-${process.version}-${process.arch}-${content.length}-${fnv1a(filename)}.cache`;
}

export function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16);
}

function readCache(cacheFile: string): Buffer | undefined {
  try {
    return fs.readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

/** Writes a cache file aside and renames it into place, ignoring any failure. */
export function writeCache(cacheFile: string, data: Buffer | string): void {
  try {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true, mode: 0o700 });
    // Written aside and renamed, so a concurrent run never reads half a file.
    const partial = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(partial, data, { mode: 0o600 });
    fs.renameSync(partial, cacheFile);
  } catch {
    // A read-only home or a full disk: the next run compiles as usual.
  }
}

/** The `require` a CommonJS module's code is given, as Node builds it for a module. */
function requireFor(module: CommonJsModule, internals: ModuleInternals): NodeJS.Require {
  const require = ((id: string) => module.require(id)) as NodeJS.Require;
  require.resolve = ((request: string, options?: { paths?: string[] }) => internals._resolveFilename(request, module, false, options)) as NodeJS.RequireResolve;
  require.cache = internals._cache as NodeJS.Require["cache"];
  require.extensions = internals._extensions as NodeJS.Require["extensions"];
  require.main = process.mainModule;
  return require;
}
