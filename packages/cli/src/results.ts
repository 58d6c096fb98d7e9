/** A step of a taint path, 1-based like every position in ESLint's result format. */
export interface PathLocation {
  filePath: string;
  line: number;
  column: number;
  message: string;
}

/** ESLint's result format, which every tenant-lint output is derived from. */
export interface LintMessage {
  ruleId: string | null;
  severity: 1 | 2;
  message: string;
  messageId?: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  fatal?: boolean;
  /** tenant-lint extension: the taint path (source, calls crossed, sink). */
  path?: PathLocation[];
  /**
   * tenant-lint extension: the finding's identity across edits (rule, file, normalised text of the
   * flagged code, occurrence). Baselines, SARIF and GitLab reports key findings by it.
   */
  fingerprint?: string;
}

export interface Suppression {
  /** `directive` for an `eslint-disable` comment, `external` for a baseline entry (ESLint's kinds). */
  kind: "directive" | "external";
  justification: string;
}

export interface LintResult {
  filePath: string;
  messages: LintMessage[];
  errorCount: number;
  warningCount: number;
  fatalErrorCount: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
  /** Findings switched off by an `eslint-disable` comment or a baseline, with the reason. */
  suppressedMessages: (LintMessage & { suppressions: Suppression[] })[];
  source?: string;
}

/** An audited bypass: a disable comment and the reason given for it. */
export interface Bypass {
  filePath: string;
  line: number;
  ruleId: string;
  reason: string | undefined;
}

/**
 * Something that kept tenant-lint from analysing part of the program. Never a silent pass: a file
 * that does not parse fails the run with a fatal message, a rule that throws fails it with exit 2.
 */
export type InternalError =
  | { kind: "parse-error"; filePath: string; line: number; column: number; message: string }
  | { kind: "rule-error"; filePath: string; ruleId: string; message: string };

export function countMessages(result: LintResult): void {
  result.errorCount = result.messages.filter((m) => m.severity === 2).length;
  result.warningCount = result.messages.filter((m) => m.severity === 1).length;
  result.fatalErrorCount = result.messages.filter((m) => m.fatal).length;
}

export function totals(results: readonly LintResult[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const result of results) {
    errors += result.errorCount;
    warnings += result.warningCount;
  }
  return { errors, warnings };
}

/** One line describing an internal error, as printed on stderr. */
export function describeInternalError(error: InternalError, relative: (file: string) => string): string {
  return error.kind === "parse-error"
    ? `${relative(error.filePath)}:${error.line}:${error.column}: parsing error: ${error.message}`
    : `${relative(error.filePath)}: rule ${error.ruleId} failed: ${error.message}`;
}
