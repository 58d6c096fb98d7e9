import ts from "./typescript.cjs";
import type { AnalysisContext } from "./context.js";
import type { DataAccess, EntityInfo, FilterPart } from "./model.js";
import { objectLiteralOf } from "./orm/args.js";
import {
  admitsUndefined,
  calleeName,
  calleeReceiver,
  constInitializer,
  isArrayLike,
  resolvedSymbol,
  returnedExpressions,
  skipWrappers,
  staticName,
  variableDeclarationOf,
  propertyValue,
} from "./ts-utils.js";

/**
 * How a filter constrains the tenant key:
 * - `pinned`: to one value (the query is tenant-scoped);
 * - `maybe-undefined`: to a value whose type admits `undefined`, which ORMs drop silently;
 * - `multi`: to several tenants (`in`, negations, `OR` across tenants);
 * - `none`: not at all.
 */
export type TenantConstraint =
  | { readonly kind: "pinned"; readonly value?: ts.Expression }
  | { readonly kind: "maybe-undefined"; readonly value: ts.Node }
  | { readonly kind: "multi"; readonly node: ts.Node }
  | { readonly kind: "none" };

const NONE: TenantConstraint = { kind: "none" };
const MAX_DEPTH = 6;

const RANK: Record<TenantConstraint["kind"], number> = { pinned: 3, multi: 2, "maybe-undefined": 1, none: 0 };

/** Conditions ANDed together: the strongest one decides. */
export function allOf(constraints: readonly TenantConstraint[]): TenantConstraint {
  let best: TenantConstraint = NONE;
  for (const c of constraints) if (RANK[c.kind] > RANK[best.kind]) best = c;
  return best;
}

/** Alternatives ORed together: every branch must pin the tenant, and to the same value. */
export function anyOf(constraints: readonly TenantConstraint[], node: ts.Node): TenantConstraint {
  if (constraints.length === 0) return NONE;
  let worst: TenantConstraint = constraints[0]!;
  for (const c of constraints) if (RANK[c.kind] < RANK[worst.kind]) worst = c;
  if (worst.kind !== "pinned") return worst;
  const values = new Set(constraints.map((c) => (c.kind === "pinned" && c.value ? c.value.getText() : "?")));
  return values.size > 1 ? { kind: "multi", node } : worst;
}

/** Operators that compare with one value, by name (Prisma, Mongo, Sequelize `Op`, Knex/Kysely strings). */
const EQUALITY_OPERATORS = new Set(["equals", "$eq", "eq", "=", "==", "==="]);
/** Criteria keys whose list of criteria objects all apply (Prisma `AND`, Mongoose and MikroORM `$and`). */
export const LOGICAL_AND = new Set(["AND", "$and", "and"]);
const LOGICAL_OR = new Set(["OR", "$or", "or"]);

/** The tenant constraint a whole data access carries, or `pinned` when the ORM scopes it by default. */
export function scopeOfAccess(access: DataAccess, ctx: AnalysisContext): TenantConstraint {
  // Several checks ask about the same access; evaluate its filters once per program.
  const memo = ctx.memoize("scope:ofAccess", () => new WeakMap<DataAccess, TenantConstraint>());
  let scope = memo.get(access);
  if (!scope) {
    scope =
      access.entity.scopedByDefault && !access.filtersDisabled
        ? { kind: "pinned" }
        : allOf(access.filters.map((part) => constraintOfPart(part, access.entity, ctx)));
    memo.set(access, scope);
  }
  return scope;
}

export function constraintOfPart(part: FilterPart, entity: EntityInfo, ctx: AnalysisContext): TenantConstraint {
  switch (part.kind) {
    case "object":
      return constraintOfObject(part.expr, entity, ctx, 0);
    case "column":
      return constraintOfColumn(part.column, part.operator, part.value, part.node, ctx);
    case "condition":
      return constraintOfCondition(part.expr, ctx, 0);
    case "sql":
      return constraintOfSqlPredicate(part.text, part.node, ctx);
    case "unscoped":
      return NONE;
    case "row":
      return { kind: "pinned" };
    case "context":
      return constraintOfContextArgument(part.expr, ctx);
    case "alternatives":
      return anyOf(
        part.branches.map((branch) => allOf(branch.map((each) => constraintOfPart(each, entity, ctx)))),
        part.node,
      );
  }
}

