import ts from "./typescript.cjs";

/** The plugin's namespace as written in configs and directive comments. */
export const PLUGIN_PREFIX = "@tenant-lint";

/** An `eslint-disable*` comment, with the tenant-lint rules it names and the reason after `--`. */
export interface DisableDirective {
  readonly kind: "disable" | "enable" | "disable-line" | "disable-next-line";
  /** Bare rule ids this directive names; `undefined` when it names none (all rules). */
  readonly ruleIds: readonly string[] | undefined;
  readonly reason: string | undefined;
  /** Offsets of the comment in the file. */
  readonly start: number;
  readonly end: number;
  /** 1-based line of the comment. */
  readonly line: number;
}

const DIRECTIVE_RE = /^\s*eslint-(disable|enable|disable-line|disable-next-line)(?=\s|$)([\s\S]*)$/;

/** Every ESLint disable/enable directive in a file, in order. */
export function disableDirectives(sourceFile: ts.SourceFile): DisableDirective[] {
  const out: DisableDirective[] = [];
  const text = sourceFile.text;
  // Reading every comment takes a token-by-token walk: a file that never says `eslint-` has none to read.
  if (!text.includes("eslint-")) return out;
  for (const range of commentRanges(sourceFile)) {
    const raw = text.slice(range.pos, range.end);
    const isLine = range.kind === ts.SyntaxKind.SingleLineCommentTrivia;
    const body = isLine ? raw.slice(2) : raw.slice(2, -2);
    const match = DIRECTIVE_RE.exec(body);
    if (!match) continue;
    const kind = match[1] as DisableDirective["kind"];
    if (kind === "disable-line" && !isLine && raw.includes("\n")) continue;
    const [rulesText, ...reasonParts] = match[2]!.split(/\s--\s?|^--\s?/);
    const reason = reasonParts.join(" -- ").trim() || undefined;
    const names = rulesText!.split(",").map((r) => r.trim()).filter(Boolean);
    out.push({
      kind,
      ruleIds: names.length ? names : undefined,
      reason,
      start: range.pos,
      end: range.end,
      line: sourceFile.getLineAndCharacterOfPosition(range.pos).line + 1,
    });
  }
  return out;
}

/**
 * Every comment in a file, in order: the leading and trailing trivia of every token. Reading
 * trivia token by token (rather than scanning the text) keeps template literals and regular
 * expressions from being mistaken for comments.
 */
function commentRanges(sourceFile: ts.SourceFile): ts.CommentRange[] {
  const text = sourceFile.text;
  const seen = new Map<number, ts.CommentRange>();
  const add = (ranges: ts.CommentRange[] | undefined) => {
    for (const range of ranges ?? []) seen.set(range.pos, range);
  };
  const visit = (node: ts.Node): void => {
    if (node.kind >= ts.SyntaxKind.FirstToken && node.kind <= ts.SyntaxKind.LastToken) {
      add(ts.getLeadingCommentRanges(text, node.pos));
      add(ts.getTrailingCommentRanges(text, node.end));
      return;
    }
    for (const child of node.getChildren(sourceFile)) visit(child);
  };
  visit(sourceFile);
  add(ts.getLeadingCommentRanges(text, 0));
  return [...seen.values()].sort((a, b) => a.pos - b.pos);
}

/** The bare id of a rule named in a directive, if it is one of tenant-lint's (`@tenant-lint/x` -> `x`). */
export function tenantLintRuleId(name: string): string | undefined {
  const match = /^(?:@tenant-lint\/|tenant-lint\/)([\w-]+)$/.exec(name.trim());
  return match?.[1];
}

/**
 * Whether a finding of `ruleId` on `line` is switched off by the file's directives, and by which
 * directive (so the CLI can list every bypass with its reason).
 */
export function suppressingDirective(directives: readonly DisableDirective[], ruleId: string, line: number): DisableDirective | undefined {
  const names = (d: DisableDirective) => d.ruleIds === undefined || d.ruleIds.some((r) => tenantLintRuleId(r) === ruleId);
  let block: DisableDirective | undefined;
  for (const d of directives) {
    if (d.line > line) break;
    if (!names(d)) continue;
    if (d.kind === "disable") block = d;
    else if (d.kind === "enable") block = undefined;
  }
  if (block) return block;
  return directives.find(
    (d) => names(d) && ((d.kind === "disable-line" && d.line === line) || (d.kind === "disable-next-line" && d.line === line - 1)),
  );
}
