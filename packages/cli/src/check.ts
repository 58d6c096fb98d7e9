import path from "node:path";
import { coreRules, disableDirectives, getAnalyzer, PLUGIN_PREFIX, suppressingDirective, type Finding } from "@tenant-lint/core";
import type { LoadedProject } from "./project.js";
import { countMessages, type Bypass, type LintMessage, type LintResult } from "./results.js";

export interface CheckOptions {
  /** Bare rule ids to run; all rules by default. */
  readonly rules?: readonly string[];
}

export interface CheckOutcome {
  readonly results: LintResult[];
  readonly bypasses: Bypass[];
  /** Rules that threw, and files that failed to parse: reported, and they fail the run. */
  readonly internalErrors: string[];
}

/** Runs the core's checks over every source file of a project and shapes ESLint results. */
export function checkProject(project: LoadedProject, options: CheckOptions = {}): CheckOutcome {
  const ruleIds = options.rules ?? Object.keys(coreRules);
  const rootDir = project.configPath ? path.dirname(project.configPath) : project.dir;
  const analyzer = getAnalyzer(project.program, { config: project.config, rootDir });
  const results: LintResult[] = [];
  const bypasses: Bypass[] = [];
  const internalErrors: string[] = [];
  for (const sourceFile of project.sourceFiles) {
    const result: LintResult = {
      filePath: sourceFile.fileName,
      messages: [],
      suppressedMessages: [],
      errorCount: 0,
      warningCount: 0,
      fatalErrorCount: 0,
      fixableErrorCount: 0,
      fixableWarningCount: 0,
    };
    const parseErrors = project.program.getSyntacticDiagnostics(sourceFile);
    if (parseErrors.length) {
      const first = parseErrors[0]!;
      const pos = sourceFile.getLineAndCharacterOfPosition(first.start ?? 0);
      const text = typeof first.messageText === "string" ? first.messageText : first.messageText.messageText;
      result.messages.push({ ruleId: null, fatal: true, severity: 2, message: `Parsing error: ${text}`, line: pos.line + 1, column: pos.character + 1 });
      internalErrors.push(`${sourceFile.fileName}:${pos.line + 1}:${pos.character + 1}: parsing error: ${text}`);
      countMessages(result);
      results.push(result);
      continue;
    }
    const directives = disableDirectives(sourceFile);
    for (const finding of analyzer.findings(sourceFile, ruleIds)) {
      const message = toMessage(finding);
      const directive = suppressingDirective(directives, finding.ruleId, message.line);
      if (directive) {
        result.suppressedMessages.push({ ...message, suppressions: [{ kind: "directive", justification: directive.reason ?? "" }] });
        bypasses.push({ filePath: sourceFile.fileName, line: message.line, ruleId: message.ruleId!, reason: directive.reason });
      } else {
        result.messages.push(message);
      }
    }
    result.messages.sort((a, b) => a.line - b.line || a.column - b.column);
    countMessages(result);
    results.push(result);
  }
  for (const failure of analyzer.failures) {
    internalErrors.push(`${failure.fileName}: rule ${failure.ruleId} failed: ${failure.error.message}`);
  }
  return { results, bypasses, internalErrors };
}

function toMessage(finding: Finding): LintMessage {
  const sf = finding.sourceFile;
  const start = sf.getLineAndCharacterOfPosition(finding.start);
  const end = sf.getLineAndCharacterOfPosition(finding.end);
  const message: LintMessage = {
    ruleId: `${PLUGIN_PREFIX}/${finding.ruleId}`,
    severity: 2,
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
      const pos = stepFile.getLineAndCharacterOfPosition(step.node.getStart());
      return { filePath: stepFile.fileName, line: pos.line + 1, column: pos.character + 1, message: step.message };
    });
  }
  return message;
}
