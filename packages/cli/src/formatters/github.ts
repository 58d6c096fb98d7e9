import { relativePath } from "../fingerprint.js";
import type { LintMessage } from "../results.js";
import type { FormatContext } from "./index.js";

/** GitHub shows at most this many error and this many warning annotations per step, and drops the rest. */
export const ANNOTATION_LIMIT = 10;

/** Workflow command data: `%`, CR and LF would end or corrupt the command. */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Workflow command properties: also `:` and `,`, which separate the properties themselves. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

interface Annotation {
  readonly level: "error" | "warning";
  readonly file: string;
  readonly message: LintMessage;
  readonly text: string;
}

/**
 * GitHub Actions workflow commands, one annotation per finding at its file and lines. Past the
 * per-step cap, the remaining findings are listed as plain log lines behind a notice that says so,
 * rather than silently disappearing.
 */
export function formatGithub(context: FormatContext): string {
  const docs = new Map(context.rules.map((rule) => [rule.id, rule.docsUrl]));
  const annotations: Annotation[] = [];
  for (const result of context.results) {
    const file = relativePath(context.rootDir, result.filePath);
    for (const m of result.messages) {
      const text = [
        m.message,
        ...(m.path?.length ? ["", "Taint path:", ...m.path.map((s, i) => `${i + 1}. ${relativePath(context.rootDir, s.filePath)}:${s.line}:${s.column} ${s.message}`)] : []),
        ...(m.ruleId && docs.get(m.ruleId) ? ["", `Docs: ${docs.get(m.ruleId)}`] : []),
      ].join("\n");
      annotations.push({ level: m.severity === 2 ? "error" : "warning", file, message: m, text });
    }
  }
  const lines: string[] = [];
  const shown = { error: 0, warning: 0 };
  const overflow: Annotation[] = [];
  for (const annotation of annotations) {
    if (shown[annotation.level] >= ANNOTATION_LIMIT) {
      overflow.push(annotation);
      continue;
    }
    shown[annotation.level]++;
    lines.push(workflowCommand(annotation));
  }
  for (const error of context.internalErrors) {
    if (error.kind === "rule-error") {
      lines.push(`::error file=${escapeProperty(relativePath(context.rootDir, error.filePath))},title=${escapeProperty(`${error.ruleId} failed`)}::${escapeData(error.message)}`);
    }
  }
  if (overflow.length) {
    lines.push(
      `::notice title=tenant-lint::${escapeData(
        `${overflow.length} more finding${overflow.length === 1 ? " is" : "s are"} not annotated (GitHub shows ${ANNOTATION_LIMIT} errors and ${ANNOTATION_LIMIT} warnings per step); see the log.`,
      )}`,
    );
    for (const a of overflow) {
      lines.push(`${a.file}:${a.message.line}:${a.message.column}: ${a.level}: ${a.message.message}${a.message.ruleId ? ` (${a.message.ruleId})` : ""}`);
    }
  }
  const errors = annotations.filter((a) => a.level === "error").length;
  const warnings = annotations.length - errors;
  if (annotations.length) lines.push(`tenant-lint: ${annotations.length} problem${annotations.length === 1 ? "" : "s"} (${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"})`);
  const fixed = context.fixedBaselineEntries.length;
  if (fixed) lines.push(`tenant-lint: ${fixed} baseline ${fixed === 1 ? "entry no longer occurs" : "entries no longer occur"} (fixed): run with --prune-baseline to drop ${fixed === 1 ? "it" : "them"}.`);
  return lines.length ? `${lines.join("\n")}\n` : "";
}

function workflowCommand({ level, file, message: m, text }: Annotation): string {
  const properties = [
    `file=${escapeProperty(file)}`,
    `line=${m.line}`,
    `col=${m.column}`,
    ...(m.endLine !== undefined ? [`endLine=${m.endLine}`] : []),
    ...(m.endColumn !== undefined ? [`endColumn=${m.endColumn}`] : []),
    `title=${escapeProperty(m.ruleId ?? "tenant-lint parsing error")}`,
  ];
  return `::${level} ${properties.join(",")}::${escapeData(text)}`;
}
