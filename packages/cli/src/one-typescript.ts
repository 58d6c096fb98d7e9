// ts-morph runs on the TypeScript compiler it bundles; the core, the codemods and the CLI load the
// `typescript` package (with `require`, through core/src/typescript.cts). Both are TypeScript 6.0,
// so the CLI's bin, before it loads anything else, has every `require("typescript")` in its
// process resolve to ts-morph's copy: the 9 MB compiler is then read and compiled once, and the
// core reads the nodes, types and checker of ts-morph's program with the same functions that made them.
import Module, { createRequire } from "node:module";

interface ResolveFilename {
  _resolveFilename(request: string, ...rest: unknown[]): string;
}

/** The file of the compiler ts-morph bundles. */
export function bundledTypeScriptFile(): string {
  const fromTsMorph = createRequire(createRequire(import.meta.url).resolve("ts-morph"));
  return fromTsMorph.resolve("@ts-morph/common/dist/typescript.js");
}

export function useBundledTypeScript(bundled = bundledTypeScriptFile()): void {
  const internals = Module as unknown as ResolveFilename;
  const resolve = internals._resolveFilename;
  internals._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]) {
    return request === "typescript" ? bundled : resolve.call(this, request, ...rest);
  };
}