/** A tenant context handed to a scoped API: pinned when typed as a context, unproven otherwise. */
function constraintOfContextArgument(expr: ts.Expression, ctx: AnalysisContext): TenantConstraint {
  const type = ctx.checker.getTypeAtLocation(expr);
  if (!ctx.isContextType(type)) return NONE;
  return admitsUndefined(type) ? { kind: "maybe-undefined", value: expr } : { kind: "pinned", value: expr };
}

/** `where("org_id", v)`, `where("i.org_id", "in", vs)`: a column compared by an operator. */
export function constraintOfColumn(
  column: string,
  operator: string,
  value: ts.Expression | undefined,
  node: ts.Node,
  ctx: AnalysisContext,
): TenantConstraint {
  const bare = column.replace(/^.*\./, "").replace(/"/g, "");
  if (!ctx.isTenantKey(bare)) return NONE;
  const op = operator.toLowerCase().trim();
  if (EQUALITY_OPERATORS.has(op) || op === "is") return value ? constraintOfValue(value, ctx, 0) : { kind: "pinned" };
  return { kind: "multi", node };
}

/** A criteria object: `{ tenantId: x, ...scope(ctx), tenant: { id: x }, OR: [...] }`. */
export function constraintOfObject(expr: ts.Expression, entity: EntityInfo | undefined, ctx: AnalysisContext, depth: number): TenantConstraint {
  if (depth > MAX_DEPTH) return NONE;
  const e = skipWrappers(expr);
  if (ts.isIdentifier(e)) {
    const init = constInitializer(ctx.checker, e);
    if (!init) return constraintOfObjectType(ctx.checker.getTypeAtLocation(e), e, ctx);
    return allOf([constraintOfObject(init, entity, ctx, depth + 1), ...memberWritesBefore(e, ctx, depth + 1)]);
  }
  if (ts.isConditionalExpression(e)) {
    return anyOf([constraintOfObject(e.whenTrue, entity, ctx, depth + 1), constraintOfObject(e.whenFalse, entity, ctx, depth + 1)], e);
  }
  if (ts.isCallExpression(e)) {
    const fn = ctx.calledFunction(e);
    const returns = fn ? returnedExpressions(fn) : [];
    if (returns.length) return anyOf(returns.map((r) => constraintOfObject(r, entity, ctx, depth + 1)), e);
    return constraintOfObjectType(ctx.checker.getTypeAtLocation(e), e, ctx);
  }
  if (ts.isArrayLiteralExpression(e)) {
    // An array of criteria objects means "any of these" (TypeORM, Sequelize).
    return anyOf(e.elements.map((el) => constraintOfObject(el, entity, ctx, depth + 1)), e);
  }
  if (!ts.isObjectLiteralExpression(e)) return constraintOfObjectType(ctx.checker.getTypeAtLocation(e), e, ctx);

  const parts: TenantConstraint[] = [];
  for (const property of e.properties) {
    if (ts.isSpreadAssignment(property)) {
      parts.push(constraintOfObject(property.expression, entity, ctx, depth + 1));
      continue;
    }
    const name = operatorName(property, ctx);
    const value = propertyValue(property);
    if (!name || !value) continue;
    // A SQL builder's key may qualify the column by its table (`{ "invoices.account_id": id }`).
    if (ctx.isTenantKey(name) || ctx.isTenantKey(qualifiedColumn(name))) parts.push(constraintOfValue(value, ctx, depth + 1));
    else if (ctx.isTenantRelationName(name)) parts.push(constraintOfRelation(value, ctx, depth + 1));
    else if (LOGICAL_AND.has(name)) parts.push(allOf(elementsOf(value).map((el) => constraintOfObject(el, entity, ctx, depth + 1))));
    else if (LOGICAL_OR.has(name)) {
      parts.push(mappedAlternatives(value, entity, ctx, depth + 1) ?? anyOf(elementsOf(value).map((el) => constraintOfObject(el, entity, ctx, depth + 1)), value));
    } else if (isCompoundKeyInput(name, value, ctx)) parts.push(constraintOfObject(value, undefined, ctx, depth + 1));
    else if (isToOneRelationFilter(value, ctx)) parts.push(constraintOfRelatedFilter(value, ctx, depth + 1));
  }
  return allOf(parts);
}

/**
 * Prisma's compound unique input, `userId_workspaceId: { userId, workspaceId: ws.workspaceId }`: its
 * name is its fields joined by `_` and its type a generated `...CompoundUniqueInput`; the tenant key
 * inside pins the row's tenant like a top-level one.
 */
function isCompoundKeyInput(name: string, value: ts.Expression, ctx: AnalysisContext): boolean {
  if (!name.includes("_") || !ts.isObjectLiteralExpression(skipWrappers(value))) return false;
  const contextual = declaredContextualType(skipWrappers(value), ctx);
  const typeName = contextual && (contextual.aliasSymbol ?? contextual.getSymbol())?.getName();
  if (typeName && /CompoundUniqueInput$/.test(typeName)) return true;
  return ctx.config.tenantKeys.some((key) => `_${name}_`.includes(`_${key}_`));
}

/**
 * A filter through a to-one relation (`ticket: { workspaceId: x }`, `ticket: { is: {...} }`): its
 * type is a relation filter with `is`/`isNot` (a to-many one has `some`/`every` instead). When the
 * nested filter pins the related row's tenant key, the row it belongs to is of that tenant too.
 */
function isToOneRelationFilter(value: ts.Expression, ctx: AnalysisContext): boolean {
  const e = skipWrappers(value);
  if (!ts.isObjectLiteralExpression(e)) return false;
  const contextual = declaredContextualType(e, ctx);
  if (!contextual) return false;
  const names = new Set(ctx.checker.getPropertiesOfType(contextual).map((p) => p.getName()));
  const has = (member: string) => names.has(member);
  return has("is") && has("isNot") && !has("some");
}

/**
 * The type a literal is written against as the API declares it. Inside a generic call (Prisma's
 * `findMany<T extends ...Args>`) the plain contextual type is the literal's own inferred type;
 * `ContextFlags.Completions` (4) asks for the declared one, ignoring that inference.
 */
function declaredContextualType(expr: ts.Expression, ctx: AnalysisContext): ts.Type | undefined {
  // The flags parameter exists at run time but is internal in TypeScript's public declarations.
  const getContextualType = ctx.checker.getContextualType as (node: ts.Expression, contextFlags?: number) => ts.Type | undefined;
  const contextual = getContextualType.call(ctx.checker, expr, 4);
  return contextual && ctx.checker.getNonNullableType(contextual);
}

function constraintOfRelatedFilter(value: ts.Expression, ctx: AnalysisContext, depth: number): TenantConstraint {
  const e = skipWrappers(value) as ts.ObjectLiteralExpression;
  const is = e.properties.find((p) => staticName(p.name) === "is");
  if (is && ts.isPropertyAssignment(is)) return constraintOfObject(is.initializer, undefined, ctx, depth + 1);
  if (e.properties.some((p) => staticName(p.name) === "isNot")) return NONE;
  return constraintOfObject(e, undefined, ctx, depth + 1);
}

/**
 * `OR: orgs.map((o) => ({ organizationId: o.id }))`: one alternative per element. When each pins the
 * tenant key to a value taken from the element, together they span several tenants, like `in: ids`.
 */
function mappedAlternatives(value: ts.Expression, entity: EntityInfo | undefined, ctx: AnalysisContext, depth: number): TenantConstraint | undefined {
  const e = skipWrappers(value);
  if (!ts.isCallExpression(e) || !["map", "flatMap"].includes(calleeName(e) ?? "") || !e.arguments[0]) return undefined;
  const mapper = skipWrappers(e.arguments[0]);
  if (!ts.isArrowFunction(mapper) && !ts.isFunctionExpression(mapper)) return undefined;
  const each = anyOf(returnedExpressions(mapper).map((r) => constraintOfObject(r, entity, ctx, depth + 1)), e);
  if (each.kind !== "pinned") return each;
  return !each.value || dependsOnParameters(each.value, mapper, ctx) ? { kind: "multi", node: e } : each;
}

function dependsOnParameters(expr: ts.Node, fn: ts.SignatureDeclaration, ctx: AnalysisContext): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node)) {
      const decl = resolvedSymbol(ctx.checker, node)?.valueDeclaration;
      if (decl && decl.pos >= fn.parameters.pos && decl.end <= fn.parameters.end && decl.getSourceFile() === fn.getSourceFile()) found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(expr);
  return found;
}

