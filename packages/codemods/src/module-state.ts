import { getAnalyzer, type AnalysisContext } from "@tenant-lint/core";
import { ts } from "@tenant-lint/core";
import type { CodemodOptions, CodemodResult } from "./codemod.js";
import type { TextEdit } from "./edits.js";
import { addImportEdits } from "./imports.js";
import type { CallSite } from "./scope-queries.js";
import { ContextThreader, location } from "./threading.js";

/**
 * `module-state`: a module-level "current tenant" variable (`let currentTenantId`) that
 * `no-module-tenant-state` reports is replaced by an explicit `TenantContext` threaded to the
 * places that read it. Reads become `ctx.tenantId` (or `ctx` when the variable held a context);
 * a getter that only returns it is inlined at its calls; writes, and setters that only write it,
 * are removed with their calls (the runtime's middleware resolves the tenant instead); the
 * variable goes. When any use cannot be migrated, the variable is left entirely as it was.
 */
export function moduleState(program: ts.Program, options: CodemodOptions, files: readonly ts.SourceFile[]): CodemodResult {
  const analyzer = getAnalyzer(program, options);
  const ctx = analyzer.context;
  const threader = new ContextThreader(ctx, files, options.rootDir);
  const sites: CallSite[] = [];
  const plans: VariablePlan[] = [];
  for (const sourceFile of files) {
    for (const finding of analyzer.findings(sourceFile, ["no-module-tenant-state"])) {
      const statement = finding.node;
      const at = siteAt(finding.node ?? sourceFile, sourceFile, finding.start);
      if (finding.messageId !== "moduleVariable" || !statement || !ts.isVariableStatement(statement)) {
        sites.push({ ...at, orm: "module", entity: finding.data.name ?? "?", method: "declaration", status: "skipped", reason: "only module-level variables are migrated (not statics, shared objects or globals)" });
        continue;
      }
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name) || declaration.name.text !== finding.data.name) continue;
        const plan = planVariable(declaration, statement, ctx, files, options.rootDir);
        if ("skip" in plan) {
          sites.push({ ...at, orm: "module", entity: declaration.name.text, method: "declaration", status: "skipped", reason: plan.skip });
          continue;
        }
        for (const read of plan.reads) threader.need(read);
        plans.push(plan);
      }
    }
  }
  threader.solve();

  const edits = new Map<string, TextEdit[]>();
  const addEdit = (node: ts.Node, edit: TextEdit) => {
    const fileName = node.getSourceFile().fileName;
    edits.set(fileName, [...(edits.get(fileName) ?? []), edit]);
  };
  let anyMigrated = false;
  for (const plan of plans) {
    const blocked = plan.reads.map((read) => ({ read, context: threader.contextAt(read) })).find(({ context }) => "skip" in context);
    const name = plan.declaration.name.getText();
    if (blocked) {
      const context = blocked.context as { skip: string };
      sites.push({ ...siteAt(blocked.read), orm: "module", entity: name, method: "read", status: "skipped", reason: `${context.skip}; \`${name}\` is left as it is` });
      continue;
    }
    anyMigrated = true;
    for (const read of plan.reads) {
      const { text } = threader.contextAt(read) as { text: string };
      const replacement = plan.holdsContext ? text : `${text}.tenantId`;
      // `activeTenant!` was there for the variable's `undefined`; the context is never undefined.
      const replaced = ts.isNonNullExpression(read.parent) ? read.parent : read;
      addEdit(read, { start: replaced.getStart(), end: replaced.getEnd(), text: replacement });
      sites.push({ ...siteAt(read), orm: "module", entity: name, method: ts.isCallExpression(read) ? "getter call" : "read", status: "changed", inserted: [replacement] });
    }
    for (const removed of plan.removals) {
      addEdit(removed.node, removalOf(removed.node));
      sites.push({ ...siteAt(removed.node), orm: "module", entity: name, method: removed.what, status: "changed", inserted: [] });
    }
  }
  // Parameters, arguments and imports for the threaded context; only when something was migrated.
  if (anyMigrated) {
    const threading = threader.edits();
    for (const [fileName, list] of threading.edits) edits.set(fileName, [...(edits.get(fileName) ?? []), ...list]);
    addImportEdits(threading.imports, edits, program);
    return { edits, sites, functions: threading.functions, failures: analyzer.failures };
  }
  return { edits, sites, functions: [], failures: analyzer.failures };
}

