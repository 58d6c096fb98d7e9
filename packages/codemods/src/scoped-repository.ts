import path from "node:path";
import { calleeName, getAnalyzer, skipWrappers, typeArguments, type AnalysisContext, type DataAccess } from "@tenant-lint/core";
import { ts } from "@tenant-lint/core";
import type { CodemodOptions, CodemodResult } from "./codemod.js";
import { indentOfLine, type TextEdit } from "./edits.js";
import { addImportEdits, ImportPlan } from "./imports.js";
import { fixableFinding, tenantContextFor, type CallSite, type Planner } from "./scope-queries.js";
import { ContextThreader, RUNTIME_MODULE } from "./threading.js";

/** What happened to one repository class. */
export interface ClassMigration {
  readonly file: string;
  readonly line: number;
  readonly name: string;
  /** `extended`: now `extends TenantScopedRepository`; `kept`: same shape, its queries filtered. */
  readonly status: "extended" | "kept";
  readonly reason?: string;
}



/**
 * `scoped-repository`: every ORM call that `require-tenant-scope` or `require-tenant-on-create`
 * reports gets the tenant filter (or, for creates, the tenant key) from a `TenantContext`
 * threaded up to the request handlers; a class whose queries all concern one entity becomes a
 * `TenantScopedRepository` of it. Nothing is written.
 */
export function scopedRepository(program: ts.Program, options: CodemodOptions, files: readonly ts.SourceFile[]): CodemodResult {
  const analyzer = getAnalyzer(program, options);
  const ctx = analyzer.context;
  const threader = new ContextThreader(ctx, files, options.rootDir);
  type Target = { readonly access: DataAccess; readonly planner: Planner; readonly site: Omit<CallSite, "status">; readonly inScope: ReturnType<typeof tenantContextFor> };
  const targets: Target[] = [];
  const sites: CallSite[] = [];

  for (const sourceFile of files) {
    for (const finding of analyzer.findings(sourceFile, ["require-tenant-scope", "require-tenant-on-create"])) {
      const fixable = fixableFinding(finding, sourceFile, ctx);
      if (!fixable) continue;
      if ("skipped" in fixable) {
        sites.push(fixable.skipped);
        continue;
      }
      const { access } = fixable;
      // The edit's shape does not depend on the value's text: plan with a stand-in to learn whether the call can be fixed at all.
      const feasible = fixable.planner(access, "ctx.tenantId", ctx);
      if ("skip" in feasible) {
        sites.push({ ...fixable.site, status: "skipped", reason: feasible.skip });
        continue;
      }
      const target: Target = { ...fixable, inScope: tenantContextFor(access.node, access, ctx) };
      targets.push(target);
      if ("skip" in target.inScope) threader.need(access.node);
    }
  }
  threader.solve();

  const edits = new Map<string, TextEdit[]>();
  const addEdits = (fileName: string, list: readonly TextEdit[]) => edits.set(fileName, [...(edits.get(fileName) ?? []), ...list]);
  const changedByClass = new Map<ts.ClassDeclaration, DataAccess[]>();
  const threading = threader.edits();
  // One import plan per file for the threading, the query edits (Drizzle's `and`, `eq`) and the base classes.
  const imports = threading.imports;
  const importsFor = (fileName: string) => {
    const plan = imports.get(fileName) ?? new ImportPlan();
    imports.set(fileName, plan);
    return plan;
  };
  for (const target of targets) {
    const { inScope } = target;
    let value: string;
    if (!("skip" in inScope)) {
      value = inScope.valueText;
    } else {
      const threaded = threader.contextAt(target.access.node);
      if ("skip" in threaded) {
        sites.push({ ...target.site, status: "skipped", reason: threaded.skip });
        continue;
      }
      value = `${threaded.text}.tenantId`;
    }
    const plan = target.planner(target.access, value, ctx);
    if ("skip" in plan) {
      sites.push({ ...target.site, status: "skipped", reason: plan.skip });
      continue;
    }
    addEdits(target.site.file, plan.edits);
    for (const need of plan.imports ?? []) importsFor(target.site.file).add(need.module, need.name);
    sites.push({ ...target.site, status: "changed", inserted: plan.edits.map((e) => e.text) });
    const cls = enclosingClass(target.access.node);
    if (cls) changedByClass.set(cls, [...(changedByClass.get(cls) ?? []), target.access]);
  }

  for (const [fileName, list] of threading.edits) addEdits(fileName, list);
  const classes: ClassMigration[] = [];
  for (const [cls, changed] of changedByClass) {
    const file = cls.getSourceFile();
    const base = { file: file.fileName, line: file.getLineAndCharacterOfPosition(cls.getStart(file)).line + 1, name: cls.name?.text ?? "(anonymous class)" };
    const plan = planBaseClass(cls, changed, ctx, program);
    if ("skip" in plan) {
      classes.push({ ...base, status: "kept", reason: plan.skip });
      continue;
    }
    addEdits(file.fileName, plan.edits);
    for (const [specifier, name, typeOnly] of plan.imports) importsFor(file.fileName).add(specifier, name, typeOnly);
    classes.push({ ...base, status: "extended" });
  }
  addImportEdits(imports, edits, program);
  return { edits, sites, functions: threading.functions, classes, failures: analyzer.failures };
}

