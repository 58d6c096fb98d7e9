import fs from "node:fs";
import path from "node:path";
import { ConfigError } from "@tenant-lint/core";
import { relativePath } from "./fingerprint.js";
import { countMessages, type LintResult } from "./results.js";

export const BASELINE_FILE_NAME = "tenant-lint.baseline.json";
const BASELINE_VERSION = 1;

/**
 * A known finding. Its identity is the fingerprint alone (rule, file and flagged code, never the
 * line); the rule, file and message are there for people reading the file and its diffs.
 */
export interface BaselineEntry {
  readonly fingerprint: string;
  readonly ruleId: string;
  readonly file: string;
  readonly message: string;
}

/** The findings of a run as baseline entries: unsuppressed rule findings only, sorted for stable diffs. */
export function baselineEntriesOf(results: readonly LintResult[], rootDir: string): BaselineEntry[] {
  const entries: BaselineEntry[] = [];
  for (const result of results) {
    for (const m of result.messages) {
      // A parse error is not a finding to live with: it hides the file's real findings.
      if (!m.ruleId || !m.fingerprint) continue;
      entries.push({ fingerprint: m.fingerprint, ruleId: m.ruleId, file: relativePath(rootDir, result.filePath), message: m.message });
    }
  }
  return sortEntries(entries);
}

function sortEntries(entries: BaselineEntry[]): BaselineEntry[] {
  const key = (e: BaselineEntry) => `${e.file}\0${e.ruleId}\0${e.fingerprint}`;
  return entries.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export function writeBaseline(file: string, entries: readonly BaselineEntry[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const body = { version: BASELINE_VERSION, findings: sortEntries([...entries]) };
  fs.writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
}

/** Reads a baseline written by `tenant-lint baseline`; a missing or malformed file is a configuration error. */
export function readBaseline(file: string): BaselineEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(code === "ENOENT" ? "baseline not found (create one with `tenant-lint baseline`)" : `cannot read baseline (${code})`, file);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`invalid JSON in baseline: ${(error as Error).message}`, file);
  }
  const body = raw as { version?: unknown; findings?: unknown };
  if (typeof raw !== "object" || raw === null || body.version !== BASELINE_VERSION || !Array.isArray(body.findings)) {
    throw new ConfigError(`not a tenant-lint baseline (expected {"version": ${BASELINE_VERSION}, "findings": [...]})`, file);
  }
  return body.findings.map((entry: unknown, i: number) => {
    const e = entry as Partial<Record<keyof BaselineEntry, unknown>>;
    if (typeof entry !== "object" || entry === null || typeof e.fingerprint !== "string" || typeof e.ruleId !== "string" || typeof e.file !== "string") {
      throw new ConfigError(`findings[${i}] needs string "fingerprint", "ruleId" and "file"`, file);
    }
    return { fingerprint: e.fingerprint, ruleId: e.ruleId, file: e.file, message: typeof e.message === "string" ? e.message : "" };
  });
}

export interface BaselineOutcome {
  /** Findings the baseline knows, moved to `suppressedMessages`. */
  readonly matched: number;
  /** Entries in scope of this run that no finding matched any more: fixed, to be pruned. */
  readonly fixed: BaselineEntry[];
  /** The baseline without the fixed entries, for `--prune-baseline`. */
  readonly kept: BaselineEntry[];
}

/**
 * Moves findings the baseline knows to `suppressedMessages` (kind `external`, as ESLint reports bulk
 * suppressions), in place. `inScope` tells which entries this run could have matched: a run limited
 * to some rules or changed files says nothing about the others, so they are neither fixed nor pruned.
 */
export function applyBaseline(results: LintResult[], entries: readonly BaselineEntry[], inScope: (entry: BaselineEntry) => boolean): BaselineOutcome {
  const known = new Set(entries.map((e) => e.fingerprint));
  const seen = new Set<string>();
  let matched = 0;
  for (const result of results) {
    const kept = [];
    for (const m of result.messages) {
      if (m.fingerprint) seen.add(m.fingerprint);
      if (m.fingerprint && known.has(m.fingerprint)) {
        result.suppressedMessages.push({ ...m, suppressions: [{ kind: "external", justification: "in the tenant-lint baseline" }] });
        matched++;
      } else {
        kept.push(m);
      }
    }
    // Findings switched off by a directive still exist: their baseline entries are not fixed.
    for (const m of result.suppressedMessages) if (m.fingerprint) seen.add(m.fingerprint);
    result.messages = kept;
    countMessages(result);
  }
  const fixed = entries.filter((e) => !seen.has(e.fingerprint) && inScope(e));
  const fixedSet = new Set(fixed);
  return { matched, fixed, kept: entries.filter((e) => !fixedSet.has(e)) };
}
