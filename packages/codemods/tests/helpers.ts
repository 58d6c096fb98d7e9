import fs from "node:fs";
import path from "node:path";
import { runMigrate, type MigrateOptions } from "../src/index.js";

const repoRoot = path.resolve(import.meta.dirname, "../../..");
export const casesDir = path.join(import.meta.dirname, "fixtures");
const created: string[] = [];
let counter = 0;

export function readCase(codemod: string, name: string, file: "input.ts" | "output.ts"): string {
  return fs.readFileSync(path.join(casesDir, codemod, name, file), "utf8");
}

/**
 * A throwaway copy of `fixtures/codemod-<orm>` with the given files added to `src/`. It lives in
 * `fixtures/codemod-<orm>/.tmp/` so that imports resolve against `fixtures/node_modules`, and is
 * not a fixture app of its own (no other suite scans that depth).
 */
export function tempProject(orm: string, files: Record<string, string>): string {
  const base = path.join(repoRoot, "fixtures", `codemod-${orm}`);
  const dir = path.join(base, ".tmp", `${process.pid}-${++counter}`);
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of ["tsconfig.json", "tenant-lint.config.json", "package.json", "src"]) {
    fs.cpSync(path.join(base, entry), path.join(dir, entry), { recursive: true });
  }
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, "src", name), text);
  created.push(dir);
  return dir;
}

export function cleanup(): void {
  for (const dir of created.splice(0)) {
    fs.rmSync(dir, { recursive: true, force: true });
    const parent = path.dirname(dir); // `.tmp`, removed once no other test file uses it
    if (fs.existsSync(parent) && fs.readdirSync(parent).length === 0) fs.rmSync(parent, { recursive: true, force: true });
  }
}

export async function migrate(options: Omit<MigrateOptions, "codemod"> & { codemod?: string }) {
  let stdout = "";
  let stderr = "";
  const code = await runMigrate(
    { codemod: "scope-queries", ...options },
    { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } },
  );
  return { code, stdout, stderr };
}
