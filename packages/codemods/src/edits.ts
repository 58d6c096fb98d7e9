/** A replacement of `[start, end)` in a file's original text. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * Applies edits to the original text, from the end backwards so earlier offsets stay valid.
 * Insertions at the same offset keep their given order and come before a replacement starting
 * there; overlapping edits are an error.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  // At one offset, insertions come before a replacement that starts there (text inserted in front of what is removed).
  const length = (e: TextEdit) => e.end - e.start;
  const sorted = edits
    .map((edit, index) => ({ edit, index }))
    .sort((a, b) => a.edit.start - b.edit.start || Number(length(a.edit) > 0) - Number(length(b.edit) > 0) || a.index - b.index);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!.edit;
    const cur = sorted[i]!.edit;
    if (cur.start < prev.end) throw new Error(`overlapping edits at ${prev.start}-${prev.end} and ${cur.start}-${cur.end}: ${JSON.stringify(prev.text)} / ${JSON.stringify(cur.text)}`);
  }
  let out = text;
  for (let i = sorted.length - 1; i >= 0; i--) {
    const { start, end, text: replacement } = sorted[i]!.edit;
    out = out.slice(0, start) + replacement + out.slice(end);
  }
  return out;
}

/** The leading whitespace of the line that holds `position`. */
export function indentOfLine(text: string, position: number): string {
  const lineStart = text.lastIndexOf("\n", position - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}
