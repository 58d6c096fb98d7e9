/** The lines of a file as TypeScript counts them (its line numbers are the ones we report). */
export function sourceLines(source: string): string[] {
  return source.split(/\r\n|[\n\r\u2028\u2029]/);
}

export interface FrameLocation {
  readonly line: number;
  readonly column: number;
  readonly endLine?: number;
  readonly endColumn?: number;
}

export interface FrameOptions {
  /** Unflagged lines shown above and below. */
  readonly context?: number;
  /** Flagged lines shown at most; a longer range is cut, with a line saying how much. */
  readonly maxFlagged?: number;
  readonly paint?: (kind: "marker" | "gutter", text: string) => string;
}

/**
 * A code frame like Babel's: the flagged lines marked with `>` and underlined with `^`, between a
 * line of context on each side.
 */
export function codeFrame(lines: readonly string[], location: FrameLocation, options: FrameOptions = {}): string[] {
  const context = options.context ?? 1;
  const maxFlagged = options.maxFlagged ?? 4;
  const paint = options.paint ?? ((_kind, text) => text);
  const first = location.line;
  const last = Math.max(first, Math.min(location.endLine ?? first, lines.length));
  const shownLast = Math.min(last, first + maxFlagged - 1);
  const from = Math.max(1, first - context);
  const to = Math.min(lines.length, last + context);
  const width = String(to).length;
  const out: string[] = [];
  for (let n = from; n <= to; n++) {
    if (n > shownLast && n <= last) {
      out.push(`  ${" ".repeat(width)} ${paint("gutter", "|")} ${paint("gutter", `… ${last - shownLast} more line${last - shownLast === 1 ? "" : "s"}`)}`);
      n = last;
      continue;
    }
    const text = (lines[n - 1] ?? "").replace(/\s+$/, "");
    const flagged = n >= first && n <= last;
    const marker = flagged ? paint("marker", ">") : " ";
    out.push(`${marker} ${String(n).padStart(width)} ${paint("gutter", "|")}${text ? ` ${text}` : ""}`);
    if (!flagged) continue;
    const startCol = n === first ? location.column : firstNonSpace(text);
    // Without an end (a parse error), one caret marks the position, as ESLint's frames do.
    const endCol = location.endLine === undefined ? startCol + 1 : n === last && location.endColumn !== undefined ? location.endColumn : text.length + 1;
    const carets = Math.max(1, endCol - startCol);
    // Keep tabs in the padding so the carets line up under tab-indented code.
    const pad = [...text.slice(0, startCol - 1)].map((ch) => (ch === "\t" ? "\t" : " ")).join("");
    out.push(`  ${" ".repeat(width)} ${paint("gutter", "|")} ${pad}${paint("marker", "^".repeat(carets))}`);
  }
  return out;
}

function firstNonSpace(text: string): number {
  const match = /\S/.exec(text);
  return match ? match.index + 1 : 1;
}
