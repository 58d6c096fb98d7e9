import ts from "typescript";

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
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, sourceFile.languageVariant, text);
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token !== ts.SyntaxKind.SingleLineCommentTrivia && token !== ts.SyntaxKind.MultiLineCommentTrivia) continue;
    const raw = scanner.getTokenText();
    const body = token === ts.SyntaxKind.SingleLineCommentTrivia ? raw.slice(2) : raw.slice(2, -2);
    const match = DIRECTIVE_RE.exec(body);
    if (!match) continue;
    const kind = match[1] as DisableDirective["kind"];
    if (kind === "disable-line" && token === ts.SyntaxKind.MultiLineCommentTrivia && raw.includes("\n")) continue;
    const [rulesText, ...reasonParts] = match[2]!.split(/\s--\s?|^--\s?/);
    const reason = reasonParts.join(" -- ").trim() || undefined;
    const names = rulesText!.split(",").map((r) => r.trim()).filter(Boolean);
    const start = scanner.getTokenStart();
    out.push({
      kind,
      ruleIds: names.length ? names : undefined,
      reason,
      start,
      end: scanner.getTokenEnd(),
      line: sourceFile.getLineAndCharacterOfPosition(start).line + 1,
    });
  }
  return out;
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
