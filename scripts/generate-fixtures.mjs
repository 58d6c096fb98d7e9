#!/usr/bin/env node
// Generates the Prisma clients of the fixture apps, offline (no engine download is needed to generate).
// Every app with a prisma/schema.prisma by default (the migrate-* whole-app fixtures included), or
// only the apps named on the command line: `node scripts/generate-fixtures.mjs migrate-prisma-express`.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const fixtures = path.join(root, "fixtures");
const prismaCli = path.join(fixtures, "node_modules", "prisma", "build", "index.js");
const requested = process.argv.slice(2);
for (const app of requested) {
  if (!fs.existsSync(path.join(fixtures, app, "prisma", "schema.prisma"))) {
    console.error(`fixtures: ${app} has no prisma/schema.prisma`);
    process.exit(2);
  }
}
let generated = 0;
for (const app of requested.length ? requested : fs.readdirSync(fixtures)) {
  const schema = path.join(fixtures, app, "prisma", "schema.prisma");
  if (!fs.existsSync(schema)) continue;
  execFileSync(process.execPath, [prismaCli, "generate", "--schema", schema], {
    cwd: path.join(fixtures, app),
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: "/bin/true", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  generated++;
}
console.log(`fixtures: generated ${generated} Prisma client(s)`);
