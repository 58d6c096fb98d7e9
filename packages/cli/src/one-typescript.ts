// Module hooks, registered by `bin/tenant-lint.js` before the CLI loads. ts-morph runs on the
// TypeScript compiler it bundles; the core and the CLI import the `typescript` package. Both are
// TypeScript 6.0, so every `import ts from "typescript"` in the CLI's process is given ts-morph's
// copy, through a one-line module that `require`s it: the 9 MB compiler is then read and compiled
// once, and never scanned for named exports (the project imports only its default export).
// That is a large part of a short run (`check --changed-since` on one file).
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

interface HookContext {
  readonly format?: string;
}
interface ResolveResult {
  readonly url: string;
  readonly format?: string;
  readonly shortCircuit?: boolean;
}
interface LoadResult {
  readonly format: string;
  readonly source?: string;
  readonly shortCircuit?: boolean;
}

const fromTsMorph = createRequire(createRequire(import.meta.url).resolve("ts-morph"));
const bundledTypeScript = fromTsMorph.resolve("@ts-morph/common/dist/typescript.js");
const SHIM_URL = "tenant-lint:typescript";

export function resolve(specifier: string, context: HookContext, nextResolve: (specifier: string, context: HookContext) => ResolveResult | Promise<ResolveResult>) {
  if (specifier === "typescript") return { url: SHIM_URL, format: "module", shortCircuit: true };
  return nextResolve(specifier, context);
}

export function load(url: string, context: HookContext, nextLoad: (url: string, context: HookContext) => LoadResult | Promise<LoadResult>) {
  if (url !== SHIM_URL) return nextLoad(url, context);
  const source = `import { createRequire } from "node:module";\nexport default createRequire(${JSON.stringify(pathToFileURL(bundledTypeScript).href)})(${JSON.stringify(bundledTypeScript)});\n`;
  return { format: "module", source, shortCircuit: true };
}
