import { getAnalyzer, typeArguments, type AnalysisContext, type DataAccess, type Finding, type TenantLintConfig } from "@tenant-lint/core";
import { ts } from "@tenant-lint/core";
import { indentOfLine, type TextEdit } from "./edits.js";
import { ImportPlan } from "./imports.js";

/** The tenant context visible at a call: `ctx` and the property that holds its tenant id. */
export interface TenantContextInScope {
  /** The variable or parameter, e.g. `ctx`. */
  readonly name: string;
  /** The context's tenant property, e.g. `tenantId`. */
  readonly property: string;
  /** The tenant value to filter with, e.g. `ctx.tenantId`. */
  readonly valueText: string;
}

/**
 * One call site `require-tenant-scope` reports as unscoped, or `require-tenant-on-create` as
 * creating rows without the tenant key, and what the codemod did with it.
 */
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

/** A named import the edits of a plan rely on, e.g. `and` from `drizzle-orm`. */
export interface RequiredImport {
  readonly module: string;
  readonly name: string;
}

/**
 * The fix for one access: insertions into its source file, plus the named imports they use
 * (add those through one `ImportPlan` per file, which merges the needs of every plan in the file
 * into the file's existing imports), or why the call is skipped.
 */
export type Plan = { readonly edits: TextEdit[]; readonly imports?: readonly RequiredImport[] } | { readonly skip: string };

export type Planner = (access: DataAccess, tenantValueText: string, ctx: AnalysisContext) => Plan;

/** The finding each planner fixes. */
const PLANNERS: Readonly<Record<string, Planner>> = {
  missingTenantScope: planScopeFix,
  missingTenantOnCreate: planCreateFix,
};

/**
 * A finding a tenant fix addresses (a missing filter, a create without the key) with its ORM
 * access, where it is and the planner that fixes it; a skipped site when the finding's call is not
 * an access the codemods can read; undefined for other findings.
 */
export function fixableFinding(
  finding: Finding,
  sourceFile: ts.SourceFile,
  ctx: AnalysisContext,
): { readonly access: DataAccess; readonly planner: Planner; readonly site: Omit<CallSite, "status"> } | { readonly skipped: CallSite } | undefined {
  const planner = PLANNERS[finding.messageId];
  if (!planner) return undefined;
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(finding.start);
  const at = { file: sourceFile.fileName, line: line + 1, column: character + 1 };
  const access = finding.node && ts.isCallExpression(finding.node) ? ctx.accessOf(finding.node) : undefined;
  if (!access) {
    return { skipped: { ...at, orm: "?", entity: finding.data.entity ?? "?", method: "?", status: "skipped", reason: "the call is not an ORM call the codemod understands" } };
  }
  return { access, planner, site: { ...at, orm: access.orm, entity: access.entity.name, method: access.method } };
}

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
    const fileEdits: TextEdit[] = [];
    const imports = new ImportPlan();
    for (const finding of analyzer.findings(sourceFile, ["require-tenant-scope", "require-tenant-on-create"])) {
      const fixable = fixableFinding(finding, sourceFile, ctx);
      if (!fixable) continue;
      if ("skipped" in fixable) {
        sites.push(fixable.skipped);
        continue;
      }
      const { access, planner, site: base } = fixable;
      const context = tenantContextFor(access.node, access, ctx);
      const plan: Plan = "skip" in context ? context : planner(access, context.valueText, ctx);
      if ("skip" in plan) {
        sites.push({ ...base, status: "skipped", reason: plan.skip });
        continue;
      }
      fileEdits.push(...plan.edits);
      for (const need of plan.imports ?? []) imports.add(need.module, need.name);
      sites.push({ ...base, status: "changed", inserted: plan.edits.map((e) => e.text) });
    }
    fileEdits.push(...imports.edits(sourceFile));
    if (fileEdits.length) edits.set(sourceFile.fileName, fileEdits);
  }
  return { edits, sites, failures: analyzer.failures };
}

/**
 * The same fix as an ESLint suggestion: text edits (offsets into the access's source file) that
 * make `access` filter on its tenant key with `tenantValueText` (e.g. `ctx.tenantId`, see
 * {@link tenantContextFor}), imports included, or `undefined` when the call cannot be fixed
 * mechanically. Pure: reads the syntax tree only.
 */
export function scopeFixFor(access: DataAccess, tenantValueText: string, ctx: AnalysisContext): { range: [number, number]; text: string }[] | undefined {
  const plan = planScopeFix(access, tenantValueText, ctx);
  if ("skip" in plan) return undefined;
  const imports = new ImportPlan();
  for (const need of plan.imports ?? []) imports.add(need.module, need.name);
  return [...plan.edits, ...imports.edits(access.node.getSourceFile())].map((e) => ({ range: [e.start, e.end], text: e.text }));
}

const SCOPE_PLANNERS: Readonly<Record<string, (access: DataAccess, key: string, value: string, ctx: AnalysisContext) => Plan>> = {
  prisma: (access, key, value, ctx) => planCriteria(access, key, value, ctx, 0),
  knex: (access, key, value) => planKnex(access, key, value),
  typeorm: planTypeorm,
  drizzle: planDrizzle,
};

/**
 * The edits that make a read, update or delete filter on its tenant key, or why it is skipped.
 * Pure: reads the syntax tree and types only.
 */
export function planScopeFix(access: DataAccess, tenantValueText: string, ctx: AnalysisContext): Plan {
  const planner = SCOPE_PLANNERS[access.orm];
  if (!planner) return { skip: `${access.orm} is not supported by scope-queries yet` };
  const key = access.entity.tenantKeys[0];
  if (!key) return { skip: `${access.entity.name} has a tenant relation but no tenant key property to filter on` };
  return planner(access, key, tenantValueText, ctx);
}

