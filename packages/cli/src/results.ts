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
  /** tenant-lint extension: the taint path (source, calls crossed, sink), 1-based positions. */
  path?: { filePath: string; line: number; column: number; message: string }[];
}

export interface LintResult {
  filePath: string;
  messages: LintMessage[];
  errorCount: number;
  warningCount: number;
  fatalErrorCount: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
  /** Findings switched off by an `eslint-disable` comment, with its reason. */
  suppressedMessages: (LintMessage & { suppressions: { kind: string; justification: string }[] })[];
  source?: string;
}

/** An audited bypass: a disable comment and the reason given for it. */
export interface Bypass {
  filePath: string;
  line: number;
  ruleId: string;
  reason: string | undefined;
}

export function countMessages(result: LintResult): void {
  result.errorCount = result.messages.filter((m) => m.severity === 2).length;
  result.warningCount = result.messages.filter((m) => m.severity === 1).length;
  result.fatalErrorCount = result.messages.filter((m) => m.fatal).length;
}
