import fs from "node:fs";
import path from "node:path";
import { runMigrate, type MigrateOptions } from "../src/index.js";

export const repoRoot = path.resolve(import.meta.dirname, "../../..");
export const casesDir = path.join(import.meta.dirname, "fixtures");
const created: string[] = [];
let counter = 0;

export function readCase(codemod: string, name: string, file: "input.ts" | "output.ts"): string {
  return fs.readFileSync(path.join(casesDir, codemod, name, file), "utf8");
}

/** What a copy of a fixture app leaves out, besides dot-entries (`.tmp` and other scratch copies): snapshots, installed packages. */
const NOT_COPIED = new Set(["after", "node_modules"]);

/**
 * A throwaway copy of `fixtures/<app>` (the given top-level entries, or all of them but dot-entries,
 * `after` and `node_modules`). It lives in `fixtures/<app>/.tmp/<pid>-<n>` so that imports
 * resolve against `fixtures/node_modules`, and is not a fixture app of its own (no other suite
 * scans that depth). Removed by `cleanup()`.
 */
export function copyFixtureApp(app: string, entries?: readonly string[]): string {
  return copyDirectory(path.join(repoRoot, "fixtures", app), entries);
}

/** A throwaway copy of a directory inside a fixture app (e.g. an earlier copy), next to the other copies. */
export function copyDirectory(source: string, entries?: readonly string[]): string {
  const base = appDirOf(source);
  const dir = path.join(base, ".tmp", `${process.pid}-${++counter}`);
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of entries ?? fs.readdirSync(source).filter((name) => !name.startsWith(".") && !NOT_COPIED.has(name))) {
    fs.cpSync(path.join(source, entry), path.join(dir, entry), { recursive: true });
  }
  created.push(dir);
  return dir;
}

/** `fixtures/<app>` for a directory in it or in one of its copies. */
function appDirOf(dir: string): string {
  const relative = path.relative(path.join(repoRoot, "fixtures"), dir).split(path.sep);
  if (relative[0] === ".." || !relative[0]) throw new Error(`${dir} is not inside a fixture app`);
  return path.join(repoRoot, "fixtures", relative[0]);
}

/**
 * A throwaway copy of `fixtures/codemod-<orm>` with the given files added to `src/` (see
 * `copyFixtureApp`).
 */
export function tempProject(orm: string, files: Record<string, string>): string {
  const dir = copyFixtureApp(`codemod-${orm}`, ["tsconfig.json", "tenant-lint.config.json", "package.json", "src"]);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, "src", name), text);
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