/**
 * The edits that make a create set the tenant key: `<key>: <value>` as the first property of
 * each created object literal (Prisma `data`, Knex `insert`, TypeORM `save`/`insert`/`create`,
 * Drizzle `values`), or why it is skipped. Pure: reads the syntax tree and types only.
 */
export function planCreateFix(access: DataAccess, tenantValueText: string, ctx: AnalysisContext): Plan {
  if (access.operation === "upsert") {
    return { skip: `${access.method}() also updates the rows its values match: add the key to the values (and the conflict target) by hand` };
  }
  if (access.operation !== "create") return { skip: `${access.method}() creates no rows` };
  // The ORMs the scope fix supports, whose create forms are tested too.
  if (!Object.hasOwn(SCOPE_PLANNERS, access.orm)) return { skip: `${access.orm} is not supported by scope-queries yet` };
  const key = access.entity.tenantKeys[0];
  if (!key) return { skip: `${access.entity.name} has a tenant relation but no tenant key property to set` };
  const sourceFile = access.node.getSourceFile();
  const scope = ts.findAncestor(access.node.parent, ts.isFunctionLike);
  const rows = access.created.flatMap((value) => {
    const e = skip(value);
    return ts.isArrayLiteralExpression(e) ? [...e.elements] : [value];
  });
  const edits: TextEdit[] = [];
  for (const row of rows) {
    // The core describes `const row = new Invoice(); row.name = n;` by a synthesized literal.
    if (row.pos < 0) return { skip: "the row is built by assigning its members one by one: set the key where it is built" };
    const literal = skip(row);
    const mapped = mappedObjectLiteral(literal);
    if (mapped) {
      const blocker = keyBlocker(mapped, key, "the mapped row", ctx);
      if (blocker) return { skip: blocker };
      edits.push(insertProperty(mapped, `${propertyName(key)}: ${tenantValueText}`, sourceFile));
      continue;
    }
    if (!ts.isObjectLiteralExpression(literal)) {
      const wrapped = wrapCreatedValue(access, row, key, tenantValueText, ctx);
      if ("skip" in wrapped) return wrapped;
      edits.push(wrapped.edit);
      continue;
    }
    // A row written in another function (a module-level `const` handed to `save`) cannot see the context.
    if (scope && (literal.pos < scope.pos || literal.end > scope.end)) {
      return { skip: "the created row is written outside the function of the call: set the key where it is built" };
    }
    const blocker = keyBlocker(literal, key, "the created row", ctx);
    if (blocker) return { skip: blocker };
    edits.push(insertProperty(literal, `${propertyName(key)}: ${tenantValueText}`, sourceFile));
  }
  if (edits.length === 0) return { skip: "the call creates no rows written in the call" };
  return { edits };
}

/** The object literal a `list.map((x) => ({ ... }))` callback returns, for rows built by mapping. */
function mappedObjectLiteral(expr: ts.Expression): ts.ObjectLiteralExpression | undefined {
  if (!ts.isCallExpression(expr) || !ts.isPropertyAccessExpression(expr.expression) || expr.expression.name.text !== "map") return undefined;
  const callback = expr.arguments[0];
  if (!callback || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) return undefined;
  const body = ts.isArrowFunction(callback) && !ts.isBlock(callback.body) ? skip(callback.body) : undefined;
  return body && ts.isObjectLiteralExpression(body) ? body : undefined;
}

/**
 * A created row passed as a value (`data: input`, `insert(rows)`): a copy with the key set after
 * the value's own properties, so the context's tenant wins over any the value carries —
 * `{ ...input, tenantId: ctx.tenantId }`, or for a list `rows.map((row) => ({ ...row, ... }))`.
 * Not for TypeORM `save()`, which writes generated columns back into the object it is given, nor
 * for class instances, whose prototype a spread drops.
 */
function wrapCreatedValue(access: DataAccess, row: ts.Expression, key: string, value: string, ctx: AnalysisContext): { edit: TextEdit } | { skip: string } {
  const notLiteral = { skip: `the created value \`${codeOf(row)}\` is not an object literal` };
  if (access.orm === "typeorm" && access.method === "save") return notLiteral;
  const type = ctx.checker.getTypeAtLocation(row);
  const isList = ctx.checker.isArrayType(type) || ctx.checker.isTupleType(type);
  const element = isList ? typeArguments(ctx.checker, type)[0] : type;
  if (!element || element.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown) || !(element.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection))) return notLiteral;
  if (element.getSymbol() && (element.getSymbol()!.flags & ts.SymbolFlags.Class) !== 0) return { skip: `the created value \`${codeOf(row)}\` is a class instance: set ${key} on it where it is built` };
  const text = row.getText();
  const property = `${propertyName(key)}: ${value}`;
  const needsParentheses = !(ts.isIdentifier(row) || ts.isPropertyAccessExpression(row) || ts.isCallExpression(row) || ts.isElementAccessExpression(row));
  const copy = isList ? `${needsParentheses ? `(${text})` : text}.map((row) => ({ ...row, ${property} }))` : `{ ...${needsParentheses ? `(${text})` : text}, ${property} }`;
  return { edit: { start: row.getStart(), end: row.getEnd(), text: copy } };
}

// ---------------------------------------------------------------------------------------------
// Criteria objects: Prisma and TypeORM

/**
 * The key goes into the criteria object the call passes (`where: {...}`, `findOneBy({...})`,
 * `update({ id }, patch)`; into every element of a TypeORM `where: [a, b]`, which means "any
 * of"), or, for calls that take find options at `optionsIndex`, into a new `where` option.
 */