/**
 * `const where: Prisma.TicketWhereInput = {...}; where.workspaceId = x; find({ where })`: member writes
 * of the tenant key that run unconditionally (statements of the declaring block, before the statement
 * using the object) add to its initializer. A write under an `if` is not counted.
 */
function memberWritesBefore(use: ts.Identifier, ctx: AnalysisContext, depth: number): TenantConstraint[] {
  const decl = variableDeclarationOf(ctx.checker, use);
  const symbol = decl && ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name) ? resolvedSymbol(ctx.checker, decl.name) : undefined;
  const statement = decl?.parent?.parent;
  const block = statement?.parent;
  if (!symbol || !decl || !statement || !ts.isVariableStatement(statement) || !block || !(ts.isBlock(block) || ts.isSourceFile(block))) return [];
  let user: ts.Node = use;
  while (user.parent && user.parent !== block) user = user.parent;
  if (user.parent !== block) return [];
  const statements = block.statements as readonly ts.Statement[];
  const out: TenantConstraint[] = [];
  for (const s of statements.slice(statements.indexOf(statement) + 1, statements.indexOf(user as ts.Statement))) {
    if (!ts.isExpressionStatement(s)) continue;
    const assign = skipWrappers(s.expression);
    if (!ts.isBinaryExpression(assign) || assign.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
    const target = assign.left;
    if (!ts.isPropertyAccessExpression(target) || !ts.isIdentifier(target.expression)) continue;
    if (resolvedSymbol(ctx.checker, target.expression) !== symbol || !ctx.isTenantKey(target.name.text)) continue;
    out.push(constraintOfValue(assign.right, ctx, depth));
  }
  return out;
}

