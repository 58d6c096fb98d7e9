import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll } from "vitest";
import { main } from "../src/main.js";

export const repoRoot = path.resolve(import.meta.dirname, "../../..");
export const projectsDir = path.join(import.meta.dirname, "projects");
export const fixturesNodeModules = path.join(repoRoot, "fixtures", "node_modules");

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in process, the way the bin does, and captures what it prints. */
export async function run(argv: readonly string[], options: { cwd?: string; isTTY?: boolean; env?: Record<string, string | undefined> } = {}): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text), isTTY: options.isTTY ?? false },
    stderr: { write: (text: string) => (stderr += text), isTTY: options.isTTY ?? false },
    cwd: options.cwd ?? repoRoot,
    env: options.env ?? {},
  });
  return { code, stdout, stderr };
}

/** Replaces this machine's paths with placeholders, so snapshots are the same everywhere. */
export function sanitize(text: string, ...roots: string[]): string {
  let out = text;
  for (const root of [...roots, repoRoot]) {
    out = out.split(pathToFileURL(root).href).join("file:///<root>").split(root).join("<root>");
  }
  return out;
}

/**
 * Copies a test project to a temporary directory: the tsconfig's relative paths to the fixtures'
 * packages are made absolute, so the copy type-checks wherever it is.
 */
export function copyProject(name: string, dest = tempDir()): string {
  fs.cpSync(path.join(projectsDir, name), dest, { recursive: true });
  const tsconfigPath = path.join(dest, "tsconfig.json");
  const tsconfig = fs.readFileSync(tsconfigPath, "utf8").replace(/"(?:\.\.\/)+fixtures\/node_modules\//g, `"${fixturesNodeModules}/`);
  fs.writeFileSync(tsconfigPath, tsconfig);
  return dest;
}

const tempDirs: string[] = [];

export function tempDir(prefix = "tenant-lint-cli-"): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  tempDirs.push(dir);
  return dir;
}

// Each test file gets its own copy of this module, so this removes that file's directories.
afterAll(() => {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A git repository holding a copy of a test project, with everything committed. */
export function gitRepo(project: string): { dir: string; git: (...args: string[]) => string; commit: (message: string) => void } {
  const dir = copyProject(project);
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: dir, encoding: "utf8" });
  git("init", "--quiet", "--initial-branch=main");
  const commit = (message: string) => {
    git("add", "-A");
    git("commit", "--quiet", "-m", message);
  };
  commit("initial");
  return { dir, git, commit };
}

export function edit(file: string, change: (text: string) => string): void {
  fs.writeFileSync(file, change(fs.readFileSync(file, "utf8")));
}