function enclosingClass(node: ts.Node): ts.ClassDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isClassDeclaration(current)) return current;
  }
  return undefined;
}

type BasePlan = { readonly edits: TextEdit[]; readonly imports: [specifier: string, name: string, typeOnly: boolean][] } | { readonly skip: string };

/** Members of TenantScopedRepository (public, protected and private) a subclass must not redeclare. */
const BASE_MEMBERS = new Set(["adapter", "tenantKey", "listForTenant", "getForTenant", "createForTenant", "updateForTenant", "deleteForTenant", "listAcrossTenants", "scopeOf", "checked", "checkedOne", "assertInScope"]);
const ADAPTERS = { prisma: "prismaTenantAdapter", typeorm: "typeormTenantAdapter", drizzle: "drizzleTenantAdapter", knex: "knexTenantAdapter" } as const;

/**
 * Makes `cls` extend `TenantScopedRepository` over the one entity its queries touch: the adapter
 * is built in `super(...)` from what the queries use (constructor parameters or module-level
 * handles), so the constructor's signature does not change.
 */
function planBaseClass(cls: ts.ClassDeclaration, changed: readonly DataAccess[], ctx: AnalysisContext, program: ts.Program): BasePlan {
  if (cls.heritageClauses?.some((c) => c.token === ts.SyntaxKind.ExtendsKeyword)) return { skip: "the class already extends another class" };
  const accesses = accessesIn(cls, ctx);
  const entities = [...new Set(accesses.map((a) => `${a.orm} ${a.entity.name}`))];
  if (entities.length > 1) return { skip: `the class queries several entities (${entities.map((e) => e.split(" ")[1]).join(", ")}); a TenantScopedRepository serves one` };
  const access = changed[0]!;
  const orm = access.orm;
  if (!(orm in ADAPTERS)) return { skip: `there is no TenantScopedRepository adapter for ${orm}` };
  const clash = cls.members.find((m) => m.name && BASE_MEMBERS.has(m.name.getText()));
  if (clash) return { skip: `the class has a member named \`${clash.name!.getText()}\`, which TenantScopedRepository declares` };
  const key = access.entity.tenantKeys[0]!;
  const options = key === "tenantId" ? "" : `, { tenantKey: ${JSON.stringify(key)} }`;
  const file = cls.getSourceFile();
  const constructorDecl = cls.members.find(ts.isConstructorDeclaration);
  let adapter: { readonly call: string; readonly types: string; readonly imports: [string, string, boolean][] } | { readonly skip: string } = { skip: "no query of the class shows how to reach the table" };
  for (const candidate of accesses) {
    adapter = adapterFor(candidate, options, constructorDecl, ctx, program);
    if (!("skip" in adapter)) break;
  }
  if ("skip" in adapter) return adapter;
  const edits: TextEdit[] = [];
  const nameEnd = cls.typeParameters ? cls.typeParameters.end + 1 : cls.name!.getEnd();
  edits.push({ start: nameEnd, end: nameEnd, text: ` extends TenantScopedRepository<${adapter.types}>` });
  const superCall = `super(${adapter.call});`;
  const unit = indentUnit(file);
  if (constructorDecl?.body) {
    const body = constructorDecl.body;
    const first = body.statements[0];
    const open = body.getStart(file) + 1;
    const indent = first ? indentOfLine(file.text, first.getStart(file)) : indentOfLine(file.text, constructorDecl.getStart(file)) + unit;
    const closingIndent = indentOfLine(file.text, constructorDecl.getStart(file));
    edits.push(
      first || file.text.slice(open, body.getEnd() - 1).includes("\n")
        ? { start: open, end: open, text: `\n${indent}${superCall}` }
        : { start: open, end: body.getEnd() - 1, text: `\n${indent}${superCall}\n${closingIndent}` },
    );
  } else {
    const open = cls.members.pos; // just after the class body's `{`
    const memberIndent = cls.members[0] ? indentOfLine(file.text, cls.members[0].getStart(file)) : indentOfLine(file.text, cls.getStart(file)) + unit;
    edits.push({ start: open, end: open, text: `\n${memberIndent}constructor() {\n${memberIndent}${unit}${superCall}\n${memberIndent}}\n` });
  }
  return { edits, imports: [[RUNTIME_MODULE, "TenantScopedRepository", false], [`${RUNTIME_MODULE}/${orm}`, ADAPTERS[orm as keyof typeof ADAPTERS], false], ...adapter.imports] };
}

