import path from "node:path";
import type { LintResult } from "../results.js";

export interface StylishOptions {
  readonly cwd: string;
  readonly color: boolean;
  /** Links each rule id to its documentation. */
  readonly docsUrl: (ruleId: string) => string | undefined;
}

const paint = (on: boolean, code: number) => (text: string) => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

/** ESLint's stylish layout, plus the taint path under each finding that has one. */
export function formatStylish(results: readonly LintResult[], options: StylishOptions): string {
  const dim = paint(options.color, 2);
  const red = paint(options.color, 31);
  const yellow = paint(options.color, 33);
  const underline = paint(options.color, 4);
  const lines: string[] = [];
  let errors = 0;
  let warnings = 0;
  for (const result of results) {
    if (result.messages.length === 0) continue;
    lines.push("", underline(path.relative(options.cwd, result.filePath) || result.filePath));
    for (const m of result.messages) {
      if (m.severity === 2) errors++;
      else warnings++;
      const severity = m.severity === 2 ? red("error") : yellow("warning");
      const rule = m.ruleId ? dim(m.ruleId) : "";
      lines.push(`  ${dim(`${m.line}:${m.column}`.padEnd(8))} ${severity}  ${m.message}  ${rule}`);
      const docs = m.ruleId ? options.docsUrl(m.ruleId) : undefined;
      if (docs) lines.push(`           ${dim(docs)}`);
      for (const step of m.path ?? []) {
        lines.push(`           ${dim("↳")} ${path.relative(options.cwd, step.filePath)}:${step.line}:${step.column} ${step.message}`);
      }
    }
  }
  const total = errors + warnings;
  if (total === 0) return "";
  lines.push("", red(`✖ ${total} problem${total === 1 ? "" : "s"} (${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"})`), "");
  return lines.join("\n");
}