function planCriteria(access: DataAccess, key: string, value: string, ctx: AnalysisContext, optionsIndex: number | undefined): Plan {
  const sourceFile = access.node.getSourceFile();
  const property = `${propertyName(key)}: ${value}`;
  const objectParts = access.filters.filter((p) => p.kind === "object");
  if (objectParts.length > 1 || access.filters.length !== objectParts.length) return { skip: "the filter is not a single where object" };
  const where = objectParts[0];
  if (where) return insertIntoCriteria(where.expr, access, key, property, ctx);
  if (optionsIndex === undefined) return { skip: `${access.method}() is called without where criteria to add ${key} to` };
  if (!ts.isCallExpression(access.node)) return { skip: "the query is not a call" };
  const call = access.node;
  const options = call.arguments[optionsIndex];
  if (!options) {
    // `findMany()` -> `findMany({ where })`, `manager.find(Invoice)` -> `manager.find(Invoice, { where })`.
    if (optionsIndex > call.arguments.length) return { skip: "the call's options are not where the codemod expects them" };
    const previous = call.arguments[optionsIndex - 1];
    const at = previous ? previous.getEnd() : call.arguments.pos;
    return { edits: [{ start: at, end: at, text: `${previous ? ", " : ""}{ where: { ${property} } }` }] };
  }
  const literal = skip(options);
  if (!ts.isObjectLiteralExpression(literal)) return { skip: "the call's options are not an object literal" };
  if (literal.properties.some(ts.isSpreadAssignment)) {
    return { skip: "the call's options contain a spread, which may already set where" };
  }
  if (propertyNamed(literal, "where")) return { skip: "the call's where option is not an object literal" };
  return { edits: [insertProperty(literal, `where: { ${property} }`, sourceFile)] };
}

function insertIntoCriteria(expr: ts.Expression, access: DataAccess, key: string, property: string, ctx: AnalysisContext): Plan {
  const sourceFile = access.node.getSourceFile();
  const e = skip(expr);
  const isArray = ts.isArrayLiteralExpression(e);
  const elements = isArray ? e.elements : [e];
  if (elements.length === 0) return { skip: "the where array is empty: it matches no row and has no element to add the key to" };
  const what = isArray ? "an element of the where array" : "the where object";
  const edits: TextEdit[] = [];
  for (const element of elements) {
    const local = localObjectOf(element, access, ctx);
    if (local) {
      const blocker = keyBlocker(local, key, what, ctx);
      if (blocker) return { skip: blocker };
      edits.push(insertProperty(local, property, sourceFile));
      continue;
    }
    const literal = skip(element);
    if (!ts.isObjectLiteralExpression(literal)) {
      return { skip: isArray ? "an element of the where array is not an object literal" : "the where filter is not an object literal" };
    }
    if (literal.getStart(sourceFile) < access.node.getStart(sourceFile) || literal.getEnd() > access.node.getEnd()) {
      return { skip: "the where object is declared outside the call and may be shared: scope it where it is built" };
    }
    const blocker = keyBlocker(literal, key, what, ctx);
    if (blocker) return { skip: blocker };
    edits.push(insertProperty(literal, property, sourceFile));
  }
  return { edits };
}

/**
 * The object literal a criteria variable is initialised with (`const where = { ... };` then
 * `find({ where })`), when it is declared in the call's function and used by this call only
 * (mutations such as `where.status = s` aside): the key can go there without scoping any other query.
 */
function localObjectOf(expr: ts.Expression, access: DataAccess, ctx: AnalysisContext): ts.ObjectLiteralExpression | undefined {
  const e = skip(expr);
  if (!ts.isIdentifier(e)) return undefined;
  const symbol = ts.isShorthandPropertyAssignment(e.parent) ? ctx.checker.getShorthandAssignmentValueSymbol(e.parent) : ctx.checker.getSymbolAtLocation(e);
  const declaration = symbol?.valueDeclaration;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  const literal = skip(declaration.initializer);
  const fn = ts.findAncestor(access.node, ts.isFunctionLike);
  if (!ts.isObjectLiteralExpression(literal) || !fn || ts.findAncestor(declaration, ts.isFunctionLike) !== fn) return undefined;
  let otherUses = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node !== e && node !== declaration.name && node.text === e.text && ctx.checker.getSymbolAtLocation(node) === symbol) {
      const isMemberWrite = ts.isPropertyAccessExpression(node.parent) && ts.isBinaryExpression(node.parent.parent) && node.parent.parent.left === node.parent;
      if (!isMemberWrite) otherUses++;
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return otherUses === 0 ? literal : undefined;
}

/**
 * Why `key: value` cannot go first in an object literal (a where object, a created row), if it
 * cannot: the literal already sets the key, or spreads values that may carry it and would
 * replace the inserted one.
 */
function keyBlocker(literal: ts.ObjectLiteralExpression, key: string, what: string, ctx: AnalysisContext): string | undefined {
  if (propertyNamed(literal, key)) return `${what} already sets ${key}`;
  for (const property of literal.properties) {
    if (ts.isSpreadAssignment(property) && mayCarryTenant(ctx.checker.getTypeAtLocation(property.expression), key, ctx)) {
      return `${what} spreads \`${codeOf(property.expression)}\`, which may carry ${key}`;
    }
  }
  return undefined;
}