interface VariablePlan {
  readonly declaration: ts.VariableDeclaration;
  /** Expressions to replace by the context (`currentTenantId`, `getCurrentTenant()`). */
  readonly reads: ts.Expression[];
  /** Statements and declarations to delete, and what each is. */
  readonly removals: { readonly node: ts.Node; readonly what: string }[];
  readonly holdsContext: boolean;
}

/**
 * Sorts every use of the variable: reads, a getter (a function that only checks and returns it)
 * whose calls are reads, writes and setters (functions that only write it) whose calls are
 * statements to remove. Anything else (a use as a value, a write inside an expression) skips it.
 */
function planVariable(
  declaration: ts.VariableDeclaration,
  statement: ts.VariableStatement,
  ctx: AnalysisContext,
  files: readonly ts.SourceFile[],
  rootDir: string,
): VariablePlan | { skip: string } {
  const positionText = (node: ts.Node) => location(node, rootDir);
  const checker = ctx.checker;
  const name = declaration.name as ts.Identifier;
  if (statement.declarationList.declarations.length > 1) return { skip: `\`${name.text}\` is declared with other variables in one statement` };
  if (statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return { skip: `\`${name.text}\` is exported: code outside the program may read it` };
  const type = checker.getTypeAtLocation(name);
  const holdsContext = ctx.isContextType(type);
  const scalar = checker.getNonNullableType(type).flags & (ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike);
  if (!holdsContext && !scalar) return { skip: `\`${name.text}\` holds a ${checker.typeToString(type)}, not a tenant id or context` };
  const symbol = checker.getSymbolAtLocation(name)!;
  const uses = referencesTo(symbol, name.text, files, checker).filter((id) => id !== name);
  const reads: ts.Expression[] = [];
  const removals: VariablePlan["removals"] = [{ node: statement, what: "declaration" }];
  const accessors = new Map<ts.FunctionDeclaration, "getter" | "setter">();
  for (const use of uses) {
    const fn = enclosingFunctionDeclaration(use);
    const role = fn && accessorRole(fn, symbol, checker);
    if (fn && role) {
      accessors.set(fn, role);
      continue;
    }
    if (isWrite(use)) {
      const write = use.parent.parent;
      if (!ts.isExpressionStatement(write)) return { skip: `\`${name.text}\` is assigned inside an expression at ${positionText(use)}` };
      removals.push({ node: write, what: "write" });
    } else {
      reads.push(use);
    }
  }
  for (const [fn, role] of accessors) {
    removals.push({ node: fn, what: role });
    const fnSymbol = checker.getSymbolAtLocation(fn.name!)!;
    for (const use of referencesTo(fnSymbol, fn.name!.text, files, checker)) {
      if (use === fn.name) continue;
      if (ts.isImportSpecifier(use.parent)) {
        removals.push({ node: use.parent, what: "import" });
        continue;
      }
      const call = use.parent;
      if (!ts.isCallExpression(call) || call.expression !== use) return { skip: `the ${role} ${fn.name!.text} is used as a value at ${positionText(use)}` };
      if (role === "getter") {
        reads.push(call);
      } else if (ts.isExpressionStatement(call.parent)) {
        removals.push({ node: call.parent, what: "setter call" });
      } else {
        return { skip: `the setter ${fn.name!.text} is called inside an expression at ${positionText(use)}` };
      }
    }
  }
  return { declaration, reads, removals: mergeImportRemovals(removals), holdsContext };
}

/**
 * A function declaration that only reads the variable to return it (with guards), or only writes
 * it: `getCurrentTenant()` / `setCurrentTenant(id)`.
 */
function accessorRole(fn: ts.FunctionDeclaration, variable: ts.Symbol, checker: ts.TypeChecker): "getter" | "setter" | undefined {
  if (!fn.name || !fn.body) return undefined;
  const statements = fn.body.statements;
  const refersTo = (e: ts.Node | undefined) => !!e && ts.isIdentifier(e) && checker.getSymbolAtLocation(e) === variable;
  const last = statements[statements.length - 1];
  const guards = statements.slice(0, -1);
  if (last && ts.isReturnStatement(last) && refersTo(last.expression) && guards.every((s) => ts.isIfStatement(s) && !s.elseStatement && isThrow(s.thenStatement))) return "getter";
  const writes = statements.every((s) => ts.isExpressionStatement(s) && ts.isBinaryExpression(s.expression) && s.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken && refersTo(s.expression.left));
  return statements.length > 0 && writes ? "setter" : undefined;
}

function isThrow(statement: ts.Statement): boolean {
  return ts.isThrowStatement(statement) || (ts.isBlock(statement) && statement.statements.length === 1 && ts.isThrowStatement(statement.statements[0]!));
}

function isWrite(id: ts.Identifier): boolean {
  const parent = id.parent;
  return ts.isBinaryExpression(parent) && parent.left === id && parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
}

function enclosingFunctionDeclaration(node: ts.Node): ts.FunctionDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current)) return ts.isFunctionDeclaration(current) && ts.isSourceFile(current.parent) ? current : undefined;
  }
  return undefined;
}