/** Every ORM access written in the class (scoped or not). */
function accessesIn(cls: ts.ClassDeclaration, ctx: AnalysisContext): DataAccess[] {
  const found: DataAccess[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const access = ctx.accessOf(node);
      if (access) found.push(access);
    }
    ts.forEachChild(node, visit);
  };
  visit(cls);
  return found;
}

/** The adapter expression for `super(...)` and the repository's type arguments, from one access. */
function adapterFor(
  access: DataAccess,
  options: string,
  constructorDecl: ts.ConstructorDeclaration | undefined,
  ctx: AnalysisContext,
  program: ts.Program,
): { call: string; types: string; imports: [string, string, boolean][] } | { skip: string } {
  const file = access.node.getSourceFile();
  const handle = (expr: ts.Expression) => constructorSafeText(expr, constructorDecl, ctx.checker);
  const chain = callChain(access.node);
  switch (access.orm) {
    case "prisma": {
      const delegate = chain[0] && receiverOf(chain[0]);
      if (!delegate) return { skip: "the Prisma call has no model delegate" };
      const text = handle(delegate);
      if ("skip" in text) return text;
      const row = prismaModelType(access.entity.name, file, program, ctx.checker);
      if (!row) return { skip: `the Prisma model type ${access.entity.name} cannot be imported here` };
      return { call: `${ADAPTERS.prisma}<${row.name}>(${text.text}${options})`, types: row.name, imports: row.import ? [[row.import, row.name, true]] : [] };
    }
    case "typeorm": {
      const call = chain[0];
      const receiver = call && receiverOf(call);
      if (!call || !receiver) return { skip: "the TypeORM call has no repository" };
      const receiverType = typeName(ctx.checker.getTypeAtLocation(receiver));
      let repository: ts.Expression | string = receiver;
      let entity: ts.Type | undefined;
      if (receiverType === "Repository") {
        entity = typeArguments(ctx.checker, ctx.checker.getTypeAtLocation(receiver))[0];
      } else if ((receiverType === "EntityManager" || receiverType === "DataSource") && call.arguments[0]) {
        const text = handle(receiver);
        if ("skip" in text) return text;
        repository = `${text.text}.getRepository(${call.arguments[0].getText(file)})`;
        entity = ctx.checker.getTypeAtLocation(call.arguments[0]);
      } else {
        return { skip: "the TypeORM query does not go through a Repository or EntityManager" };
      }
      const text = typeof repository === "string" ? { text: repository } : handle(repository);
      if ("skip" in text) return text;
      const entitySymbol = entity?.getSymbol();
      const row = entitySymbol && importableSymbol(entitySymbol, file, program, ctx.checker);
      if (!row) return { skip: `the entity type ${access.entity.name} cannot be imported here` };
      return { call: `${ADAPTERS.typeorm}(${text.text}${options})`, types: row.name, imports: row.import ? [[row.import, row.name, true]] : [] };
    }
    case "drizzle": {
      const root = chain[chain.length - 1];
      const fromCall = chain.find((c) => ["from", "insert", "update", "delete"].includes(calleeName(c) ?? ""));
      const table = fromCall?.arguments[0];
      const db = fromCall && ["insert", "update", "delete"].includes(calleeName(fromCall) ?? "") ? receiverOf(fromCall) : root && receiverOf(root);
      if (!table || !db) return { skip: "the Drizzle query does not name its table and database" };
      const dbText = handle(db);
      const tableText = handle(table);
      if ("skip" in dbText) return dbText;
      if ("skip" in tableText) return tableText;
      const t = tableText.text;
      return { call: `${ADAPTERS.drizzle}(${dbText.text}, ${t}${options})`, types: `typeof ${t}.$inferSelect, typeof ${t}.$inferInsert, Partial<typeof ${t}.$inferInsert>`, imports: [] };
    }
    case "knex": {
      const root = chain[chain.length - 1];
      if (!root) return { skip: "the Knex query has no root call" };
      const rootName = calleeName(root);
      const viaMethod = rootName === "from" || rootName === "table" || rootName === "into";
      const db = viaMethod ? receiverOf(root) : root.expression;
      const table = root.arguments[0];
      if (!db || !table || !ts.isStringLiteralLike(table)) return { skip: "the Knex query's table is not a string literal" };
      const dbText = handle(db);
      if ("skip" in dbText) return dbText;
      const row = knexRowType(root, file, program, ctx.checker);
      return { call: `${ADAPTERS.knex}<${row.name}>(${dbText.text}, ${JSON.stringify(table.text)}${options})`, types: row.name, imports: row.import ? [[row.import, row.name, true]] : [] };
    }
  }
  return { skip: `there is no TenantScopedRepository adapter for ${access.orm}` };
}

