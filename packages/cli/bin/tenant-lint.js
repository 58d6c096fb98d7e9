#!/usr/bin/env node
import { register } from "node:module";

// One TypeScript compiler for the whole process: see src/one-typescript.ts.
register("../dist/one-typescript.js", import.meta.url);
const { main } = await import("../dist/main.js");

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() });