/** The key of an object member, with Sequelize's `[Op.or]` read as `or`. */
function operatorName(property: ts.ObjectLiteralElementLike, ctx: AnalysisContext): string | undefined {
  const name = property.name;
  if (name && ts.isComputedPropertyName(name)) {
    const key = skipWrappers(name.expression);
    if (ts.isPropertyAccessExpression(key) && isSequelizeOp(key.expression, ctx)) return key.name.text;
  }
  return staticName(name);
}

function isSequelizeOp(expr: ts.Expression, ctx: AnalysisContext): boolean {
  const type = ctx.checker.getTypeAtLocation(expr);
  const symbol = type.getSymbol();
  return (ts.isIdentifier(expr) && expr.text === "Op") || symbol?.getName() === "OpTypes";
}

function elementsOf(value: ts.Expression): readonly ts.Expression[] {
  const e = skipWrappers(value);
  return ts.isArrayLiteralExpression(e) ? e.elements : [e];
}

/** `tenant: { id: x }`, `tenant: { is: { id: x } }`, `tenant: x`: a filter through the tenant relation. */
function constraintOfRelation(value: ts.Expression, ctx: AnalysisContext, depth: number): TenantConstraint {
  const e = skipWrappers(value);
  if (!ts.isObjectLiteralExpression(e)) return constraintOfValue(e, ctx, depth);
  const parts: TenantConstraint[] = [];
  for (const property of e.properties) {
    if (ts.isPropertyAssignment(property) && (staticName(property.name) === "is" || staticName(property.name) === "connect")) {
      parts.push(constraintOfRelation(property.initializer, ctx, depth + 1));
    } else if (ts.isPropertyAssignment(property)) {
      // Any field of the tenant row pinned to one value picks one tenant (`id`, `slug`).
      parts.push(constraintOfValue(property.initializer, ctx, depth + 1));
    } else if (ts.isShorthandPropertyAssignment(property)) {
      parts.push(constraintOfValue(property.name, ctx, depth + 1));
    }
  }
  return allOf(parts);
}

