#!/usr/bin/env node
import { installCompileCache } from "../dist/compile-cache.js";
import { useBundledTypeScript } from "../dist/one-typescript.js";

// Before anything else is loaded: the TypeScript compiler and ts-morph are compiled from a V8 code
// cache (src/compile-cache.ts), and the whole process uses one TypeScript (src/one-typescript.ts).
installCompileCache((filename) => /[\\/](typescript|ts-morph|ts-morph-common)\.js$/.test(filename));
useBundledTypeScript();
const { main } = await import("../dist/main.js");

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() });
