#!/usr/bin/env node
// Generates the Prisma client the runtime tests use, offline: tests/prisma/main.prisma plus the
// package's reference schema/tenant.prisma, as one multi-file schema, into tests/prisma/generated/.
// Skips the work when the generated client matches the current schema files.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const here = import.meta.dirname;
const outDir = path.join(here, "generated");
const schemaDir = path.join(outDir, "schema");
const sources = {
  "main.prisma": path.join(here, "main.prisma"),
  "tenant.prisma": path.join(here, "..", "..", "schema", "tenant.prisma"),
};

export function generateTestPrismaClient() {
  const upToDate =
    fs.existsSync(path.join(outDir, "client", "client.ts")) &&
    Object.entries(sources).every(([name, source]) => {
      const copy = path.join(schemaDir, name);
      return fs.existsSync(copy) && fs.readFileSync(copy, "utf8") === fs.readFileSync(source, "utf8");
    });
  if (upToDate) return false;
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(schemaDir, { recursive: true });
  for (const [name, source] of Object.entries(sources)) fs.copyFileSync(source, path.join(schemaDir, name));
  const prismaCli = createRequire(import.meta.url).resolve("prisma/build/index.js");
  execFileSync(process.execPath, [prismaCli, "generate", "--schema", schemaDir], {
    cwd: outDir,
    // No schema engine is needed to generate; /bin/true keeps Prisma from trying to download one.
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: "/bin/true", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return true;
}

if (process.argv[1] === import.meta.filename) {
  console.log(generateTestPrismaClient() ? "prisma test client generated" : "prisma test client up to date");
}
