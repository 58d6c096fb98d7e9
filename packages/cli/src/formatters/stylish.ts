import path from "node:path";
import type { FormatContext } from "./index.js";
import { codeFrame, sourceLines } from "./code-frame.js";

const paint = (on: boolean, code: number) => (text: string) => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

/**
 * ESLint's stylish layout, with what a reviewer needs to act on a finding without opening the file:
 * a code frame, the taint path from the client input to the query, and the rule's documentation.
 */
export function formatStylish(context: FormatContext): string {
  const dim = paint(context.color, 2);
  const red = paint(context.color, 31);
  const yellow = paint(context.color, 33);
  const underline = paint(context.color, 4);
  const relative = (file: string) => path.relative(context.cwd, file) || file;
  const docs = new Map(context.rules.map((rule) => [rule.id, rule.docsUrl]));
  const lines: string[] = [];
  let errors = 0;
  let warnings = 0;
  for (const result of context.results) {
    if (result.messages.length === 0) continue;
    lines.push("", underline(relative(result.filePath)));
    const source = context.sourceOf(result.filePath);
    const fileLines = source === undefined ? undefined : sourceLines(source);
    for (const m of result.messages) {
      if (m.severity === 2) errors++;
      else warnings++;
      const severity = m.severity === 2 ? red("error") : yellow("warning");
      lines.push(`  ${dim(`${m.line}:${m.column}`)}  ${severity}  ${m.message}${m.ruleId ? `  ${dim(m.ruleId)}` : ""}`);
      if (fileLines) {
        const frame = codeFrame(fileLines, m, { paint: (kind, text) => (kind === "marker" ? (m.severity === 2 ? red : yellow)(text) : dim(text)) });
        lines.push(...frame.map((line) => `    ${line}`));
      }
      if (m.path?.length) {
        lines.push(`    ${dim("taint path:")}`);
        const steps = m.path.map((step) => `${relative(step.filePath)}:${step.line}:${step.column}`);
        const width = Math.max(...steps.map((s) => s.length));
        m.path.forEach((step, i) => lines.push(`      ${i + 1}. ${steps[i]!.padEnd(width)}  ${step.message}`));
      }
      const url = m.ruleId ? docs.get(m.ruleId) : undefined;
      if (url) lines.push(`    ${dim(`docs: ${url}`)}`);
      lines.push("");
    }
    lines.pop();
  }
  const summary = summaryLines(context, errors, warnings).map((line, i) => (i === 0 && errors + warnings ? red(line) : line));
  if (summary.length === 0) return "";
  // ESLint's blank line between the last file and the summary; none when no file was listed.
  return lines.length ? [...lines, "", ...summary, ""].join("\n") : `${summary.join("\n")}\n`;
}

function summaryLines(context: FormatContext, errors: number, warnings: number): string[] {
  const out: string[] = [];
  const total = errors + warnings;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  if (total) out.push(`✖ ${plural(total, "problem")} (${plural(errors, "error")}, ${plural(warnings, "warning")})`);
  if (total && context.baselineMatched) out.push(`  ${plural(context.baselineMatched, "known finding")} in the baseline not shown.`);
  const fixed = context.fixedBaselineEntries.length;
  if (fixed) {
    const entries = fixed === 1 ? "1 baseline entry no longer occurs" : `${fixed} baseline entries no longer occur`;
    out.push(`${entries} (fixed): run with --prune-baseline to drop ${fixed === 1 ? "it" : "them"}.`);
  }
  return out;
}
