#!/usr/bin/env node
// Generates the Prisma clients of every fixture app, offline (no engine download is needed to generate).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const fixtures = path.join(root, "fixtures");
const prismaCli = path.join(fixtures, "node_modules", "prisma", "build", "index.js");
let generated = 0;
for (const app of fs.readdirSync(fixtures)) {
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