/**
 * The row type of a Knex query: its type argument as written (`knex<OrderRow>("orders")`), else
 * the record type the builder has (from the `Tables` augmentation), imported where it is declared,
 * else any record.
 */
function knexRowType(root: ts.CallExpression, file: ts.SourceFile, program: ts.Program, checker: ts.TypeChecker): Importable {
  const written = root.typeArguments?.[0];
  if (written) return { name: written.getText(file) };
  const record = typeArguments(checker, checker.getTypeAtLocation(root))[0];
  const symbol = record?.aliasSymbol ?? record?.getSymbol();
  const importable = symbol && symbol.getName() !== "__type" && importableSymbol(symbol, file, program, checker);
  return importable || { name: "Record<string, unknown>" };
}

/**
 * The text of `expr` as it can be written in the constructor before `this` exists: `this.db`
 * becomes the constructor's parameter property `db`; module-level names stay as they are.
 */
function constructorSafeText(expr: ts.Expression, constructorDecl: ts.ConstructorDeclaration | undefined, checker: ts.TypeChecker): { text: string } | { skip: string } {
  const file = expr.getSourceFile();
  let ok = true;
  let reason = "";
  const replacements: TextEdit[] = [];
  const visit = (node: ts.Node): void => {
    if (!ok) return;
    if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword) {
      const parameter = constructorParameterFor(node.name.text, constructorDecl);
      if (!parameter) {
        ok = false;
        reason = `the ORM handle \`this.${node.name.text}\` is not set from a constructor parameter, so super(...) cannot reach it`;
        return;
      }
      replacements.push({ start: node.getStart(file), end: node.getEnd(), text: parameter });
      return;
    }
    if (node.kind === ts.SyntaxKind.ThisKeyword) {
      ok = false;
      reason = "the ORM handle uses `this`";
      return;
    }
    if (ts.isIdentifier(node) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) {
      const declaration = checker.getSymbolAtLocation(node)?.declarations?.[0];
      const moduleLevel = declaration && (ts.isSourceFile(declaration.parent) || ts.isImportClause(declaration) || ts.isImportSpecifier(declaration) || ts.isNamespaceImport(declaration) || isModuleLevelVariable(declaration));
      const isParameter = declaration && constructorDecl && ts.isParameter(declaration) && declaration.parent === constructorDecl;
      if (!moduleLevel && !isParameter) {
        ok = false;
        reason = `the ORM handle \`${node.text}\` is declared inside a method, so super(...) cannot reach it`;
      }
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(expr);
  if (!ok) return { skip: reason };
  let text = expr.getText(file);
  const offset = expr.getStart(file);
  for (const r of [...replacements].sort((a, b) => b.start - a.start)) text = text.slice(0, r.start - offset) + r.text + text.slice(r.end - offset);
  return { text };
}

/**
 * The constructor parameter that `this.<property>` holds: a parameter property, or a parameter
 * assigned to it at the top of the constructor (`this.db = db;`).
 */
function constructorParameterFor(property: string, constructorDecl: ts.ConstructorDeclaration | undefined): string | undefined {
  if (!constructorDecl) return undefined;
  const parameterNames = new Set(constructorDecl.parameters.flatMap((p) => (ts.isIdentifier(p.name) ? [p.name.text] : [])));
  const asProperty = constructorDecl.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === property && ts.isParameterPropertyDeclaration(p, constructorDecl));
  if (asProperty) return property;
  for (const statement of constructorDecl.body?.statements ?? []) {
    if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression)) continue;
    const { left, operatorToken, right } = statement.expression;
    if (operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isPropertyAccessExpression(left) || left.expression.kind !== ts.SyntaxKind.ThisKeyword) continue;
    if (left.name.text === property && ts.isIdentifier(right) && parameterNames.has(right.text)) return right.text;
  }
  return undefined;
}

