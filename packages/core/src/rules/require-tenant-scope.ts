import ts from "typescript";
import type { AnalysisContext } from "../context.js";
import type { DataAccess, EntityInfo } from "../model.js";
import { enclosingBypass, isInsideTenantTransaction } from "../bypass.js";
import { setsTenantKey } from "../writes.js";
import { defineCoreRule } from "../rule.js";
import { scopeOfAccess } from "../scope.js";
import { originsOf } from "../taint.js";
import { forEachDescendant, resolvedSymbol, shortText, skipWrappers } from "../ts-utils.js";

export const requireTenantScope = defineCoreRule({
  id: "require-tenant-scope",
  description: "Require reads, updates and deletes of tenant-scoped entities to filter on the tenant key",
  recommended: true,
  messages: {
    addTenantFilter: "Filter on the tenant in scope: `{{value}}`.",
    missingTenantScope:
      "{{operation}} of tenant-scoped {{entity}} is not constrained to one tenant: filter on {{keys}} (e.g. from the request's tenant context).",
    tenantMaybeUndefined:
      "The tenant filter `{{value}}` may be undefined: {{orm}} drops an undefined filter or fails at run time, so this {{operationLower}} of {{entity}} is not confined to one tenant.",
  },
  check(sourceFile, ctx, report) {
    forEachDescendant(sourceFile, (node) => {
      if (!ts.isCallExpression(node)) return;
      const access = ctx.accessOf(node);
      if (!access || access.operation === "create" || enclosingBypass(access.node, ctx) || isInsideTenantTransaction(access.node, ctx)) return;
      // An upsert whose update writes the tenant key takes over rows of other tenants: that is
      // no-tenant-id-mutation's finding, and one bug gets one report.
      if (access.operation === "upsert" && access.updated.some((value) => setsTenantKey(value, ctx, { optionalCounts: false }) === "yes")) return;
      const scope = scopeOfAccess(access, ctx);
      const data = {
        operation: capitalize(operationLabel(access)),
        entity: access.entity.name,
        keys: access.entity.tenantKeys.join(" or ") || access.entity.tenantRelations.join(" or "),
        orm: ormLabel(access),
      };
      if (scope.kind === "maybe-undefined") {
        // A tenant value the client controls is no-client-tenant-id's finding (that it may also be
        // missing is part of the same bug): one bug gets one report.
        if (ts.isExpression(scope.value) && originsOf(scope.value, ctx).some((o) => o.kind === "client")) return;
        report({ messageId: "tenantMaybeUndefined", node: access.node, data: { ...data, operationLower: operationLabel(access), value: shortText(scope.value) } });
      } else if (scope.kind === "none" && !isCheckedAfterLoad(access, ctx) && !isTenantResolution(access, ctx)) {
        report({ messageId: "missingTenantScope", node: access.node, data });
      }
    });
  },
});

function operationLabel(access: DataAccess): string {
  return access.operation === "read" ? "read" : access.operation === "upsert" ? "upsert" : access.operation;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const ORM_LABELS: Record<string, string> = {
  prisma: "Prisma",
  typeorm: "TypeORM",
  drizzle: "Drizzle",
  knex: "Knex",
  kysely: "Kysely",
  sequelize: "Sequelize",
  mongoose: "Mongoose",
  "mikro-orm": "MikroORM",
  runtime: "the repository",
};

export function ormLabel(access: DataAccess): string {
  return ORM_LABELS[access.orm] ?? access.orm;
}

/**
 * A read inside a trusted resolver (config `trustedResolvers`): those files map identities to
 * tenants (an API key, a session, a domain, the memberships a user may switch between), so their
 * reads run before, or to decide, which tenant a request has, and cannot be filtered on one.
 */
function isTenantResolution(access: DataAccess, ctx: AnalysisContext): boolean {
  return access.operation === "read" && ctx.isTrustedResolverFile(access.node.getSourceFile());
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
  const e = stringifiedValue(skipWrappers(expr));
  if (!ts.isPropertyAccessExpression(e)) return false;
  if (!ctx.isTenantKey(e.name.text) && !entity.tenantKeys.includes(e.name.text)) return false;
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