/** Whether values of this type may hold the key, another tenant key or a tenant relation. */
function mayCarryTenant(type: ts.Type, key: string, ctx: AnalysisContext): boolean {
  const parts = type.isUnion() ? type.types : [type];
  return parts.some(
    (part) =>
      (part.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0 ||
      ctx.checker.getPropertiesOfType(part).some((p) => p.getName() === key || ctx.isTenantKey(p.getName()) || ctx.isTenantRelationName(p.getName())),
  );
}

// ---------------------------------------------------------------------------------------------
// Knex

function planKnex(access: DataAccess, column: string, value: string): Plan {
  const sourceFile = access.node.getSourceFile();
  const chain = methodChainOf(access.node);
  if (chain.links.some((link) => /^or[A-Z]/.test(link.name))) {
    return { skip: "the chain has an or-where: a where added at the root would not constrain every branch" };
  }
  // The root is `knex("t")`, or `knex.from("t")`: then the where goes after the `from` call.
  const root = ts.isCallExpression(chain.root) ? chain.root : chain.links[0]?.call;
  const table = root?.arguments[0];
  if (!root || !table) return { skip: "the query's root is not knex(\"table\")" };
  const quote = ts.isStringLiteral(table) && table.getText(sourceFile).startsWith("'") ? "'" : '"';
  // With joins, an unqualified column could be any joined table's: qualify it by the query's table (or alias).
  const joins = chain.links.some((link) => /join$/i.test(link.name));
  const tableName = ts.isStringLiteralLike(table) ? table.text.split(/\s+as\s+/i).at(-1)!.trim() : undefined;
  const qualified = joins && tableName ? `${tableName}.${column}` : column;
  const text = `.where(${quote}${qualified}${quote}, ${value})`;
  return { edits: [{ start: root.getEnd(), end: root.getEnd(), text }] };
}

// ---------------------------------------------------------------------------------------------
// TypeORM

/** Methods taking `FindOptions` (filtered by their `where` option), which a missing `where` can be added to. */
const TYPEORM_FIND_OPTIONS_METHODS = new Set(["find", "findAndCount", "count", "exists", "exist", "findOne", "findOneOrFail"]);
const TYPEORM_BUILDERS = new Set(["SelectQueryBuilder", "UpdateQueryBuilder", "DeleteQueryBuilder", "SoftDeleteQueryBuilder"]);

function planTypeorm(access: DataAccess, key: string, value: string, ctx: AnalysisContext): Plan {
  if (!ts.isCallExpression(access.node)) return { skip: "the query is not a call" };
  const call = access.node;
  const callee = skip(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return { skip: "the query is not a method call" };
  const receiverSymbol = ctx.checker.getTypeAtLocation(callee.expression).getSymbol();
  if (receiverSymbol && TYPEORM_BUILDERS.has(receiverSymbol.getName())) return planTypeormBuilder(call, key, value);
  if (access.operation === "upsert") {
    return { skip: "upsert() picks the row it updates by its conflict paths: add the key to the values and the conflict paths by hand" };
  }
  if (access.method === "save") {
    return { skip: "save() loads the row by its primary key alone and would write the key into it: load the row with a scoped query and save that" };
  }
  const byPrimaryKey = access.filters.find((p) => p.kind === "unscoped");
  if (byPrimaryKey) return planTypeormPrimaryKey(call, byPrimaryKey.node, key, value, ctx);
  // `manager.find(Invoice, options)`: the entity class comes first.
  const optionsIndex = TYPEORM_FIND_OPTIONS_METHODS.has(callee.name.text) ? (declaringClassName(callee, ctx) === "EntityManager" ? 1 : 0) : undefined;
  return planCriteria(access, key, value, ctx, optionsIndex);
}

/**
 * `update(id, patch)`, `delete(id)`: criteria given as a bare primary-key value become a criteria
 * object, `{ id, tenantId: ctx.tenantId }`, when the entity has a single primary column.
 */
function planTypeormPrimaryKey(call: ts.CallExpression, criteria: ts.Node, key: string, value: string, ctx: AnalysisContext): Plan {
  const reason = `the criteria are primary key values: pass a where object with ${key} instead`;
  const argument = call.arguments.find((a) => a === criteria || (a.pos <= criteria.pos && criteria.end <= a.end));
  if (!argument || ts.isArrayLiteralExpression(skip(argument)) || ctx.checker.isArrayType(ctx.checker.getTypeAtLocation(argument))) return { skip: reason };
  const receiver = skip((skip(call.expression) as ts.PropertyAccessExpression).expression);
  const entity = typeArguments(ctx.checker, ctx.checker.getTypeAtLocation(receiver))[0]?.getSymbol();
  const primary = entity && primaryColumnsOf(entity);
  if (!primary || primary.length !== 1) return { skip: reason };
  const pk = primary[0]!;
  const text = argument.getText();
  const criteriaText = ts.isIdentifier(argument) && argument.text === pk ? `{ ${pk}, ${propertyName(key)}: ${value} }` : `{ ${propertyName(pk)}: ${text}, ${propertyName(key)}: ${value} }`;
  return { edits: [{ start: argument.getStart(), end: argument.getEnd(), text: criteriaText }] };
}

/** Properties decorated `@PrimaryColumn`/`@PrimaryGeneratedColumn` in an entity class (and its bases). */
function primaryColumnsOf(entity: ts.Symbol): string[] {
  const names: string[] = [];
  for (const declaration of entity.declarations ?? []) {
    if (!ts.isClassDeclaration(declaration)) continue;
    for (const member of declaration.members) {
      const decorated = ((ts.canHaveDecorators(member) && ts.getDecorators(member)) || []).some((d) => {
        const expr = ts.isCallExpression(d.expression) ? d.expression.expression : d.expression;
        return ts.isIdentifier(expr) && /^Primary(Generated)?Column$/.test(expr.text);
      });
      const name = staticName(member.name);
      if (decorated && name) names.push(name);
    }
  }
  return names;
}

/**
 * A query builder written as one chain from `createQueryBuilder("alias")` to the call that runs
 * it: the condition goes after its last `where`/`andWhere` (a later `where` would replace it), or,
 * without one, right before the call that runs it.
 */
function planTypeormBuilder(call: ts.CallExpression, key: string, value: string): Plan {
  const sourceFile = call.getSourceFile();
  const { links } = methodChainOf(call);
  const start = links.findIndex((link) => link.name === "createQueryBuilder");
  const create = links[start];
  const run = links[links.length - 1];
  const beforeRun = links[links.length - 2];
  if (!create || !run || !beforeRun) {
    return { skip: "the query builder is built across statements or in a helper: add the tenant condition where it is created" };
  }
  // `repo.createQueryBuilder("i")`, `manager.createQueryBuilder(Invoice, "i")`.
  const alias = [...create.call.arguments].reverse().find(ts.isStringLiteral);
  if (!alias) return { skip: 'the query builder has no alias to name the tenant column with: createQueryBuilder("alias")' };
  if (new RegExp(`:(\\.\\.\\.)?${escapeRegExp(key)}\\b`).test(call.getText(sourceFile)) || links.some((l) => l.name.startsWith("setParameter"))) {
    return { skip: `the query may already bind a :${key} parameter` };
  }
  const quote = alias.getText(sourceFile).startsWith("'") ? "'" : '"';
  const lastWhere = lastOf(links.slice(start + 1), (l) => l.name === "where" || l.name === "andWhere");
  const anchor = lastWhere ?? beforeRun;
  const link = `.${lastWhere ? "andWhere" : "where"}(${quote}${alias.text}.${key} = :${key}${quote}, { ${propertyName(key)}: ${value} })`;
  return { edits: [linkInsertion(anchor.call, links[links.indexOf(anchor) + 1], link, sourceFile)] };
}

/** The class or interface that declares the method called (`EntityManager`, `Repository`, ...). */
function declaringClassName(callee: ts.PropertyAccessExpression, ctx: AnalysisContext): string | undefined {
  const owner = ctx.checker.getSymbolAtLocation(callee.name)?.declarations?.[0]?.parent;
  return owner && (ts.isClassDeclaration(owner) || ts.isInterfaceDeclaration(owner)) ? owner.name?.text : undefined;
}

// ---------------------------------------------------------------------------------------------
// Drizzle

/** Database methods that start a query whose rows a `where` filters. */
const DRIZZLE_ENTRIES = new Set(["select", "selectDistinct", "selectDistinctOn", "update", "delete", "$count"]);
/** Links of a select that name the rows, before which a `where` cannot come. */
const DRIZZLE_SOURCES = new Set(["from", "leftJoin", "rightJoin", "innerJoin", "fullJoin", "crossJoin", "leftJoinLateral", "innerJoinLateral", "crossJoinLateral"]);
const DRIZZLE_RELATIONAL_METHODS = new Set(["findMany", "findFirst"]);
const DRIZZLE = "drizzle-orm";

type DrizzleOperator = "and" | "eq";
/** Each operator's name at the edit site (`eq`, `ops.eq`), and the imports or parameter edits that make it so. */
type OperatorNames = { readonly names: Readonly<Record<DrizzleOperator, string>>; readonly edits: TextEdit[]; readonly imports: RequiredImport[] };
/** Names the operators a condition needs where it is written, or says why they cannot be named there. */
type OperatorResolver = (needed: readonly DrizzleOperator[]) => OperatorNames | { readonly skip: string };

function planDrizzle(access: DataAccess, key: string, value: string, ctx: AnalysisContext): Plan {
  if (!ts.isCallExpression(access.node)) return { skip: "the query is not a call" };
  if (!isIdentifierName(key)) return { skip: `the tenant column's property name ${key} is not an identifier` };
  return DRIZZLE_RELATIONAL_METHODS.has(access.method) ? planDrizzleRelational(access, access.node, key, value, ctx) : planDrizzleBuilder(access.node, key, value, ctx);
}

/**
 * `db.select().from(t).where(c)` -> `.where(and(eq(t.key, v), c))`; without a where, one goes
 * right after the links that name the rows (`from` and joins, an update's `set`, `delete(t)`),
 * before `orderBy`, `limit`, `returning`, ...; `db.$count(t, c)` is treated like a where.
 */
function planDrizzleBuilder(call: ts.CallExpression, key: string, value: string, ctx: AnalysisContext): Plan {
  const sourceFile = call.getSourceFile();
  const { links } = methodChainOf(call);
  const entryIndex = links.findIndex((link) => DRIZZLE_ENTRIES.has(link.name));
  const entry = links[entryIndex];
  if (!entry) return { skip: "the query is started in a variable and finished here: add the condition where it is started" };
  const rest = links.slice(entryIndex + 1);
  const table = entry.name.startsWith("select") ? rest.find((link) => link.name === "from")?.args[0] : entry.args[0];
  if (!table) return { skip: `the ${entry.name} has no table in this chain` };
  const tableText = plainReference(table);
  if (!tableText) return { skip: `the table \`${codeOf(table)}\` is not a plain table reference` };
  const tenantCondition = (eq: string) => `${eq}(${tableText}.${key}, ${value})`;
  const resolve = operatorsInScope(call, ctx);

  // Drizzle keeps only the last `where` of a chain.
  const condition = entry.name === "$count" ? entry.args[1] : lastOf(rest, (link) => link.name === "where")?.args[0];
  if (condition) {
    const e = skip(condition);
    if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return { skip: "the where condition is a callback of the selected fields: add the condition to what it returns by hand" };
    return planJoinedCondition(condition, tenantCondition, resolve, ctx);
  }
  if (entry.name === "$count") {
    return planWithOperators(["eq"], resolve, (names) => [{ start: table.getEnd(), end: table.getEnd(), text: `, ${tenantCondition(names.eq)}` }]);
  }
  const namesRows = (link: ChainLink) => (entry.name === "update" ? link.name === "set" : entry.name === "delete" ? link === entry : DRIZZLE_SOURCES.has(link.name));
  const anchor = lastOf(links, namesRows);
  if (!anchor) return { skip: `the ${entry.name} does not name its rows in this chain` };
  const next = links[links.indexOf(anchor) + 1];
  return planWithOperators(["eq"], resolve, (names) => [linkInsertion(anchor.call, next, `.where(${tenantCondition(names.eq)})`, sourceFile)]);
}

/**
 * `db.query.t.findMany({ where })`: a `where` callback gets the condition with the operators it is
 * handed (`(t, { eq }) => ...`), a `where` condition with imported ones, and a query without
 * `where` a new callback. (drizzle-orm 0.44 has no object form of `where`.)
 */
function planDrizzleRelational(access: DataAccess, call: ts.CallExpression, key: string, value: string, ctx: AnalysisContext): Plan {
  const sourceFile = call.getSourceFile();
  const callee = skip(call.expression);
  const relation = ts.isPropertyAccessExpression(callee) ? skip(callee.expression) : undefined;
  const tableKey = relation && ts.isPropertyAccessExpression(relation) ? relation.name.text : "fields";
  // The new callback's parameter is named after the table, unless that hides the tenant value.
  const fields = value === tableKey || value.startsWith(`${tableKey}.`) ? "fields" : tableKey;
  const callback = `(${fields}, { eq }) => eq(${fields}.${key}, ${value})`;
  const options = call.arguments[0];
  if (!options) return { edits: [{ start: call.arguments.pos, end: call.arguments.pos, text: `{ where: ${callback} }` }] };
  const literal = skip(options);
  if (!ts.isObjectLiteralExpression(literal)) return { skip: "the call's options are not an object literal" };
  if (literal.properties.some(ts.isSpreadAssignment)) return { skip: "the call's options contain a spread, which may already set where" };
  if (!propertyNamed(literal, "where")) return { edits: [insertProperty(literal, `where: ${callback}`, sourceFile)] };
  const whereProperty = literal.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && staticName(p.name) === "where");
  if (!whereProperty) return { skip: "the call's where option is not written in the call" };
  const where = skip(whereProperty.initializer);
  if (ts.isArrowFunction(where) || ts.isFunctionExpression(where)) return planWhereCallback(where, key, value, ctx);
  const table = tableReferenceIn(where, access.entity.name, ctx);
  if (!table) return { skip: "the where condition names no column of the table to take the table reference from" };
  return planJoinedCondition(where, (eq) => `${eq}(${table}.${key}, ${value})`, operatorsInScope(where, ctx), ctx);
}

/** `(t, { eq }) => eq(t.id, id)` -> `(t, { eq, and }) => and(eq(t.key, v), eq(t.id, id))`. */
function planWhereCallback(callback: ts.ArrowFunction | ts.FunctionExpression, key: string, value: string, ctx: AnalysisContext): Plan {
  const body = callback.body;
  if (ts.isBlock(body)) return { skip: "the where callback has a block body: add the condition to what it returns by hand" };
  const [fieldsParameter, operatorsParameter] = callback.parameters;
  if (!fieldsParameter || !ts.isIdentifier(fieldsParameter.name)) return { skip: "the where callback's fields parameter is missing or destructured" };
  const fields = fieldsParameter.name.text;
  // `(org, { eq }) => ...` with value `org.orgId` would compare the column with itself.
  const contextName = /^[\w$]+/.exec(value)?.[0];
  if (contextName && callback.parameters.some((p) => bindsName(p.name, contextName))) {
    return { skip: `the where callback's parameter \`${contextName}\` hides the tenant context` };
  }
  return planJoinedCondition(body, (eq) => `${eq}(${fields}.${key}, ${value})`, callbackOperators(callback, fieldsParameter, operatorsParameter), ctx);
}

/**
 * Adds the tenant condition (built by `tenantCondition` from the name of `eq`) to `condition`: as
 * the first operand of the `and(...)` it already is, else by wrapping it in one.
 */
function planJoinedCondition(condition: ts.Expression, tenantCondition: (eq: string) => string, resolve: OperatorResolver, ctx: AnalysisContext): Plan {
  const sourceFile = condition.getSourceFile();
  const e = skip(condition);
  if (ts.isCallExpression(e) && isDrizzleOperatorCall(e, "and", ctx) && !e.arguments.some(ts.isSpreadElement)) {
    return planWithOperators(["eq"], resolve, (names) => [insertFirst(e.arguments.pos - 1, e.getEnd() - 1, e.arguments[0], tenantCondition(names.eq), "", sourceFile)]);
  }
  const start = condition.getStart(sourceFile);
  return planWithOperators(["and", "eq"], resolve, (names) => [
    { start, end: start, text: `${names.and}(${tenantCondition(names.eq)}, ` },
    { start: condition.getEnd(), end: condition.getEnd(), text: ")" },
  ]);
}

/** The edits `build` makes with the operators named, after the edits and imports that name them. */
function planWithOperators(needed: readonly DrizzleOperator[], resolve: OperatorResolver, build: (names: Readonly<Record<DrizzleOperator, string>>) => TextEdit[]): Plan {
  const named = resolve(needed);
  if ("skip" in named) return named;
  return { edits: [...named.edits, ...build(named.names)], imports: named.imports };
}

/**
 * The operators as named at `location`: a name in scope that is drizzle-orm's operator is used as
 * it is, a missing one is imported from `drizzle-orm`, and a name taken by something else skips.
 */
function operatorsInScope(location: ts.Node, ctx: AnalysisContext): OperatorResolver {
  return (needed) => {
    const inScope = ctx.checker.getSymbolsInScope(location, ts.SymbolFlags.Value);
    const imports: RequiredImport[] = [];
    for (const name of needed) {
      const symbol = inScope.find((s) => s.getName() === name);
      if (!symbol) imports.push({ module: DRIZZLE, name });
      else if (!isDrizzleValue(symbol, ctx)) return { skip: `\`${name}\` names something other than drizzle-orm's operator here` };
    }
    return { names: { and: "and", eq: "eq" }, edits: [], imports };
  };
}

/**
 * The operators a where callback is handed: `ops.eq` for an `ops` parameter, the local names of a
 * destructured one (adding the missing names to it), or a new `{ and, eq }` parameter.
 */
function callbackOperators(callback: ts.ArrowFunction | ts.FunctionExpression, fieldsParameter: ts.ParameterDeclaration, operatorsParameter: ts.ParameterDeclaration | undefined): OperatorResolver {
  return (needed) => {
    const sourceFile = callback.getSourceFile();
    if (!operatorsParameter) {
      const pattern = `{ ${needed.join(", ")} }`;
      const parenthesized = callback.getChildren(sourceFile).some((c) => c.kind === ts.SyntaxKind.OpenParenToken);
      const at = { start: fieldsParameter.getStart(sourceFile), end: fieldsParameter.getEnd() };
      const edits: TextEdit[] = parenthesized
        ? [{ start: at.end, end: at.end, text: `, ${pattern}` }]
        : [
            { start: at.start, end: at.start, text: "(" },
            { start: at.end, end: at.end, text: `, ${pattern})` },
          ];
      return { names: { and: "and", eq: "eq" }, edits, imports: [] };
    }
    const binding = operatorsParameter.name;
    if (ts.isIdentifier(binding)) return { names: { and: `${binding.text}.and`, eq: `${binding.text}.eq` }, edits: [], imports: [] };
    if (!ts.isObjectBindingPattern(binding) || binding.elements.some((e) => e.dotDotDotToken)) {
      return { skip: "the where callback's operators parameter is not a plain destructuring" };
    }
    const names: Record<DrizzleOperator, string> = { and: "and", eq: "eq" };
    const missing: DrizzleOperator[] = [];
    for (const operator of needed) {
      const element = binding.elements.find((e) => staticName(e.propertyName ?? e.name) === operator);
      if (element && ts.isIdentifier(element.name)) names[operator] = element.name.text;
      else missing.push(operator);
    }
    const edits = missing.length ? [insertLast(binding, missing.join(", "), sourceFile)] : [];
    return { names, edits, imports: [] };
  };
}

/** Whether a parameter's binding (`t`, `{ eq, and: both }`) declares `name`. */
function bindsName(binding: ts.BindingName, name: string): boolean {
  if (ts.isIdentifier(binding)) return binding.text === name;
  return binding.elements.some((element) => !ts.isOmittedExpression(element) && bindsName(element.name, name));
}

/** `and(...)`, `ops.and(...)`: a call of drizzle-orm's operator `name`. */
function isDrizzleOperatorCall(call: ts.CallExpression, name: DrizzleOperator, ctx: AnalysisContext): boolean {
  const declaration = ctx.checker.getResolvedSignature(call)?.declaration;
  return !!declaration && isInPackage(declaration, DRIZZLE) && ts.isFunctionDeclaration(declaration) && declaration.name?.text === name;
}

/** An import of drizzle-orm's operator, or a callback's destructured operator typed by drizzle-orm. */
function isDrizzleValue(symbol: ts.Symbol, ctx: AnalysisContext): boolean {
  const target = symbol.flags & ts.SymbolFlags.Alias ? ctx.checker.getAliasedSymbol(symbol) : symbol;
  if (target.declarations?.some((d) => isInPackage(d, DRIZZLE))) return true;
  const type = ctx.checker.getTypeOfSymbol(target);
  return [type.aliasSymbol, type.getSymbol()].some((s) => s?.declarations?.some((d) => isInPackage(d, DRIZZLE)));
}

/** `invoices` in `eq(invoices.id, id)`: the first table in a condition whose database name is `tableName`. */
function tableReferenceIn(condition: ts.Expression, tableName: string, ctx: AnalysisContext): string | undefined {
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAccessExpression(node) && drizzleTableName(ctx.checker.getTypeAtLocation(node.expression), ctx) === tableName) {
      found = plainReference(node.expression);
      if (found) return;
    }
    ts.forEachChild(node, visit);
  };
  visit(condition);
  return found;
}

