import crypto from "node:crypto";
import path from "node:path";
import { ts } from "@tenant-lint/core";

/**
 * Fingerprints identify a finding across edits that do not touch it: lines moving above it, the
 * file being reformatted. A fingerprint is a hash of the rule id, the file (relative to the
 * repository) and the flagged code as normalised tokens, plus the occurrence index among findings
 * with the same hash in that file. Line numbers are deliberately not part of it.
 */
export const FINGERPRINT_VERSION = "tenantLint/v1";

/**
 * The flagged node's tokens separated by single spaces: whitespace, comments, quote style,
 * semicolons and trailing commas, which formatters change freely, do not count.
 */
/** A span of source text that is not a syntax node. */
export interface TextSpan {
  readonly start: number;
  readonly end: number;
}

export function normalizedText(node: ts.Node | TextSpan, sourceFile: ts.SourceFile): string {
  // Some checks flag a span that is not a syntax node (a directive comment); its text, with
  // whitespace collapsed, is all there is to go on.
  if (!("kind" in node)) return sourceFile.text.slice(node.start, node.end).replace(/\s+/g, " ").trim();
  const tokens: string[] = [];
  const visit = (current: ts.Node): void => {
    if (current.kind >= ts.SyntaxKind.FirstJSDocNode && current.kind <= ts.SyntaxKind.LastJSDocNode) return;
    const children = current.getChildren(sourceFile);
    if (children.length === 0) {
      const token = tokenText(current, sourceFile);
      if (token) tokens.push(token);
      return;
    }
    for (const child of children) visit(child);
  };
  visit(node);
  return tokens.filter((token, i) => !isRedundantPunctuation(token, tokens[i + 1])).join(" ");
}

function tokenText(node: ts.Node, sourceFile: ts.SourceFile): string {
  // `'a'`, `"a"` and `` `a` `` are the same string; prettier and friends switch between them.
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return JSON.stringify(node.text);
  if (node.kind === ts.SyntaxKind.JsxText) return node.getText(sourceFile).replace(/\s+/g, " ").trim();
  return node.getText(sourceFile);
}

/** Semicolons, and commas before a closing bracket, come and go with formatting. */
function isRedundantPunctuation(token: string, next: string | undefined): boolean {
  if (token === ";") return true;
  return token === "," && (next === ")" || next === "]" || next === "}" || next === ">" || next === undefined);
}

/** The part of a fingerprint before the occurrence index. */
export function fingerprintHash(ruleId: string, file: string, text: string): string {
  return crypto.createHash("sha256").update(`${ruleId}\n${file}\n${text}`).digest("hex").slice(0, 32);
}

/** A file's path as fingerprints and reports name it: relative to the root, with `/`. */
export function relativePath(rootDir: string, file: string): string {
  const rel = path.relative(rootDir, file);
  return (rel.startsWith("..") || path.isAbsolute(rel) ? file : rel).split(path.sep).join("/");
}

export interface Fingerprintable {
  readonly ruleId: string;
  readonly file: string;
  readonly text: string;
  /** Position in the file: occurrences of the same code are numbered in source order. */
  readonly start: number;
}

/**
 * Fingerprints for a file's findings, in input order. Identical code flagged twice by one rule gets
 * `:1` and `:2`; removing one of them leaves one fingerprint matched and one reported as fixed.
 */
export function assignFingerprints(items: readonly Fingerprintable[]): string[] {
  const order = items.map((_, i) => i).sort((a, b) => items[a]!.start - items[b]!.start || a - b);
  const seen = new Map<string, number>();
  const out: string[] = new Array(items.length);
  for (const i of order) {
    const item = items[i]!;
    const hash = fingerprintHash(item.ruleId, item.file, item.text);
    const occurrence = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, occurrence);
    out[i] = `${hash}:${occurrence}`;
  }
  return out;
}
