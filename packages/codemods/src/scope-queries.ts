import { getAnalyzer, type AnalysisContext, type DataAccess, type TenantLintConfig } from "@tenant-lint/core";
import ts from "typescript";
import type { TextEdit } from "./edits.js";

/** The tenant context visible at a call: `ctx` and the property that holds its tenant id. */
export interface TenantContextInScope {
  /** The variable or parameter, e.g. `ctx`. */
  readonly name: string;
  /** The context's tenant property, e.g. `tenantId`. */
  readonly property: string;
  /** The tenant value to filter with, e.g. `ctx.tenantId`. */
  readonly valueText: string;
}

/** One call site `require-tenant-scope` reports as unscoped, and what the codemod did with it. */
export interface CallSite {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly orm: string;
  readonly entity: string;
  readonly method: string;
  readonly status: "changed" | "skipped";
  readonly reason?: string;
  /** The inserted text, for changed sites. */
  readonly inserted?: readonly string[];
}

export interface ScopeQueriesResult {
  /** Text edits per file name (offsets into the original text). */
  readonly edits: Map<string, TextEdit[]>;
  readonly sites: CallSite[];
  /** Rules that threw while analysing (reported as errors by the caller). */
  readonly failures: readonly { readonly fileName: string; readonly error: Error }[];
}

type Plan = { readonly edits: TextEdit[] } | { readonly skip: string };

const SUPPORTED_ORMS = new Set(["prisma", "knex"]);

/** Runs `scope-queries` over the given files of a program; nothing is written. */
export function scopeQueries(
  program: ts.Program,
  options: { readonly config: TenantLintConfig; readonly rootDir: string },
  files: readonly ts.SourceFile[],
): ScopeQueriesResult {
  const analyzer = getAnalyzer(program, options);
  const ctx = analyzer.context;
  const edits = new Map<string, TextEdit[]>();
  const sites: CallSite[] = [];
  for (const sourceFile of files) {
    for (const finding of analyzer.findings(sourceFile, ["require-tenant-scope"])) {
      if (finding.messageId !== "missingTenantScope") continue;
      const { line, character } = sourceFile.getLineAndCharacterOfPosition(finding.start);
      const at = { file: sourceFile.fileName, line: line + 1, column: character + 1 };
      const access = finding.node && ts.isCallExpression(finding.node) ? ctx.accessOf(finding.node) : undefined;
      if (!access) {
        sites.push({ ...at, orm: "?", entity: finding.data.entity ?? "?", method: "?", status: "skipped", reason: "the call is not an ORM call the codemod understands" });
        continue;
      }
      const base = { ...at, orm: access.orm, entity: access.entity.name, method: access.method };
      const context = tenantContextFor(access.node, access, ctx);
      const plan: Plan = "skip" in context ? context : planScopeFix(access, context.valueText, ctx);
      if ("skip" in plan) {
        sites.push({ ...base, status: "skipped", reason: plan.skip });
        continue;
      }
      const list = edits.get(sourceFile.fileName) ?? [];
      list.push(...plan.edits);
      edits.set(sourceFile.fileName, list);
      sites.push({ ...base, status: "changed", inserted: plan.edits.map((e) => e.text) });
    }
  }
  return { edits, sites, failures: analyzer.failures };
}

/**
 * The same fix as an ESLint suggestion: text edits (offsets into the access's source file) that
 * make `access` filter on its tenant key with `tenantValueText` (e.g. `ctx.tenantId`, see
 * {@link tenantContextFor}), or `undefined` when the call cannot be fixed mechanically.
 * Pure: reads the syntax tree only.
 */
export function scopeFixFor(access: DataAccess, tenantValueText: string, ctx: AnalysisContext): { range: [number, number]; text: string }[] | undefined {
  const plan = planScopeFix(access, tenantValueText, ctx);
  return "skip" in plan ? undefined : plan.edits.map((e) => ({ range: [e.start, e.end], text: e.text }));
}