/** The database name of a Drizzle table type (`_.name`), if the type is one. */
function drizzleTableName(type: ts.Type, ctx: AnalysisContext): string | undefined {
  const meta = ctx.checker.getPropertyOfType(type, "_");
  if (!meta?.declarations?.some((d) => isInPackage(d, DRIZZLE))) return undefined;
  const metaType = ctx.checker.getTypeOfSymbol(meta);
  const brand = ctx.checker.getPropertyOfType(metaType, "brand");
  const name = ctx.checker.getPropertyOfType(metaType, "name");
  const brandType = brand && ctx.checker.getTypeOfSymbol(brand);
  const nameType = name && ctx.checker.getTypeOfSymbol(name);
  return brandType?.isStringLiteral() && brandType.value === "Table" && nameType?.isStringLiteral() ? nameType.value : undefined;
}

// ---------------------------------------------------------------------------------------------
// Tenant context

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

// ---------------------------------------------------------------------------------------------
// Syntax

/** One method call of a chain: `.where(...)`. */
interface ChainLink {
  readonly name: string;
  /** The method name's node, where the link's text starts after its `.`. */
  readonly nameNode: ts.MemberName;
  readonly call: ts.CallExpression;
  readonly args: readonly ts.Expression[];
}

/** `root.a(x).b(y)`: the root (the first expression that is not a method call) and the calls, innermost first. */
function methodChainOf(outer: ts.Expression): { root: ts.Expression; links: ChainLink[] } {
  const links: ChainLink[] = [];
  let expr = outer;
  for (;;) {
    const e = skip(expr);
    if (!ts.isCallExpression(e)) break;
    const callee = skip(e.expression);
    if (!ts.isPropertyAccessExpression(callee)) break;
    links.unshift({ name: callee.name.text, nameNode: callee.name, call: e, args: e.arguments });
    expr = callee.expression;
  }
  return { root: skip(expr), links };
}

