import type { BaselineEntry } from "../baseline.js";
import type { InternalError, LintResult } from "../results.js";
import { formatGithub } from "./github.js";
import { formatGitlab } from "./gitlab.js";
import { formatJson } from "./json.js";
import { formatRdjson } from "./rdjson.js";
import { formatSarif } from "./sarif.js";
import { formatStylish } from "./stylish.js";

/** A rule as reports describe it. */
export interface RuleInfo {
  /** Prefixed id, as in results: `@tenant-lint/require-tenant-scope`. */
  readonly id: string;
  readonly description: string;
  readonly docsUrl: string | undefined;
}

/** Everything a formatter may need; each takes what its format has room for. */
export interface FormatContext {
  readonly results: readonly LintResult[];
  /** The repository root: machine-readable reports name files relative to it. */
  readonly rootDir: string;
  /** Human-readable reports name files relative to the working directory. */
  readonly cwd: string;
  readonly color: boolean;
  /** Every tenant-lint rule, in a stable order. */
  readonly rules: readonly RuleInfo[];
  readonly internalErrors: readonly InternalError[];
  /** Baseline entries whose findings are gone, when a baseline was given. */
  readonly fixedBaselineEntries: readonly BaselineEntry[];
  /** Findings hidden because the baseline knows them. */
  readonly baselineMatched: number;
  readonly toolVersion: string;
  /** The text of a file of the program (for code frames and byte columns). */
  readonly sourceOf: (filePath: string) => string | undefined;
}

export type Formatter = (context: FormatContext) => string;

export const FORMATTERS = {
  stylish: formatStylish,
  json: (context: FormatContext) => formatJson(context.results),
  sarif: formatSarif,
  github: formatGithub,
  gitlab: formatGitlab,
  rdjson: formatRdjson,
} satisfies Record<string, Formatter>;

export type FormatName = keyof typeof FORMATTERS;
export const FORMAT_NAMES = Object.keys(FORMATTERS) as FormatName[];

export const TOOL_NAME = "tenant-lint";
export const TOOL_URL = "https://github.com/tenant-lint/tenant-lint";