/** The edits for one access, or why it is skipped. */
export function planScopeFix(access: DataAccess, tenantValueText: string, _ctx: AnalysisContext): Plan {
  if (!SUPPORTED_ORMS.has(access.orm)) return { skip: `${access.orm} is not supported by scope-queries yet` };
  const key = access.entity.tenantKeys[0];
  if (!key) return { skip: `${access.entity.name} has a tenant relation but no tenant key property to filter on` };
  const sourceFile = access.node.getSourceFile();
  return access.orm === "prisma" ? planPrisma(access, key, tenantValueText, sourceFile) : planKnex(access, key, tenantValueText, sourceFile);
}

function planPrisma(access: DataAccess, key: string, value: string, sourceFile: ts.SourceFile): Plan {
  const property = `${key}: ${value}`;
  const objectParts = access.filters.filter((p) => p.kind === "object");
  if (objectParts.length > 1 || access.filters.length !== objectParts.length) return { skip: "the filter is not a single where object" };
  const where = objectParts[0];
  if (where) {
    const literal = skip(where.expr);
    if (!ts.isObjectLiteralExpression(literal)) return { skip: "the where filter is not an object literal" };
    if (literal.getStart(sourceFile) < access.node.getStart(sourceFile) || literal.getEnd() > access.node.getEnd()) {
      return { skip: "the where object is declared outside the call and may be shared: scope it where it is built" };
    }
    if (propertyNamed(literal, key)) return { skip: `the where object already sets ${key}` };
    return { edits: [insertProperty(literal, property, sourceFile)] };
  }
  if (!ts.isCallExpression(access.node)) return { skip: "the query is not a call" };
  const options = access.node.arguments[0];
  if (!options) {
    return { edits: [{ start: access.node.arguments.pos, end: access.node.arguments.pos, text: `{ where: { ${property} } }` }] };
  }
  const literal = skip(options);
  if (!ts.isObjectLiteralExpression(literal)) return { skip: "the call's options are not an object literal" };
  if (literal.properties.some(ts.isSpreadAssignment)) {
    return { skip: "the call's options contain a spread, which may already set where" };
  }
  if (propertyNamed(literal, "where")) return { skip: "the call's where option is not an object literal" };
  return { edits: [insertProperty(literal, `where: { ${property} }`, sourceFile)] };
}

function planKnex(access: DataAccess, column: string, value: string, sourceFile: ts.SourceFile): Plan {
  // Walk the chain from the outermost call down to its root: `knex("t")` or `knex.from("t")`.
  const calls: ts.CallExpression[] = [];
  let node: ts.Expression = access.node;
  for (;;) {
    const current = skip(node);
    if (ts.isCallExpression(current) && ts.isPropertyAccessExpression(skip(current.expression))) {
      calls.push(current);
      node = (skip(current.expression) as ts.PropertyAccessExpression).expression;
    } else {
      break;
    }
  }
  const rootExpr = skip(node);
  const linkNames = calls.map((c) => ((skip(c.expression) as ts.PropertyAccessExpression).name.text));
  if (linkNames.some((name) => /^or[A-Z]/.test(name))) {
    return { skip: "the chain has an or-where: a where added at the root would not constrain every branch" };
  }
  let root: ts.CallExpression | undefined;
  if (ts.isCallExpression(rootExpr)) root = rootExpr;
  else root = calls[calls.length - 1]; // `knex.from("t")`: insert after the `from` call
  const table = root?.arguments[0];
  if (!root || !table) return { skip: "the query's root is not knex(\"table\")" };
  const quote = ts.isStringLiteral(table) && table.getText(sourceFile).startsWith("'") ? "'" : '"';
  const text = `.where(${quote}${column}${quote}, ${value})`;
  return { edits: [{ start: root.getEnd(), end: root.getEnd(), text }] };
}

