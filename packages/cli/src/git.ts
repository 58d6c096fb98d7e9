import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { UsageError } from "./project.js";

/**
 * The repository root above `dir` (the nearest directory with a `.git` entry), found without running
 * git: reports name files relative to it, as GitHub, GitLab and reviewdog expect.
 */
export function findRepoRoot(dir: string): string | undefined {
  let current = path.resolve(dir);
  for (;;) {
    if (fs.existsSync(path.join(current, ".git"))) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** Changed lines per file (absolute real path); `"all"` for a file that is new or untracked. */
export type ChangedLines = Map<string, ReadonlySet<number> | "all">;

/**
 * Lines changed since `ref` in the working tree of the repository holding `dir`: what
 * `git diff --unified=0 <ref>` adds or modifies, plus every line of untracked files.
 */
export function changedLinesSince(ref: string, dir: string): ChangedLines {
  const top = git(["rev-parse", "--show-toplevel"], dir, () => `--changed-since needs a git repository, and ${dir} is not in one`).trim();
  git(["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`], top, () => `--changed-since: unknown git ref "${ref}"`);
  // Explicit prefixes and no renames-as-copies surprises: user configuration (diff.noprefix,
  // diff.relative, external diff drivers) must not change what we parse.
  const diff = git(
    ["diff", "--unified=0", "--no-color", "--no-ext-diff", "--no-textconv", "--no-relative", "--src-prefix=a/", "--dst-prefix=b/", ref, "--"],
    top,
    (stderr) => `--changed-since: git diff failed: ${stderr.trim()}`,
  );
  const changed: ChangedLines = new Map();
  for (const [file, lines] of parseUnifiedDiff(diff)) changed.set(realPath(path.join(top, file)), lines);
  const untracked = git(["ls-files", "--others", "--exclude-standard", "-z"], top, (stderr) => `--changed-since: git ls-files failed: ${stderr.trim()}`);
  for (const file of untracked.split("\0").filter(Boolean)) changed.set(realPath(path.join(top, file)), "all");
  return changed;
}

/**
 * The added or modified lines of each file a unified diff (`--unified=0`) changes, by its new path.
 * Deleted files are left out: there is nothing left in them to report.
 */
export function parseUnifiedDiff(diff: string): Map<string, Set<number> | "all"> {
  const out = new Map<string, Set<number> | "all">();
  let current: Set<number> | "all" | undefined;
  let isNew = false;
  for (const line of diff.split("\n")) {
    if (line.startsWith("diff --git ")) {
      current = undefined;
      isNew = false;
    } else if (line.startsWith("new file mode")) {
      isNew = true;
    } else if (line.startsWith("+++ ")) {
      const target = line.slice(4).replace(/\t$/, "");
      if (target === "/dev/null") {
        current = undefined;
        continue;
      }
      const file = unquote(target).replace(/^b\//, "");
      current = isNew ? "all" : new Set();
      out.set(file, current);
    } else if (line.startsWith("@@ ") && current instanceof Set) {
      // @@ -a,b +c,d @@: d lines starting at c are new; d = 0 is a pure deletion.
      const match = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (!match) continue;
      const start = Number(match[1]);
      const count = match[2] === undefined ? 1 : Number(match[2]);
      for (let n = start; n < start + count; n++) current.add(n);
    }
  }
  return out;
}

/** Git quotes paths with unusual characters C-style: `"b/caf\303\251 \"x\".ts"`. */
export function unquote(text: string): string {
  if (!text.startsWith('"') || !text.endsWith('"')) return text;
  const bytes: number[] = [];
  const body = text.slice(1, -1);
  const escapes: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '"': 34, "\\": 92 };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== "\\") {
      bytes.push(...Buffer.from(ch, "utf8"));
      continue;
    }
    const next = body[i + 1]!;
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(escapes[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

export function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

function git(args: readonly string[], cwd: string, describeFailure: (stderr: string) => string): string {
  const run = spawnSync("git", args, { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (run.error) throw new UsageError(`--changed-since needs git: ${run.error.message}`);
  if (run.status !== 0) throw new UsageError(describeFailure(run.stderr));
  return run.stdout;
}
