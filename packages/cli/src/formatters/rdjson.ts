import { relativePath } from "../fingerprint.js";
import { sourceLines } from "./code-frame.js";
import { TOOL_NAME, TOOL_URL, type FormatContext } from "./index.js";

interface Position {
  line: number;
  column: number;
}

/**
 * reviewdog's Diagnostic Format (rdjson): one diagnostic per finding, the taint path as related
 * locations, and the rule as a code with its documentation URL. rdjson counts columns in UTF-8
 * bytes where TypeScript counts UTF-16 units, so columns are converted with the line's text.
 */
export function formatRdjson(context: FormatContext): string {
  const docs = new Map(context.rules.map((rule) => [rule.id, rule.docsUrl]));
  const lineCache = new Map<string, string[] | undefined>();
  const linesOf = (file: string) => {
    if (!lineCache.has(file)) {
      const source = context.sourceOf(file);
      lineCache.set(file, source === undefined ? undefined : sourceLines(source));
    }
    return lineCache.get(file);
  };
  const position = (file: string, line: number, column: number): Position => ({ line, column: byteColumn(linesOf(file)?.[line - 1], column) });
  const diagnostics = [];
  for (const result of context.results) {
    const file = result.filePath;
    for (const m of result.messages) {
      const url = m.ruleId ? docs.get(m.ruleId) : undefined;
      diagnostics.push({
        message: m.message,
        location: {
          path: relativePath(context.rootDir, file),
          range: {
            start: position(file, m.line, m.column),
            ...(m.endLine !== undefined && m.endColumn !== undefined ? { end: position(file, m.endLine, m.endColumn) } : {}),
          },
        },
        severity: m.severity === 2 ? "ERROR" : "WARNING",
        ...(m.ruleId ? { code: { value: m.ruleId, ...(url ? { url } : {}) } } : {}),
        ...(m.path?.length
          ? {
              related_locations: m.path.map((step) => ({
                message: step.message,
                location: { path: relativePath(context.rootDir, step.filePath), range: { start: position(step.filePath, step.line, step.column) } },
              })),
            }
          : {}),
      });
    }
  }
  return `${JSON.stringify({ source: { name: TOOL_NAME, url: TOOL_URL }, diagnostics }, null, 2)}\n`;
}

/** A 1-based UTF-16 column of a line as a 1-based UTF-8 byte column. */
export function byteColumn(lineText: string | undefined, column: number): number {
  if (lineText === undefined) return column;
  return Buffer.byteLength(lineText.slice(0, column - 1), "utf8") + 1;
}
