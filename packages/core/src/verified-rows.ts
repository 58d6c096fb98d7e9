import ts from "./typescript.cjs";
import { relationNameOfKey, type AnalysisContext } from "./context.js";
import type { DataAccess, EntityInfo, FilterPart } from "./model.js";
import { objectLiteralOf } from "./orm/args.js";
import { methodChain } from "./chain.js";
import { constraintOfObject, LOGICAL_AND, scopeOfAccess } from "./scope.js";
import { calleeName, enclosingFunction, isReassigned, resolvedSymbol, returnedExpressions, skipWrappers, variableDeclarationOf } from "./ts-utils.js";

/**
 * A write by primary key to a row the code has already proven to be the tenant's: the key is read
 * from a row loaded by a tenant-scoped read, or loaded and then checked, here or in a function of
 * the program that returns it. `const course = await this.find(ctx, id); ...
 * update({ where: { id: course.id } })` touches that row and no other.
 */
export function targetsVerifiedRow(access: DataAccess, ctx: AnalysisContext): boolean {
  return access.filters.some(
    (part) =>
      keyValues(part, ctx, isPrimaryKey).some((value) => isKeyOfVerifiedRow(value, access.entity, ctx)) ||
      // Rows that reference a verified row (`deleteMany({ where: { entryId: entry.id } })`) are its
      // children, and so the tenant's too.
      keyValues(part, ctx, (column) => !isPrimaryKey(column)).some((value) => isPrimaryKeyOfVerifiedRow(value, undefined, ctx) || isVerifiedRowReference(value, ctx)),
  );
}

const PRIMARY_KEYS = new Set(["id", "_id"]);
const isPrimaryKey = (column: string) => PRIMARY_KEYS.has(column);

/** The values a filter part compares the columns `wanted` picks with: `{ id: v }`, `where("id", v)`, `eq(t.id, v)`. */
function keyValues(part: FilterPart, ctx: AnalysisContext, wanted: (column: string) => boolean): ts.Expression[] {
  switch (part.kind) {
    case "object": {
      const criteria = objectLiteralOf(part.expr, ctx);
      if (!criteria) return [];
      return criteria.properties.flatMap((p) => {
        if (ts.isShorthandPropertyAssignment(p)) return wanted(p.name.text) ? [p.name] : [];
        if (!ts.isPropertyAssignment(p) || !ts.isIdentifier(p.name)) return [];
        // `{ $and: [{ vehicle: vehicle.id }, ...] }`: every element applies.
        const list = skipWrappers(p.initializer);
        if (LOGICAL_AND.has(p.name.text) && ts.isArrayLiteralExpression(list)) return list.elements.flatMap((element) => keyValues({ kind: "object", expr: element }, ctx, wanted));
        return wanted(p.name.text) ? [p.initializer] : [];
      });
    }
    case "column":
      return wanted(part.column.replace(/^.*\./, "")) && ["=", "=="].includes(part.operator) && part.value ? [part.value] : [];
    case "condition": {
      const e = skipWrappers(part.expr);
      if (!ts.isCallExpression(e) || calleeName(e) !== "eq" || e.arguments.length !== 2) return [];
      const column = skipWrappers(e.arguments[0]!);
      return ts.isPropertyAccessExpression(column) && wanted(column.name.text) ? [e.arguments[1]!] : [];
    }
    case "unscoped":
      // Find-by-id methods (`findByIdAndUpdate(row._id, ...)`) record the id they are given.
      return wanted("id") && ts.isExpression(part.node) ? [part.node] : [];
    default:
      return [];
  }
}

function primaryKeyValues(part: FilterPart, ctx: AnalysisContext): ts.Expression[] {
  return keyValues(part, ctx, isPrimaryKey);
}

/**
 * `row.id` where `row` holds a tenant-verified row of the entity, or the `id` a verified row was
 * loaded by earlier in the same function (`findUnique({ where: { id } })`, checked, then
 * `update({ where: { id } })`).
 */
function isKeyOfVerifiedRow(value: ts.Expression, entity: EntityInfo, ctx: AnalysisContext): boolean {
  const e = skipWrappers(value);
  if (ts.isIdentifier(e)) return loadedByVerifiedRead(e, entity, ctx);
  return isPrimaryKeyOfVerifiedRow(e, entity, ctx) || areKeysOfVerifiedRows(e, entity, ctx) || isReferenceOfVerifiedRow(e, ctx);
}

/**
 * `shipment.vehicleId` where `shipment` holds a tenant-verified row: the row it references (by a
 * `<relation>Id` / `<relation>_id` key other than the tenant's) belongs to the same tenant, as the
 * children of a verified row do.
 */