/** Identifiers named `name` in the files that resolve to `symbol` (import aliases resolved). */
function referencesTo(symbol: ts.Symbol, name: string, files: readonly ts.SourceFile[], checker: ts.TypeChecker): ts.Identifier[] {
  const found: ts.Identifier[] = [];
  for (const file of files) {
    if (!file.text.includes(name)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node) && node.text === name) {
        let target = checker.getSymbolAtLocation(node);
        if (target && target.flags & ts.SymbolFlags.Alias) target = checker.getAliasedSymbol(target);
        if (target === symbol) found.push(node);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return found;
}

/** An import specifier whose declaration loses every name is removed as a whole declaration. */
function mergeImportRemovals(removals: VariablePlan["removals"]): VariablePlan["removals"] {
  const specifiers = new Set(removals.filter((r) => ts.isImportSpecifier(r.node)).map((r) => r.node));
  const merged: VariablePlan["removals"] = removals.filter((r) => !ts.isImportSpecifier(r.node));
  const byDeclaration = new Map<ts.ImportDeclaration, ts.ImportSpecifier[]>();
  for (const specifier of specifiers as Set<ts.ImportSpecifier>) {
    const declaration = specifier.parent.parent.parent as ts.ImportDeclaration;
    byDeclaration.set(declaration, [...(byDeclaration.get(declaration) ?? []), specifier]);
  }
  for (const [declaration, removed] of byDeclaration) {
    const all = (declaration.importClause?.namedBindings as ts.NamedImports).elements;
    if (removed.length === all.length && !declaration.importClause?.name) merged.push({ node: declaration, what: "import" });
    else for (const specifier of removed) merged.push({ node: specifier, what: "import" });
  }
  return merged;
}

/**
 * The edit deleting a statement (with its own leading comment lines and line break) or an import
 * specifier (with its separating comma).
 */
function removalOf(node: ts.Node): TextEdit {
  const file = node.getSourceFile();
  const text = file.text;
  if (ts.isImportSpecifier(node)) {
    const list = node.parent.elements;
    const index = list.indexOf(node);
    const next = list[index + 1];
    if (next) return { start: node.getStart(file), end: next.getStart(file), text: "" };
    const previous = list[index - 1]!;
    return { start: previous.getEnd(), end: node.getEnd(), text: "" };
  }
  const ownLines =
    text.slice(lineStart(text, node.getStart(file)), node.getStart(file)).trim() === "" && text.slice(node.getEnd(), lineEndAfter(text, node.getEnd())).trim() === "";
  if (!ownLines) {
    // Shares a line with other code (`{ setTenant(id); await next(); }`): only the statement and the spaces after it go.
    const after = /^[ \t]*/.exec(text.slice(node.getEnd()))![0].length;
    return { start: node.getStart(file), end: node.getEnd() + after, text: "" };
  }
  // Whole lines: from the first line of the statement's own leading comments to the end of its last line.
  const comments = ts.getLeadingCommentRanges(text, node.getFullStart()) ?? [];
  const start = lineStart(text, comments[0]?.pos ?? node.getStart(file));
  let end = lineEndAfter(text, node.getEnd());
  // The blank line that separated it from the next statement goes too, unless it is the last one left.
  const atTop = start === 0 || text.slice(lineStart(text, start - 1), start).trim() === "";
  if (atTop && end < text.length && text.slice(end, lineEndAfter(text, end)).trim() === "") end = lineEndAfter(text, end);
  return { start, end, text: "" };
}

function lineStart(text: string, position: number): number {
  return text.lastIndexOf("\n", position - 1) + 1;
}

/** The position after the line break ending the line that holds `position`. */
function lineEndAfter(text: string, position: number): number {
  const lineBreak = text.indexOf("\n", position);
  return lineBreak === -1 ? text.length : lineBreak + 1;
}

function siteAt(node: ts.Node, file = node.getSourceFile(), start = node.getStart(file)): { file: string; line: number; column: number } {
  const { line, character } = file.getLineAndCharacterOfPosition(start);
  return { file: file.fileName, line: line + 1, column: character + 1 };
}