/** What one value given for the tenant key constrains: one tenant, several, or maybe nothing. */
export function constraintOfValue(value: ts.Expression, ctx: AnalysisContext, depth: number): TenantConstraint {
  const e = skipWrappers(value);
  if (depth > MAX_DEPTH) return { kind: "pinned", value: e };
  if (e.kind === ts.SyntaxKind.NullKeyword) return NONE;
  if (ts.isIdentifier(e) && e.text === "undefined") return { kind: "maybe-undefined", value: e };
  if (ts.isArrayLiteralExpression(e)) return { kind: "multi", node: e };
  if (ts.isObjectLiteralExpression(e)) return constraintOfOperatorObject(e, ctx, depth);
  if (ts.isCallExpression(e) && isFindOperator(e, ctx)) {
    const name = calleeName(e);
    return name === "Equal" && e.arguments[0] ? constraintOfValue(e.arguments[0], ctx, depth + 1) : { kind: "multi", node: e };
  }
  if (ts.isIdentifier(e)) {
    const init = constInitializer(ctx.checker, e);
    if (init && (ts.isObjectLiteralExpression(skipWrappers(init)) || ts.isArrayLiteralExpression(skipWrappers(init)))) {
      return constraintOfValue(init, ctx, depth + 1);
    }
  }
  const type = ctx.checker.getTypeAtLocation(e);
  if (type.flags & ts.TypeFlags.Any) return { kind: "pinned", value: e };
  if (admitsUndefined(type)) return { kind: "maybe-undefined", value: e };
  if (isArrayLike(ctx.checker, type)) return { kind: "multi", node: e };
  if (isFilterObjectType(type, ctx)) return NONE;
  return { kind: "pinned", value: e };
}

/** `{ equals: x }`, `{ $eq: x }`, `{ [Op.eq]: x }` pin; `{ in: xs }`, `{ not: x }`, `{ $ne: x }` span tenants. */
function constraintOfOperatorObject(e: ts.ObjectLiteralExpression, ctx: AnalysisContext, depth: number): TenantConstraint {
  const parts: TenantConstraint[] = [];
  for (const property of e.properties) {
    if (!ts.isPropertyAssignment(property) && !ts.isShorthandPropertyAssignment(property)) return NONE;
    const name = operatorName(property, ctx);
    if (name === "mode") continue;
    const value = ts.isPropertyAssignment(property) ? property.initializer : property.name;
    if (name && EQUALITY_OPERATORS.has(name)) parts.push(constraintOfValue(value, ctx, depth + 1));
    else parts.push({ kind: "multi", node: property });
  }
  return parts.length ? allOf(parts) : NONE;
}

function isFindOperator(call: ts.CallExpression, ctx: AnalysisContext): boolean {
  const symbol = ctx.checker.getTypeAtLocation(call).getSymbol();
  return symbol?.getName() === "FindOperator";
}

/** A value typed as a filter object (`StringFilter`, `{ in?: ... }`) is not provably one tenant. */
function isFilterObjectType(type: ts.Type, ctx: AnalysisContext): boolean {
  if (!(type.flags & ts.TypeFlags.Object) && !type.isUnionOrIntersection()) return false;
  return ["in", "$in", "not", "notIn", "equals", "$eq"].some((op) => {
    const property = ctx.checker.getPropertyOfType(type, op);
    // A method is behaviour, not an operator: a Mongo `ObjectId` has `equals(other)` and is one value.
    return property !== undefined && !(property.flags & ts.SymbolFlags.Method);
  });
}