function isReferenceOfVerifiedRow(value: ts.Expression, ctx: AnalysisContext): boolean {
  if (!ts.isPropertyAccessExpression(value)) return false;
  const key = value.name.text;
  if (PRIMARY_KEYS.has(key) || ctx.isTenantKey(key) || relationNameOfKey(key) === undefined) return false;
  const row = skipWrappers(value.expression);
  return ts.isIdentifier(row) && isVerifiedRow(row, undefined, ctx, 0);
}

/** `rows.map((row) => row.id)` where `rows` holds rows of the entity read in scope: keys of the tenant's rows only. */
function areKeysOfVerifiedRows(value: ts.Expression, entity: EntityInfo, ctx: AnalysisContext): boolean {
  if (!ts.isCallExpression(value) || value.arguments.length !== 1) return false;
  const callee = skipWrappers(value.expression);
  const mapper = skipWrappers(value.arguments[0]!);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== "map" || !ts.isArrowFunction(mapper)) return false;
  const [param] = mapper.parameters;
  const body = ts.isBlock(mapper.body) ? undefined : skipWrappers(mapper.body);
  const rows = skipWrappers(callee.expression);
  return (
    !!param && ts.isIdentifier(param.name) && !!body && ts.isPropertyAccessExpression(body) && PRIMARY_KEYS.has(body.name.text) &&
    ts.isIdentifier(skipWrappers(body.expression)) && (skipWrappers(body.expression) as ts.Identifier).text === param.name.text &&
    ts.isIdentifier(rows) && isVerifiedRow(rows, entity, ctx, 0)
  );
}

/** A verified row itself given as a relation's value (`find(TicketType, { event })`, MikroORM and TypeORM). */
function isVerifiedRowReference(value: ts.Expression, ctx: AnalysisContext): boolean {
  const e = skipWrappers(value);
  return ts.isIdentifier(e) && isVerifiedRow(e, undefined, ctx, 0);
}

/** `row.id` where `row` holds a tenant-verified row of the entity (of any tenant-scoped entity when none is given). */
function isPrimaryKeyOfVerifiedRow(value: ts.Expression, entity: EntityInfo | undefined, ctx: AnalysisContext): boolean {
  const e = skipWrappers(value);
  if (!ts.isPropertyAccessExpression(e) || !PRIMARY_KEYS.has(e.name.text)) return false;
  const row = skipWrappers(e.expression);
  return ts.isIdentifier(row) && isVerifiedRow(row, entity, ctx, 0);
}