/**
 * Inserts a link (`.where(...)`) right after the call `after`, before the link `next`; on a line of
 * its own when `next` starts a new line, at `next`'s indentation.
 */
function linkInsertion(after: ts.CallExpression, next: ChainLink | undefined, link: string, sourceFile: ts.SourceFile): TextEdit {
  const at = after.getEnd();
  const nextStart = next?.nameNode.getStart(sourceFile);
  if (nextStart !== undefined && sourceFile.text.slice(at, nextStart).includes("\n")) {
    return { start: at, end: at, text: `\n${indentOfLine(sourceFile.text, nextStart)}${link}` };
  }
  return { start: at, end: at, text: link };
}

/** `t`, `schema.invoices`: a table named by identifiers, whose text can be repeated safely. */
function plainReference(expr: ts.Expression): string | undefined {
  const e = skip(expr);
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.name)) {
    const object = plainReference(e.expression);
    return object && `${object}.${e.name.text}`;
  }
  return undefined;
}

function propertyNamed(literal: ts.ObjectLiteralExpression, name: string): boolean {
  return literal.properties.some((p) => !ts.isSpreadAssignment(p) && staticName(p.name) === name);
}

function staticName(name: ts.Node | undefined): string | undefined {
  return name && (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) ? name.text : undefined;
}

