import path from "node:path";
import { coreRules, disableDirectives, getAnalyzer, PLUGIN_PREFIX, suppressingDirective, type Finding } from "@tenant-lint/core";
import { ts } from "@tenant-lint/core";
import { assignFingerprints, normalizedText, relativePath } from "./fingerprint.js";
import type { LoadedProject } from "./project.js";
import { countMessages, type Bypass, type InternalError, type LintMessage, type LintResult } from "./results.js";

export type Severity = 1 | 2;

export interface CheckOptions {
  /** Bare rule ids to run; all rules by default. */
  readonly rules?: readonly string[];
  /** Severity per bare rule id (2, error, by default). */
  readonly severities?: Readonly<Record<string, Severity>>;
  /**
   * Run the rules only over these files (absolute names as the program has them). Their findings
   * are exactly those of a full run when the program holds them and what they need (see
   * `LoadOptions.only`), unless the outcome says it read facts of the whole program.
   */
  readonly files?: ReadonlySet<string>;
  /** The directory fingerprints name files relative to (the repository root); the project's by default. */
  readonly fingerprintRoot?: string;
  /** Called after each analysed file, for progress display. */
  readonly onFile?: (done: number, total: number) => void;
}

export interface CheckOutcome {
  readonly results: LintResult[];
  readonly bypasses: Bypass[];
  /** Rules that threw, and files that failed to parse: reported, and they fail the run. */
  readonly internalErrors: InternalError[];
  /** Bare ids of the rules that ran. */
  readonly ruleIds: readonly string[];
  /** A check read a fact of the whole program (the tables raw SQL may name): a partial program cannot answer it. */
  readonly readProgramWideFacts: boolean;
}

/** Runs the core's checks over the project's source files and shapes ESLint results. */
export function checkProject(project: LoadedProject, options: CheckOptions = {}): CheckOutcome {
  const ruleIds = options.rules ?? Object.keys(coreRules);
  const rootDir = project.configPath ? path.dirname(project.configPath) : project.dir;
  const fingerprintRoot = options.fingerprintRoot ?? project.dir;
  const analyzer = getAnalyzer(project.program, { config: project.config, rootDir });
  const results: LintResult[] = [];
  const bypasses: Bypass[] = [];
  const internalErrors: InternalError[] = [];
  const selected = options.files ? project.sourceFiles.filter((sf) => options.files!.has(sf.fileName)) : project.sourceFiles;
  const selectedSet = new Set(selected);

  // Parse errors are collected for every file, selected or not: the parser has already run, so this
  // costs nothing, and a broken file must fail even a run limited to changed files.
  for (const sourceFile of project.sourceFiles) {
    const parseError = firstParseError(project.program, sourceFile);
    if (parseError) {
      internalErrors.push({ kind: "parse-error", filePath: sourceFile.fileName, ...parseError });
      const result = emptyResult(sourceFile.fileName);
      result.messages.push({ ruleId: null, fatal: true, severity: 2, message: `Parsing error: ${parseError.message}`, line: parseError.line, column: parseError.column });
      countMessages(result);
      results.push(result);
      selectedSet.delete(sourceFile);
    }
  }

  let done = 0;
  for (const sourceFile of selectedSet) {
    results.push(checkFile(sourceFile, analyzer.findings(sourceFile, ruleIds), options.severities ?? {}, fingerprintRoot, bypasses));
    options.onFile?.(++done, selectedSet.size);
  }
  for (const failure of analyzer.failures) {
    internalErrors.push({ kind: "rule-error", filePath: failure.fileName, ruleId: `${PLUGIN_PREFIX}/${failure.ruleId}`, message: failure.error.message });
  }
  results.sort((a, b) => (a.filePath < b.filePath ? -1 : a.filePath > b.filePath ? 1 : 0));
  return { results, bypasses, internalErrors, ruleIds, readProgramWideFacts: analyzer.context.readProgramWideFacts };
}

function checkFile(
  sourceFile: ts.SourceFile,
  findings: readonly Finding[],
  severities: Readonly<Record<string, Severity>>,
  fingerprintRoot: string,
  bypasses: Bypass[],
): LintResult {
  const result = emptyResult(sourceFile.fileName);
  const file = relativePath(fingerprintRoot, sourceFile.fileName);
  const fingerprints = assignFingerprints(
    findings.map((finding) => ({ ruleId: finding.ruleId, file, text: normalizedText(finding.node ?? { start: finding.start, end: finding.end }, sourceFile), start: finding.start })),
  );
  const directives = findings.length ? disableDirectives(sourceFile) : [];
  findings.forEach((finding, i) => {
    const message = toMessage(finding, severities[finding.ruleId] ?? 2, fingerprints[i]!);
    const directive = suppressingDirective(directives, finding.ruleId, message.line);
    if (directive) {
      result.suppressedMessages.push({ ...message, suppressions: [{ kind: "directive", justification: directive.reason ?? "" }] });
      bypasses.push({ filePath: sourceFile.fileName, line: message.line, ruleId: message.ruleId!, reason: directive.reason });
    } else {
      result.messages.push(message);
    }
  });
  result.messages.sort(byPosition);
  result.suppressedMessages.sort(byPosition);
  countMessages(result);
  return result;
}

function emptyResult(filePath: string): LintResult {
  return {
    filePath,
    messages: [],
    suppressedMessages: [],
    errorCount: 0,
    warningCount: 0,
    fatalErrorCount: 0,
    fixableErrorCount: 0,
    fixableWarningCount: 0,
  };
}

function firstParseError(program: ts.Program, sourceFile: ts.SourceFile): { line: number; column: number; message: string } | undefined {
  const first = program.getSyntacticDiagnostics(sourceFile)[0];
  if (!first) return undefined;
  const pos = sourceFile.getLineAndCharacterOfPosition(first.start ?? 0);
  return { line: pos.line + 1, column: pos.character + 1, message: ts.flattenDiagnosticMessageText(first.messageText, " ") };
}

function byPosition(a: LintMessage, b: LintMessage): number {
  return a.line - b.line || a.column - b.column;
}

function toMessage(finding: Finding, severity: Severity, fingerprint: string): LintMessage {
  const sf = finding.sourceFile;
  const start = sf.getLineAndCharacterOfPosition(finding.start);
  const end = sf.getLineAndCharacterOfPosition(finding.end);
  const message: LintMessage = {
    ruleId: `${PLUGIN_PREFIX}/${finding.ruleId}`,
    severity,
    message: finding.message,
    messageId: finding.messageId,
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
  };
  if (finding.path.length) {
    message.path = finding.path.map((step) => {
      const stepFile = step.node.getSourceFile();
      const pos = stepFile.getLineAndCharacterOfPosition(step.node.getStart(stepFile));
      return { filePath: stepFile.fileName, line: pos.line + 1, column: pos.character + 1, message: step.message };
    });
  }
  message.fingerprint = fingerprint;
  return message;
}