function isModuleLevelVariable(declaration: ts.Declaration): boolean {
  return ts.isVariableDeclaration(declaration) && ts.isVariableDeclarationList(declaration.parent) && ts.isVariableStatement(declaration.parent.parent) && ts.isSourceFile(declaration.parent.parent.parent);
}

/** The calls of a chain, outermost first: `a.b().c()` gives `[c(), b()]`. */
function callChain(node: ts.Expression): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  let current: ts.Expression = node;
  for (;;) {
    current = skipWrappers(current);
    if (!ts.isCallExpression(current)) break;
    calls.push(current);
    const callee = skipWrappers(current.expression);
    if (!ts.isPropertyAccessExpression(callee)) break;
    current = callee.expression;
  }
  return calls;
}

function receiverOf(call: ts.CallExpression): ts.Expression | undefined {
  const callee = skipWrappers(call.expression);
  return ts.isPropertyAccessExpression(callee) ? callee.expression : undefined;
}

function typeName(type: ts.Type): string | undefined {
  return (type.aliasSymbol ?? type.getSymbol())?.getName();
}

interface Importable {
  readonly name: string;
  /** The module specifier to import it from; absent when the name is already in scope. */
  readonly import?: string;
}

/** How to name a type symbol in `file`: in scope already, or imported the way another file of the program imports it. */
function importableSymbol(symbol: ts.Symbol, file: ts.SourceFile, program: ts.Program, checker: ts.TypeChecker): Importable | undefined {
  const name = symbol.getName();
  const target = resolveAlias(checker, symbol);
  const inScope = checker.getSymbolsInScope(file, ts.SymbolFlags.Type | ts.SymbolFlags.Value | ts.SymbolFlags.Alias).find((s) => s.getName() === name);
  if (inScope) return resolveAlias(checker, inScope) === target ? { name } : undefined;
  for (const other of program.getSourceFiles()) {
    if (other.isDeclarationFile) continue;
    for (const statement of other.statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
      const bindings = statement.importClause?.namedBindings;
      if (!bindings || !ts.isNamedImports(bindings)) continue;
      for (const element of bindings.elements) {
        if ((element.propertyName ?? element.name).text !== name) continue;
        const imported = checker.getSymbolAtLocation(element.name);
        if (imported && resolveAlias(checker, imported) === target) return { name, import: rebaseSpecifier(statement.moduleSpecifier.text, other, file) };
      }
    }
  }
  const declaring = target.declarations?.[0]?.getSourceFile();
  if (declaring && !declaring.isDeclarationFile && !program.isSourceFileFromExternalLibrary(declaring)) return { name, import: relativeSpecifier(file, declaring) };
  return undefined;
}