/** The closest tenant context in scope at `node`: a parameter or an earlier local of a configured context type. */
export function tenantContextFor(node: ts.Node, access: DataAccess | undefined, ctx: AnalysisContext): TenantContextInScope | { skip: string } {
  const position = node.getStart();
  let sawMaybeUndefined: string | undefined;
  const consider = (name: ts.BindingName, declaration: ts.Node): TenantContextInScope | undefined => {
    if (!ts.isIdentifier(name)) return undefined;
    const type = ctx.checker.getTypeAtLocation(declaration);
    if (!ctx.isContextType(type)) return undefined;
    if (admitsNullish(type)) {
      sawMaybeUndefined ??= name.text;
      return undefined;
    }
    const property = contextKeyProperty(type, access, ctx);
    return property ? { name: name.text, property, valueText: `${name.text}.${property}` } : undefined;
  };
  for (let scope: ts.Node | undefined = node.parent; scope; scope = scope.parent) {
    if (ts.isBlock(scope) || ts.isSourceFile(scope) || ts.isModuleBlock(scope)) {
      for (const statement of scope.statements) {
        if (statement.getEnd() > position) break;
        if (!ts.isVariableStatement(statement)) continue;
        for (const decl of [...statement.declarationList.declarations].reverse()) {
          const found = consider(decl.name, decl);
          if (found) return found;
        }
      }
    }
    if (ts.isFunctionLike(scope)) {
      for (const parameter of scope.parameters) {
        const found = consider(parameter.name, parameter);
        if (found) return found;
      }
    }
  }
  return { skip: sawMaybeUndefined ? `the tenant context \`${sawMaybeUndefined}\` may be undefined here` : "no tenant context in scope (a parameter or local of a context type)" };
}

/** The context's property holding the tenant: the entity's own key name when the context has it, else any tenant key. */
function contextKeyProperty(type: ts.Type, access: DataAccess | undefined, ctx: AnalysisContext): string | undefined {
  const names = ctx.checker
    .getPropertiesOfType(ctx.checker.getNonNullableType(type))
    .map((p) => p.getName())
    .filter((n) => ctx.isTenantKey(n));
  return names.find((n) => access?.entity.tenantKeys.includes(n)) ?? names[0];
}

function admitsNullish(type: ts.Type): boolean {
  const parts = type.isUnion() ? type.types : [type];
  return parts.some((t) => (t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)) !== 0);
}

function propertyNamed(literal: ts.ObjectLiteralExpression, name: string): boolean {
  return literal.properties.some((p) => {
    if (ts.isSpreadAssignment(p) || !p.name) return false;
    return (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name;
  });
}

/**
 * Inserts `property` as the first property of an object literal, in its layout: `{ a }` ->
 * `{ k: v, a }`, `{}` -> `{ k: v }`, and a multi-line literal gets its own line at the first
 * property's indentation.
 */
function insertProperty(literal: ts.ObjectLiteralExpression, property: string, sourceFile: ts.SourceFile): TextEdit {
  const text = sourceFile.text;
  const open = literal.getStart(sourceFile); // the `{`
  const first = literal.properties[0];
  if (!first) {
    const inner = text.slice(open + 1, literal.getEnd() - 1);
    if (inner.includes("\n")) {
      // `{\n}`: put the property on its own line, indented one level deeper than the brace's line.
      const braceIndent = indentOfLine(text, open);
      const unit = inner.includes("\t") ? "\t" : "  ";
      return { start: open + 1, end: open + 1, text: `\n${braceIndent}${unit}${property},` };
    }
    return { start: open + 1, end: literal.getEnd() - 1, text: ` ${property} ` };
  }
  const firstStart = first.getStart(sourceFile);
  const between = text.slice(open + 1, firstStart);
  if (!between.includes("\n")) return { start: firstStart, end: firstStart, text: `${property}, ` };
  // Multi-line: a new line right after the `{` line, so comments above the first property stay with it.
  const lineStart = text.indexOf("\n", open) + 1;
  const indent = indentOfLine(text, firstStart);
  return { start: lineStart, end: lineStart, text: `${indent}${property},\n` };
}

function indentOfLine(text: string, position: number): string {
  const lineStart = text.lastIndexOf("\n", position - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

function skip(expr: ts.Expression): ts.Expression {
  let e = expr;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) {
    e = e.expression;
  }
  return e;
}