/** A criteria value known only by type (a parameter, a helper from a library): read its tenant keys. */
export function constraintOfObjectType(type: ts.Type, node: ts.Node, ctx: AnalysisContext): TenantConstraint {
  if (type.flags & ts.TypeFlags.Any) return NONE;
  const parts: TenantConstraint[] = [];
  for (const property of ctx.checker.getPropertiesOfType(type)) {
    if (!ctx.isTenantKey(property.getName())) continue;
    if (property.flags & ts.SymbolFlags.Optional) continue;
    const propType = ctx.checker.getTypeOfSymbolAtLocation(property, node);
    if (admitsUndefined(propType)) parts.push({ kind: "maybe-undefined", value: node });
    else if (isArrayLike(ctx.checker, propType)) parts.push({ kind: "multi", node });
    else if (!isFilterObjectType(propType, ctx)) parts.push({ kind: "pinned" });
  }
  return allOf(parts);
}

/** Drizzle `eq(t.orgId, x)`, `and(...)`, Kysely `eb("org_id", "=", x)`, and helpers that return them. */
export function constraintOfCondition(expr: ts.Expression, ctx: AnalysisContext, depth: number): TenantConstraint {
  if (depth > MAX_DEPTH) return NONE;
  const e = skipWrappers(expr);
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) {
    return anyOf(returnedExpressions(e).map((r) => constraintOfCondition(r, ctx, depth + 1)), e);
  }
  if (ts.isIdentifier(e)) {
    // Drizzle's `and(...)` and `.where(...)` drop an undefined condition silently.
    if (e.text === "undefined") return { kind: "maybe-undefined", value: e };
    const init = constInitializer(ctx.checker, e);
    return init ? constraintOfCondition(init, ctx, depth + 1) : NONE;
  }
  if (ts.isConditionalExpression(e)) {
    const branches = anyOf([constraintOfCondition(e.whenTrue, ctx, depth + 1), constraintOfCondition(e.whenFalse, ctx, depth + 1)], e);
    return branches.kind === "maybe-undefined" ? { kind: "maybe-undefined", value: e } : branches;
  }
  if (!ts.isCallExpression(e)) return NONE;
  const name = calleeName(e);
  const args = e.arguments;
  if (name === "and" || name === "or") return constraintOfLogical(e, name, ctx, depth);
  const column = args[0] ? columnNameOf(args[0], ctx) : undefined;
  if (column !== undefined) {
    // Kysely: eb("org_id", "=", v) / eb.eb(...) / eb.cmpr(...)
    if (args.length === 3 && ts.isStringLiteralLike(skipWrappers(args[1]!))) {
      return constraintOfColumn(column, (skipWrappers(args[1]!) as ts.StringLiteral).text, args[2], e, ctx);
    }
    if (!ctx.isTenantKey(column)) return NONE;
    if (name === "eq" && args[1]) return constraintOfValue(args[1], ctx, depth + 1);
    if (name === "isNull") return NONE;
    return { kind: "multi", node: e };
  }
  const fn = ctx.calledFunction(e);
  const returns = fn ? returnedExpressions(fn) : [];
  if (!returns.length) return NONE;
  const helper = anyOf(returns.map((r) => constraintOfCondition(r, ctx, depth + 1)), e);
  // A helper that may return no condition at all: name the call, not the `undefined` inside it.
  return helper.kind === "maybe-undefined" ? { kind: "maybe-undefined", value: e } : helper;
}

/**
 * `and(a, b)`, `eb.and([a, b])`, Kysely's object form `eb.and({ org_id: x })` (Kysely drops `undefined`
 * values from it) and chained `eb("a", "=", 1).or("b", "=", 2)`, whose receiver is the first operand.
 */