/**
 * The Prisma model type `name`, imported from a module the program already imports the client
 * from (the generated client, `@prisma/client`): the file's own imports first.
 */
function prismaModelType(name: string, file: ts.SourceFile, program: ts.Program, checker: ts.TypeChecker): Importable | undefined {
  const importers = [file, ...program.getSourceFiles().filter((f) => f !== file && !f.isDeclarationFile)];
  for (const importer of importers) {
    for (const statement of importer.statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
      const moduleSymbol = checker.getSymbolAtLocation(statement.moduleSpecifier);
      if (!moduleSymbol) continue;
      const exports = checker.getExportsOfModule(moduleSymbol).map((s) => s.getName());
      if (!exports.includes("PrismaClient") || !exports.includes(name)) continue;
      const specifier = rebaseSpecifier(statement.moduleSpecifier.text, importer, file);
      const alreadyImported = file.statements.some(
        (s) => ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && s.moduleSpecifier.text === specifier && importsName(s, name),
      );
      return alreadyImported ? { name } : { name, import: specifier };
    }
  }
  return undefined;
}

function importsName(declaration: ts.ImportDeclaration, name: string): boolean {
  const bindings = declaration.importClause?.namedBindings;
  return !!bindings && ts.isNamedImports(bindings) && bindings.elements.some((e) => e.name.text === name && (e.propertyName ?? e.name).text === name);
}

function resolveAlias(checker: ts.TypeChecker, symbol: ts.Symbol): ts.Symbol {
  return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

/** A module specifier written in `from`, rewritten for `to` (relative paths are re-based; package names stay). */
function rebaseSpecifier(specifier: string, from: ts.SourceFile, to: ts.SourceFile): string {
  if (!specifier.startsWith(".")) return specifier;
  return dotted(path.posix.relative(path.posix.dirname(to.fileName), path.posix.join(path.posix.dirname(from.fileName), specifier)));
}

/** A relative specifier from `from` to `to`, with `.js` when `from`'s relative imports use it (or it has none). */
function relativeSpecifier(from: ts.SourceFile, to: ts.SourceFile): string {
  const usesJs = /from\s+["']\.{1,2}\/[^"']+\.js["']/.test(from.text) || !/from\s+["']\.{1,2}\//.test(from.text);
  const withoutExtension = to.fileName.replace(/\.(d\.)?[mc]?tsx?$/, "");
  return dotted(path.posix.relative(path.posix.dirname(from.fileName), withoutExtension + (usesJs ? ".js" : "")));
}

function dotted(relative: string): string {
  return relative.startsWith(".") ? relative : `./${relative}`;
}

function indentUnit(file: ts.SourceFile): string {
  let smallest = Infinity;
  // Lines starting with `*` continue block comments, indented by one space.
  for (const match of file.text.matchAll(/\n( +|\t+)[^\s*]/g)) {
    if (match[1]!.startsWith("\t")) return "\t";
    smallest = Math.min(smallest, match[1]!.length);
  }
  return " ".repeat(smallest === Infinity ? 2 : smallest);
}