function loadedByVerifiedRead(id: ts.Identifier, entity: EntityInfo, ctx: AnalysisContext): boolean {
  const symbol = valueSymbol(id, ctx);
  const fn = enclosingFunction(id);
  if (!symbol || !fn || !("body" in fn) || !fn.body) return false;
  let verified = false;
  const visit = (node: ts.Node): void => {
    if (verified || node.getStart() >= id.getStart()) return;
    const init = ts.isVariableDeclaration(node) && node.initializer ? skipWrappers(node.initializer) : undefined;
    const access = init && ts.isCallExpression(init) ? ctx.accessOf(init) : undefined;
    if (
      access?.operation === "read" &&
      readsEntity(access, entity) &&
      access.filters.some((part) => primaryKeyValues(part, ctx).some((key) => ts.isIdentifier(skipWrappers(key)) && valueSymbol(skipWrappers(key) as ts.Identifier, ctx) === symbol)) &&
      // A scoped read that found nothing proves nothing about the id: it must have thrown, or the code returned.
      (isCheckedAfterLoad(access, ctx) || (scopeOfAccess(access, ctx).kind === "pinned" && isFoundOrExited(node as ts.VariableDeclaration, access)))
    ) {
      verified = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(fn.body);
  return verified;
}

/** Whether an access touches rows of the entity: its own, or a generic base repository's, which are whichever entity a subclass binds. */
function readsEntity(access: DataAccess, entity: EntityInfo): boolean {
  return access.entity.name === entity.name || access.entity.generic === true;
}

/** The read throws when it finds nothing (`findFirstOrThrow`, `findOneOrFail`), or an `if (!row) return` follows it. */
function isFoundOrExited(declaration: ts.VariableDeclaration, access: DataAccess): boolean {
  if (/(?:OrThrow|OrFail)$/.test(access.method)) return true;
  const row = loadedRowName(declaration.name);
  const statement = declaration.parent.parent;
  const block = statement.parent;
  if (!row || !ts.isVariableStatement(statement) || !ts.isBlock(block)) return false;
  return block.statements
    .slice(block.statements.indexOf(statement) + 1)
    .some((s) => ts.isIfStatement(s) && exitsEarly(s.thenStatement) && mentions(s.expression, row.text));
}

function mentions(node: ts.Node, name: string): boolean {
  return (ts.isIdentifier(node) && node.text === name) || ts.forEachChild(node, (child) => mentions(child, name) || undefined) === true;
}

/** The variable or parameter an identifier reads, also as the value of a `{ id }` shorthand. */
function valueSymbol(id: ts.Identifier, ctx: AnalysisContext): ts.Symbol | undefined {
  return ts.isShorthandPropertyAssignment(id.parent) && id.parent.name === id ? ctx.checker.getShorthandAssignmentValueSymbol(id.parent) : resolvedSymbol(ctx.checker, id);
}

const MAX_DEPTH = 3;

function isVerifiedRow(row: ts.Identifier, entity: EntityInfo | undefined, ctx: AnalysisContext, depth: number): boolean {
  let declaration = variableDeclarationOf(ctx.checker, row);
  // `const [row] = await ...`: the first row of a list read.
  if (declaration && ts.isBindingElement(declaration) && ts.isArrayBindingPattern(declaration.parent) && ts.isVariableDeclaration(declaration.parent.parent)) {
    declaration = declaration.parent.parent;
  }
  if (!declaration || !ts.isVariableDeclaration(declaration) || loadedRowName(declaration.name)?.text !== row.text) return false;
  // `for (const row of rows)`: each row of a list read in scope.
  const loop = declaration.parent.parent;
  const loaded = ts.isForOfStatement(loop) && ts.isIdentifier(declaration.name) ? loop.expression : declaration.initializer;
  return loaded !== undefined && !isReassigned(ctx.checker, declaration) && isVerifiedLoad(loaded, entity, ctx, depth);
}

/** A tenant-scoped or checked single-row read of the entity, or a call of a function that only returns such rows. */
function isVerifiedLoad(expr: ts.Expression, entity: EntityInfo | undefined, ctx: AnalysisContext, depth: number): boolean {
  const e = skipWrappers(expr);
  // `row ?? null`: the row, or none.
  if (ts.isBinaryExpression(e) && [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(e.operatorToken.kind)) {
    return isVerifiedLoad(e.left, entity, ctx, depth) && isVerifiedLoad(e.right, entity, ctx, depth);
  }
  if (ts.isIdentifier(e)) return e.text === "undefined" || isVerifiedRow(e, entity, ctx, depth + 1);
  if (e.kind === ts.SyntaxKind.NullKeyword) return true;
  if (!ts.isCallExpression(e) || depth > MAX_DEPTH) return false;
  const access = ctx.accessOf(e);
  if (access) {
    if (entity && !readsEntity(access, entity)) return false;
    // A row read in scope or checked after loading, or created with the tenant's key.
    if (access.operation === "read") return scopeOfAccess(access, ctx).kind === "pinned" || isCheckedAfterLoad(access, ctx);
    // The rows an update or delete in scope returns (`update(...).where(...).returning()`) are the tenant's.
    if (access.operation === "update" || access.operation === "delete") return scopeOfAccess(access, ctx).kind === "pinned";
    return access.operation === "create" && access.created.length > 0 && access.created.every((row) => constraintOfObject(row, access.entity, ctx, 0).kind === "pinned");
  }
  // A query continuing the builder a function returns (`scopedInvoices(ctx).where("id", "=", id)
  // .executeTakeFirst()`), where every builder it returns is a tenant-scoped read (a returned
  // builder is never checked after loading, so only its scope can verify it).
  const { root } = methodChain(e);
  if (root !== e && ts.isCallExpression(root)) {
    const helper = ctx.calledFunction(root);
    const builders = helper ? returnedExpressions(helper).map((r) => skipWrappers(r)) : [];
    if (builders.length && builders.every((builder) => isVerifiedLoad(builder, entity, ctx, depth + 1))) return true;
  }
  const fn = ctx.calledFunction(e);
  const returns = fn ? returnedExpressions(fn) : [];
  if (returns.length > 0) return returns.every((r) => isVerifiedLoad(r, entity, ctx, depth + 1));
  // A library call that returns what its callback returns (`db.transaction(async (tx) => { ...; return row; })`).
  const callback = e.arguments.map((arg) => skipWrappers(arg)).find((arg) => ts.isArrowFunction(arg) || ts.isFunctionExpression(arg)) as ts.ArrowFunction | ts.FunctionExpression | undefined;
  const callbackReturns = callback && !fn ? returnedExpressions(callback) : [];
  return callbackReturns.length > 0 && callbackReturns.every((r) => isVerifiedLoad(r, entity, ctx, depth + 1));
}

/**
 * A single row loaded by id whose tenant key is compared before use:
 * `const row = await find(...); if (!row || row.tenantId !== ctx.tenantId) throw ...`.
 */
export function isCheckedAfterLoad(access: DataAccess, ctx: AnalysisContext): boolean {
  let node: ts.Node = access.node;
  while (node.parent && (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent))) {
    node = node.parent;
  }
  const decl = node.parent;
  if (!decl || !ts.isVariableDeclaration(decl) || skipWrappers(decl.initializer!) !== skipWrappers(node as ts.Expression)) {
    return false;
  }
  // One row is used: a single-row read, or the first row destructured from a list (`const [row] = ...`).
  if (!access.singleRow && !ts.isArrayBindingPattern(decl.name)) return false;
  const row = loadedRowName(decl.name);
  const rowSymbol = row && ctx.checker.getSymbolAtLocation(row);
  const statement = decl.parent.parent;
  const block = statement.parent;
  if (!rowSymbol || !ts.isVariableStatement(statement) || !(ts.isBlock(block) || ts.isSourceFile(block))) return false;
  const following = block.statements.slice(block.statements.indexOf(statement) + 1);
  return following.some((s) => ts.isIfStatement(s) && comparesTenantKeyOf(s.expression, rowSymbol, access.entity, ctx) && exitsEarly(s.thenStatement));
}

/** `row` in `const row = ...`, or in `const [row] = ...` for ORMs that return a single row as a one-element array. */
function loadedRowName(name: ts.BindingName): ts.Identifier | undefined {
  if (ts.isIdentifier(name)) return name;
  if (!ts.isArrayBindingPattern(name) || name.elements.length !== 1) return undefined;
  const first = name.elements[0]!;
  return ts.isBindingElement(first) && !first.dotDotDotToken && ts.isIdentifier(first.name) ? first.name : undefined;
}

function comparesTenantKeyOf(condition: ts.Expression, row: ts.Symbol, entity: EntityInfo, ctx: AnalysisContext): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      ts.isBinaryExpression(node) &&
      [ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(node.operatorToken.kind) &&
      [node.left, node.right].some((side) => readsTenantKeyOf(side, row, entity, ctx))
    ) {
      found = true;
      return;
    }
    if (isNegatedKeyEquals(node, row, entity, ctx)) {
      found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(condition);
  return found;
}

/** `!row.tenantId.equals(x)`: the inequality of key objects such as a Mongo `ObjectId`. */
function isNegatedKeyEquals(node: ts.Node, row: ts.Symbol, entity: EntityInfo, ctx: AnalysisContext): boolean {
  if (!ts.isPrefixUnaryExpression(node) || node.operator !== ts.SyntaxKind.ExclamationToken) return false;
  const call = skipWrappers(node.operand);
  if (!ts.isCallExpression(call)) return false;
  const callee = skipWrappers(call.expression);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === "equals" && readsTenantKeyOf(callee.expression, row, entity, ctx);
}

/** `row.tenantId`: the row's tenant key, by a configured name or by the entity's own key property. */
function readsTenantKeyOf(expr: ts.Expression, row: ts.Symbol, entity: EntityInfo, ctx: AnalysisContext): boolean {
  let e = stringifiedValue(skipWrappers(expr));
  // The tenant relation's key: `ticket.tenant.id`.
  const relationKey = ts.isPropertyAccessExpression(e) && PRIMARY_KEYS.has(e.name.text) && ts.isPropertyAccessExpression(skipWrappers(e.expression));
  if (relationKey) e = skipWrappers((e as ts.PropertyAccessExpression).expression);
  if (!ts.isPropertyAccessExpression(e)) return false;
  const name = e.name.text;
  if (!ctx.isTenantKey(name) && !entity.tenantKeys.includes(name) && !(relationKey && entity.tenantRelations.includes(name))) return false;
  const target = skipWrappers(e.expression);
  return ts.isIdentifier(target) && resolvedSymbol(ctx.checker, target) === row;
}

/** `x.toString()`, `x.toHexString()`, `String(x)` -> `x`: a key object (a Mongo `ObjectId`) compared as a string. */
function stringifiedValue(expr: ts.Expression): ts.Expression {
  if (!ts.isCallExpression(expr)) return expr;
  const callee = skipWrappers(expr.expression);
  if (ts.isPropertyAccessExpression(callee) && expr.arguments.length === 0 && ["toString", "toHexString"].includes(callee.name.text)) {
    return skipWrappers(callee.expression);
  }
  if (ts.isIdentifier(callee) && callee.text === "String" && expr.arguments.length === 1) return skipWrappers(expr.arguments[0]!);
  return expr;
}

function exitsEarly(statement: ts.Statement): boolean {
  if (ts.isThrowStatement(statement) || ts.isReturnStatement(statement)) return true;
  if (ts.isBlock(statement)) return statement.statements.some((s) => ts.isThrowStatement(s) || ts.isReturnStatement(s));
  if (ts.isExpressionStatement(statement)) return true; // e.g. `ctx.throw(404)`, `res.sendStatus(404)` guarded by return elsewhere
  return false;
}
