import ts from "../typescript.cjs";
import { fileNodes } from "../file-nodes.js";
import { defineCoreRule } from "../rule.js";
import type { AnalysisContext } from "../context.js";
import { calleeName, isFromPackage, resolvedSymbol, skipWrappers, staticName, variableDeclarationOf } from "../ts-utils.js";
import { setsTenantKey } from "../writes.js";

export const noTenantIdMutation = defineCoreRule({
  id: "no-tenant-id-mutation",
  description: "Disallow updates that change a row's tenant key: tenant ids are immutable",
  recommended: true,
  messages: {
    loadedRowTenantKeyWritten:
      "This assigns `{{key}}` of a row loaded from the database: tenant ids are immutable, so saving it would move the row to another tenant.",
    tenantKeyWritten:
      "This {{method}} writes the tenant key of existing {{entity}} rows: tenant ids are immutable, so moving a row to another tenant must be an audited copy, not an update.",
  },
  check(sourceFile, ctx, report) {
    const { assignments, calls } = fileNodes(sourceFile);
    for (const assignment of assignments) {
      const key = tenantKeyAssignedOfLoadedRow(assignment, ctx);
      if (key) report({ messageId: "loadedRowTenantKeyWritten", node: assignment, data: { key } });
    }
    for (const call of calls) {
      const merged = tenantKeyMergedIntoLoadedRow(call, ctx);
      if (merged) {
        report({ messageId: "loadedRowTenantKeyWritten", node: call, data: { key: merged } });
        continue;
      }
      const access = ctx.accessOf(call);
      if (!access || access.updated.length === 0) continue;
      if (access.updated.some((value) => setsTenantKey(value, ctx, { optionalCounts: false, entityKeys: access.entity.tenantKeys }) === "yes")) {
        report({ messageId: "tenantKeyWritten", node: access.node, data: { method: access.method, entity: access.entity.name } });
      }
    }
  },
});

/**
 * The tenant key `row.tenantId = x` writes, where `row` was loaded by an ORM read (`const row = await repo.findOneBy(...)`):
 * saving the entity afterwards moves it to another tenant. New entities (`new Invoice()`) are fine.
 */
function tenantKeyAssignedOfLoadedRow(assignment: ts.BinaryExpression, ctx: AnalysisContext): string | undefined {
  const left = assignment.left;
  if (!ts.isPropertyAccessExpression(left) || !ctx.isTenantKey(left.name.text)) return undefined;
  return loadedRowRead(left.expression, ctx) !== undefined ? left.name.text : undefined;
}

/**
 * The tenant key written by merging data into a loaded row with MikroORM's `em.assign(row, {...})`
 * or `wrap(row).assign({...})`: the next flush moves it. (`Object.assign` is a write like any other,
 * reported where the row is saved.)
 */
function tenantKeyMergedIntoLoadedRow(call: ts.CallExpression, ctx: AnalysisContext): string | undefined {
  const callee = skipWrappers(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== "assign") return undefined;
  const receiver = skipWrappers(callee.expression);
  // `wrap(row).assign(data)`: the row is wrap's argument; otherwise `x.assign(row, data)`.
  const wrapped = ts.isCallExpression(receiver) && calleeName(receiver) === "wrap" && isFromPackage(resolvedSymbol(ctx.checker, receiver.expression), "@mikro-orm/core");
  const [row, data] = wrapped ? [receiver.arguments[0], call.arguments[0]] : [call.arguments[0], call.arguments[1]];
  if (!row || !data || !ts.isObjectLiteralExpression(skipWrappers(data))) return undefined;
  if (!wrapped && !isFromPackage(resolvedSymbol(ctx.checker, callee.name), "@mikro-orm/core")) return undefined;
  const read = loadedRowRead(row, ctx);
  if (!read) return undefined;
  const written = (skipWrappers(data) as ts.ObjectLiteralExpression).properties.map((p) => staticName(p.name)).find((name) => ctx.isTenantKey(name));
  return written && setsTenantKey(data, ctx, { optionalCounts: false, entityKeys: read.entity.tenantKeys }) === "yes" ? written : undefined;
}

/**
 * The ORM read a row variable was loaded by (`const row = await repo.findOneBy(...)`), if it was,
 * also as the first row of a list (`const [row] = await ...`) or one of several loaded together
 * (`const [store, row] = await Promise.all([..., Supplier.findOne(...)])`).
 */
function loadedRowRead(expr: ts.Expression, ctx: AnalysisContext) {
  const target = skipWrappers(expr);
  if (!ts.isIdentifier(target)) return undefined;
  const decl = variableDeclarationOf(ctx.checker, target);
  const loaded = decl && ts.isVariableDeclaration(decl) ? decl.initializer : decl && ts.isBindingElement(decl) ? elementInitializer(decl) : undefined;
  const init = loaded && skipWrappers(loaded);
  if (!init || !ts.isCallExpression(init)) return undefined;
  const access = ctx.accessOf(init) ?? outermostAccess(init, ctx);
  return access?.operation === "read" ? access : undefined;
}

/** What `[a, b]` in `const [a, b] = await Promise.all([x, y])` (or `a` in `const [a] = await x`) holds. */
function elementInitializer(element: ts.BindingElement): ts.Expression | undefined {
  const pattern = element.parent;
  const declaration = pattern.parent;
  if (!ts.isArrayBindingPattern(pattern) || !ts.isVariableDeclaration(declaration) || !declaration.initializer || element.dotDotDotToken) return undefined;
  const index = pattern.elements.indexOf(element);
  const whole = skipWrappers(declaration.initializer);
  const [list] = ts.isCallExpression(whole) && isPromiseAll(whole) ? whole.arguments : [];
  if (list) {
    const items = skipWrappers(list);
    return ts.isArrayLiteralExpression(items) && !items.elements.some(ts.isSpreadElement) ? items.elements[index] : undefined;
  }
  return index === 0 ? whole : undefined;
}

function isPromiseAll(call: ts.CallExpression): boolean {
  const callee = skipWrappers(call.expression);
  return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === "Promise" && callee.name.text === "all";
}

/** `await repo.findOne(...)` may be wrapped in further calls of the same chain (`.exec()`). */
function outermostAccess(call: ts.CallExpression, ctx: AnalysisContext) {
  const callee = skipWrappers(call.expression);
  return ts.isPropertyAccessExpression(callee) && ts.isCallExpression(skipWrappers(callee.expression))
    ? ctx.accessOf(skipWrappers(callee.expression) as ts.CallExpression)
    : undefined;
}