function isIdentifierName(text: string): boolean {
  return /^[A-Za-z_$][\w$]*$/.test(text);
}

/** `tenantId`, or `"tenant-id"` for a key that is not an identifier. */
function propertyName(key: string): string {
  return isIdentifierName(key) ? key : JSON.stringify(key);
}

/**
 * Inserts `property` as the first property of an object literal, in its layout: `{ a }` ->
 * `{ k: v, a }`, `{}` -> `{ k: v }`, and a multi-line literal gets its own line at the first
 * property's indentation.
 */
function insertProperty(literal: ts.ObjectLiteralExpression, property: string, sourceFile: ts.SourceFile): TextEdit {
  return insertFirst(literal.getStart(sourceFile), literal.getEnd() - 1, literal.properties[0], property, " ", sourceFile);
}

/**
 * Inserts `item` as the first element of a bracketed list (object literal, argument list) whose
 * brackets are at `open` and `close`: before `first` on its line, on a new line of its own when
 * the list is multi-line (so a comment above the first element stays with it), or alone
 * between the brackets, padded by `pad`.
 */
function insertFirst(open: number, close: number, first: ts.Node | undefined, item: string, pad: string, sourceFile: ts.SourceFile): TextEdit {
  const text = sourceFile.text;
  if (!first) {
    const inner = text.slice(open + 1, close);
    if (inner.includes("\n")) {
      // `{\n}`: put the item on its own line, indented one level deeper than the bracket's line.
      const unit = inner.includes("\t") ? "\t" : "  ";
      return { start: open + 1, end: open + 1, text: `\n${indentOfLine(text, open)}${unit}${item},` };
    }
    return { start: open + 1, end: close, text: `${pad}${item}${pad}` };
  }
  const firstStart = first.getStart(sourceFile);
  if (!text.slice(open + 1, firstStart).includes("\n")) return { start: firstStart, end: firstStart, text: `${item}, ` };
  const lineStart = text.indexOf("\n", open) + 1;
  return { start: lineStart, end: lineStart, text: `${indentOfLine(text, firstStart)}${item},\n` };
}