function constraintOfLogical(call: ts.CallExpression, name: "and" | "or", ctx: AnalysisContext, depth: number): TenantConstraint {
  const args = call.arguments;
  const operands: TenantConstraint[] = [];
  const receiver = calleeReceiver(call);
  if (receiver && ts.isCallExpression(skipWrappers(receiver))) operands.push(constraintOfCondition(receiver, ctx, depth + 1));
  const single = args.length === 1 ? skipWrappers(args[0]!) : undefined;
  const filterObject = single && objectLiteralOf(single, ctx);
  const column = args.length === 3 ? columnNameOf(args[0]!, ctx) : undefined;
  if (column !== undefined && ts.isStringLiteralLike(skipWrappers(args[1]!))) {
    operands.push(constraintOfColumn(column, (skipWrappers(args[1]!) as ts.StringLiteral).text, args[2], call, ctx));
  } else if (filterObject && name === "and") {
    operands.push(constraintOfObject(filterObject, undefined, ctx, depth + 1));
  } else if (filterObject) {
    // Each property of an `or` object is one alternative.
    for (const property of filterObject.properties) {
      const key = ts.isSpreadAssignment(property) ? undefined : staticName(property.name);
      const value = propertyValue(property);
      operands.push(ctx.isTenantKey(key) && value ? constraintOfValue(value, ctx, depth + 1) : NONE);
    }
  } else {
    const items = single && ts.isArrayLiteralExpression(single) ? single.elements : single && ts.isIdentifier(single) ? (conditionListOf(single, name, ctx) ?? args) : args;
    for (const item of items) {
      // `and(...list)`: the conditions the list is built with, when they can be read.
      const listed = ts.isSpreadElement(item) ? conditionListOf(item.expression, name, ctx) : [item];
      operands.push(...(listed ?? [item]).map((a) => constraintOfCondition(a, ctx, depth + 1)));
    }
  }
  return name === "and" ? allOf(operands) : anyOf(operands, call);
}

/**
 * The conditions a local list holds when it is combined by `and(...list)` or `eb.and(list)`: a
 * local array built in one block by its initializer and `list.push(...)` calls. For `and`, pushes
 * made only on some paths (inside an `if`, a loop) are optional filters: left out, unless one may
 * name a tenant key, in which case the list cannot be read (it may hold the tenant filter on the
 * paths that matter). For `or` every push is an alternative, so a push on some paths only makes the
 * list unreadable. Undefined for any other list (a parameter, a list that escapes or is changed otherwise).
 */