/** Appends `item` after the last element of a destructuring pattern, in its layout. */
function insertLast(pattern: ts.ObjectBindingPattern, item: string, sourceFile: ts.SourceFile): TextEdit {
  const { elements } = pattern;
  const last = elements[elements.length - 1];
  const close = pattern.getEnd() - 1;
  if (!last) return insertFirst(pattern.getStart(sourceFile), close, undefined, item, " ", sourceFile);
  const text = sourceFile.text;
  if (!text.slice(last.getEnd(), close).includes("\n")) return { start: last.getEnd(), end: last.getEnd(), text: `, ${item}` };
  // Multi-line: a line of its own at the last element's indentation, keeping a trailing comma style.
  const indent = indentOfLine(text, last.getStart(sourceFile));
  if (!elements.hasTrailingComma) return { start: last.getEnd(), end: last.getEnd(), text: `,\n${indent}${item}` };
  const afterComma = text.indexOf(",", last.getEnd()) + 1;
  return { start: afterComma, end: afterComma, text: `\n${indent}${item},` };
}

/** The last link that `matches`. */
function lastOf(links: readonly ChainLink[], matches: (link: ChainLink) => boolean): ChainLink | undefined {
  for (let i = links.length - 1; i >= 0; i--) if (matches(links[i]!)) return links[i];
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}


function isInPackage(node: ts.Node, packageName: string): boolean {
  return node.getSourceFile().fileName.replace(/\\/g, "/").includes(`/node_modules/${packageName}/`);
}

/** An expression's text on one line, shortened for a skip reason. */
function codeOf(node: ts.Node): string {
  const text = node.getText().replace(/\s+/g, " ");
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

function skip(expr: ts.Expression): ts.Expression {
  let e = expr;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) {
    e = e.expression;
  }
  return e;
}