export function conditionListOf(list: ts.Expression, combinedBy: "and" | "or", ctx: AnalysisContext): ts.Expression[] | undefined {
  const id = skipWrappers(list);
  if (!ts.isIdentifier(id)) return undefined;
  const declaration = ctx.checker.getSymbolAtLocation(id)?.valueDeclaration;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  const initializer = skipWrappers(declaration.initializer);
  const block = declaration.parent.parent.parent;
  if (!ts.isArrayLiteralExpression(initializer) || !ts.isBlock(block) || initializer.elements.some(ts.isSpreadElement)) return undefined;
  const always: ts.Expression[] = [...initializer.elements];
  let readable = true;
  const symbol = ctx.checker.getSymbolAtLocation(declaration.name);
  const visit = (node: ts.Node): void => {
    if (!readable) return;
    if (ts.isIdentifier(node) && node !== declaration.name && node.text === id.text && ctx.checker.getSymbolAtLocation(node) === symbol) {
      const member = node.parent;
      const call = member.parent;
      const isPush = ts.isPropertyAccessExpression(member) && member.expression === node && member.name.text === "push" && ts.isCallExpression(call) && call.expression === member;
      if (isPush) {
        const unconditional = ts.isExpressionStatement(call.parent) && call.parent.parent === block;
        const pushed = (call as ts.CallExpression).arguments;
        if (pushed.some(ts.isSpreadElement)) readable = false;
        else if (unconditional) always.push(...pushed);
        else if (combinedBy === "or" || pushed.some((arg) => mayNameTenantKey(arg, ctx))) readable = false;
      } else if (!isCombined(node, combinedBy)) {
        readable = false; // read or changed some other way: the list is not what the pushes say
      }
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(block);
  return readable ? always : undefined;
}

/** `and(...list)` (spread into any call, as Drizzle's operators take it) or `eb.and(list)`. */
function isCombined(use: ts.Identifier, combinedBy: "and" | "or"): boolean {
  const parent = use.parent;
  if (ts.isSpreadElement(parent)) return ts.isCallExpression(parent.parent);
  return ts.isCallExpression(parent) && parent.arguments.length === 1 && parent.arguments[0] === use && calleeName(parent) === combinedBy;
}

/** Whether a condition mentions a tenant key by name anywhere (`t.tenantId`, `"org_id"`). */
function mayNameTenantKey(expr: ts.Node, ctx: AnalysisContext): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if ((ts.isIdentifier(node) || ts.isStringLiteralLike(node)) && ctx.isTenantKey(node.text)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(expr);
  return found;
}

/**
 * The column a condition's first argument names: a Drizzle column (`t.orgId`) or a Kysely reference
 * string. A column object answers to its property name and to its database name (`orgId` declared as
 * `text("org_id")`); the one that is a tenant key is returned.
 */
function columnNameOf(arg: ts.Expression, ctx: AnalysisContext): string | undefined {
  const e = skipWrappers(arg);
  if (ts.isStringLiteralLike(e)) return e.text.replace(/^.*\./, "");
  if (ts.isPropertyAccessExpression(e)) {
    // `table.teamId` in a helper generic over its table (`<T extends { teamId: Column }>`): the
    // column is the one the property names.
    if (ctx.checker.getTypeAtLocation(e.expression).flags & ts.TypeFlags.TypeVariable) return e.name.text;
    const type = ctx.checker.getTypeAtLocation(e);
    const typeName = type.getSymbol()?.getName() ?? "";
    if (/^(Pg|MySql|SQLite|Singlestore|Gel)?Column|^Pg[A-Z]\w*$|^MySql[A-Z]\w*$|^SQLite[A-Z]\w*$|Column$/.test(typeName)) {
      const dbName = declaredColumnName(type, ctx);
      return dbName !== undefined && !ctx.isTenantKey(e.name.text) && ctx.isTenantKey(dbName) ? dbName : e.name.text;
    }
  }
  return undefined;
}

/** The database name a column object's type declares as a literal (`PgColumn<{ name: "org_id" }>` has it as `_.name`). */
export function declaredColumnName(type: ts.Type, ctx: AnalysisContext): string | undefined {
  const meta = ctx.checker.getPropertyOfType(type, "_");
  const name = meta && ctx.checker.getPropertyOfType(ctx.checker.getTypeOfSymbol(meta), "name");
  const nameType = name && ctx.checker.getTypeOfSymbol(name);
  return nameType?.isStringLiteral() ? nameType.value : undefined;
}

/** `"i.tenantId = :tenantId"`, `"org_id = ?"`: a string predicate on the tenant column. */
export function constraintOfSqlPredicate(text: string, node: ts.Node, ctx: AnalysisContext): TenantConstraint {
  const keys = ctx.config.tenantKeys.map(escapeRegExp).join("|");
  const column = `(?:[\\w"\`]+\\.)?["\`]?(?:${keys})["\`]?`;
  if (new RegExp(`${column}\\s*(?:=|==)\\s*(?::\\w+|\\?|\\$\\d+|'[^']*'|\\d+)`, "i").test(text)) return { kind: "pinned" };
  if (new RegExp(`${column}\\s*(?:IN\\b|<>|!=|NOT\\b|LIKE\\b|ANY\\b)`, "i").test(text)) return { kind: "multi", node };
  return NONE;
}

/** `invoices.account_id` -> `account_id`; any other name is returned unchanged. */
function qualifiedColumn(name: string): string {
  return /^\w+\.\w+$/.test(name) ? name.slice(name.indexOf(".") + 1) : name;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
