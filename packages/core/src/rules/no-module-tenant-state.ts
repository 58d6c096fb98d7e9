import ts from "../typescript.cjs";
import type { AnalysisContext } from "../context.js";
import { fileNodes } from "../file-nodes.js";
import { defineCoreRule } from "../rule.js";
import { isFromPackage, nonNullableParts, resolvedSymbol, skipWrappers, staticName } from "../ts-utils.js";

export const noModuleTenantState = defineCoreRule({
  id: "no-module-tenant-state",
  description: "Disallow holding the current tenant where every request shares it (module state, statics, globals)",
  recommended: true,
  messages: {
    moduleVariable:
      "Module-level `{{name}}` holds a tenant value that every concurrent request shares: pass the tenant context explicitly (or read it from request-scoped storage).",
    mutableModuleObject:
      "Module-level object `{{name}}` has a mutable tenant property `{{property}}` that every concurrent request shares.",
    staticField: "Static field `{{name}}` holds a tenant value that every concurrent request shares.",
    singletonField:
      "`{{name}}` is set per request, but this provider is a singleton shared by every request: pass the tenant context as an argument, or make the provider `Scope.REQUEST`.",
    globalProperty: "Global `{{name}}` holds a tenant value that every concurrent request shares.",
    asyncLocalStorage: "This codebase passes the tenant context explicitly: do not hold it in an AsyncLocalStorage.",
  },
  check(sourceFile, ctx, report) {
    for (const statement of sourceFile.statements) {
      if (ts.isVariableStatement(statement)) checkModuleVariables(statement, ctx, report);
      if (ts.isClassDeclaration(statement)) checkStatics(statement, ctx, report);
    }
    checkGlobals(sourceFile, ctx, report);
  },
});

type Reporter = Parameters<typeof noModuleTenantState.check>[2];

function checkModuleVariables(statement: ts.VariableStatement, ctx: AnalysisContext, report: Reporter): void {
  const isConst = (statement.declarationList.flags & ts.NodeFlags.Const) !== 0;
  for (const decl of statement.declarationList.declarations) {
    if (!ts.isIdentifier(decl.name)) continue;
    const name = decl.name.text;
    if (isAsyncLocalStorage(decl, ctx)) {
      if (!ctx.config.allowAsyncLocalStorage) report({ messageId: "asyncLocalStorage", node: statement });
      continue;
    }
    if (!isConst) {
      if (holdsTenant(name, ctx.checker.getTypeAtLocation(decl.name), ctx) || (decl.initializer && isTenantValue(decl.initializer, ctx)) || isAssignedTenantValue(decl, ctx)) {
        report({ messageId: "moduleVariable", node: statement, data: { name } });
      }
      continue;
    }
    const init = decl.initializer && skipWrappers(decl.initializer);
    // A `const` list is as shared as a `let`: pushing the current tenant onto it (a stack for
    // "act as" blocks) holds that tenant for every concurrent request.
    if (init && ts.isArrayLiteralExpression(init) && holdsTenant(name, ctx.checker.getTypeAtLocation(decl.name), ctx) && isMutatedList(decl, ctx)) {
      report({ messageId: "moduleVariable", node: statement, data: { name } });
      continue;
    }
    if (!init || !ts.isObjectLiteralExpression(init) || isFrozen(decl.initializer!)) continue;
    // The declared type decides what the object may hold (`const state: { tenantId?: string } = {}`).
    const objectType = ctx.checker.getTypeAtLocation(decl.name);
    for (const property of ctx.checker.getPropertiesOfType(objectType)) {
      if (isReadonlyProperty(property)) continue;
      const propName = property.getName();
      const propType = ctx.checker.getTypeOfSymbolAtLocation(property, decl.name);
      if (holdsTenant(propName, propType, ctx)) {
        report({ messageId: "mutableModuleObject", node: statement, data: { name, property: propName } });
        break;
      }
    }
  }
}

const LIST_MUTATORS = new Set(["push", "unshift", "splice", "fill"]);

/** The module's list gets elements added after load (`list.push(x)`, `list[i] = x`). */
function isMutatedList(decl: ts.VariableDeclaration, ctx: AnalysisContext): boolean {
  const symbol = ctx.checker.getSymbolAtLocation(decl.name);
  let mutated = false;
  const isList = (e: ts.Expression) => ts.isIdentifier(skipWrappers(e)) && ctx.checker.getSymbolAtLocation(skipWrappers(e)) === symbol;
  const visit = (node: ts.Node): void => {
    if (mutated) return;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && LIST_MUTATORS.has(node.expression.name.text) && isList(node.expression.expression)) mutated = true;
    else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isElementAccessExpression(node.left) && isList(node.left.expression)) mutated = true;
    else ts.forEachChild(node, visit);
  };
  if (symbol) visit(decl.getSourceFile());
  return mutated;
}

function isReadonlyProperty(property: ts.Symbol): boolean {
  return (property.declarations ?? []).some(
    (d) => (ts.isPropertySignature(d) || ts.isPropertyDeclaration(d)) && d.modifiers?.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword),
  );
}

function checkStatics(cls: ts.ClassDeclaration, ctx: AnalysisContext, report: Reporter): void {
  if (isSingletonProvider(cls, ctx)) checkSingletonFields(cls, ctx, report);
  for (const member of cls.members) {
    if (!ts.isPropertyDeclaration(member) || !member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) continue;
    if (member.modifiers.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword)) continue;
    const name = staticName(member.name);
    if (name && holdsTenant(name, ctx.checker.getTypeAtLocation(member), ctx)) {
      report({ messageId: "staticField", node: member, data: { name: `${cls.name?.text ?? "class"}.${name}` } });
    }
  }
}

/** A NestJS `@Injectable()` in the default (singleton) scope: one instance serves every request. */
function isSingletonProvider(cls: ts.ClassDeclaration, ctx: AnalysisContext): boolean {
  const injectable = (ts.getDecorators(cls) ?? []).find((d) => {
    const expr = d.expression;
    return ts.isCallExpression(expr) && staticName(expr.expression) === "Injectable" && isFromPackage(resolvedSymbol(ctx.checker, expr.expression), "@nestjs/common");
  });
  if (!injectable) return false;
  const options = (injectable.expression as ts.CallExpression).arguments[0];
  return !options || !/\bScope\.(REQUEST|TRANSIENT)\b/.test(options.getText());
}

/** Instance fields of a singleton provider that a method (not the constructor) sets to a tenant. */
function checkSingletonFields(cls: ts.ClassDeclaration, ctx: AnalysisContext, report: Reporter): void {
  for (const member of cls.members) {
    if (!ts.isPropertyDeclaration(member) || member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword || m.kind === ts.SyntaxKind.ReadonlyKeyword)) continue;
    const name = staticName(member.name);
    if (!name || !holdsTenant(name, ctx.checker.getTypeAtLocation(member), ctx)) continue;
    const symbol = ctx.checker.getSymbolAtLocation(member.name);
    if (symbol && isAssignedOutsideConstructor(cls, symbol, ctx)) {
      report({ messageId: "singletonField", node: member, data: { name: `${cls.name?.text ?? "provider"}.${name}` } });
    }
  }
}

function isAssignedOutsideConstructor(cls: ts.ClassDeclaration, field: ts.Symbol, ctx: AnalysisContext): boolean {
  let assigned = false;
  for (const member of cls.members) {
    if (ts.isConstructorDeclaration(member) || !ts.isFunctionLike(member)) continue;
    const visit = (node: ts.Node): void => {
      if (assigned) return;
      if (
        ts.isBinaryExpression(node) &&
        node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isPropertyAccessExpression(node.left) &&
        node.left.expression.kind === ts.SyntaxKind.ThisKeyword &&
        ctx.checker.getSymbolAtLocation(node.left.name) === field
      ) {
        assigned = true;
      }
      ts.forEachChild(node, visit);
    };
    visit(member);
  }
  return assigned;
}

/** `globalThis.currentTenant = x`, `(global as any).tenantId = x`. */
function checkGlobals(sourceFile: ts.SourceFile, ctx: AnalysisContext, report: Reporter): void {
  const visit = (node: ts.Node): void => {
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      (ts.isPropertyAccessExpression(node.left) || ts.isElementAccessExpression(node.left))
    ) {
      const target = skipWrappers(node.left.expression);
      const name = staticName(node.left);
      if (ts.isIdentifier(target) && (target.text === "globalThis" || target.text === "global") && name) {
        if (holdsTenant(name, ctx.checker.getTypeAtLocation(node.right), ctx) || isTenantValue(node.right, ctx)) {
          report({ messageId: "globalProperty", node, data: { name: `${target.text}.${name}` } });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
}

/**
 * A tenant holder: typed as a tenant context, or a scalar whose name speaks of the tenant
 * (`currentTenantId`, `activeOrg`; stems come from the configured keys and context types).
 */
function holdsTenant(name: string, type: ts.Type, ctx: AnalysisContext): boolean {
  if (ctx.isContextType(type)) return true;
  if (!nameSpeaksOfTenant(name, ctx)) return false;
  return nonNullableParts(type).every(
    (part) =>
      isTenantScalar(part, ctx) ||
      (ctx.checker.isArrayType(part) && isTenantScalar(ctx.checker.getTypeArguments(part as ts.TypeReference)[0], ctx)) ||
      carriesTenantKey(part, ctx),
  );
}

/** A record of the tenant (`{ tenantId: string; at: Date }`): an object with a tenant key property, but no list or function. */
function carriesTenantKey(type: ts.Type, ctx: AnalysisContext): boolean {
  if (!(type.flags & ts.TypeFlags.Object) || ctx.checker.isArrayType(type) || type.getCallSignatures().length > 0) return false;
  return ctx.checker.getPropertiesOfType(type).some((p) => ctx.isTenantKey(p.getName()));
}

/** A tenant id (string or number), or a tenant context; lists of them (`activeTenants: string[]`) hold tenants too. */
function isTenantScalar(type: ts.Type | undefined, ctx: AnalysisContext): boolean {
  return !!type && (!!(type.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.Any)) || ctx.isContextType(type));
}

export function tenantStems(ctx: AnalysisContext): string[] {
  return ctx.memoize("tenantStems", () => {
    const stems = new Set<string>(["tenant"]);
    for (const key of ctx.config.tenantKeys) stems.add(key.replace(/(Id|_id|ID|Key|_key)$/, "").toLowerCase());
    for (const type of ctx.config.contextTypes) stems.add(type.replace(/(Context|Ctx|Scope)$/, "").toLowerCase());
    return [...stems].filter((s) => s.length >= 3);
  });
}

function nameSpeaksOfTenant(name: string, ctx: AnalysisContext): boolean {
  const words = name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase().split(/[\s_]+/);
  return tenantStems(ctx).some((stem) => words.includes(stem) || words.includes(`${stem}s`));
}

/** A value read from a tenant key (`req.tenant.tenantId`) or typed as a tenant context. */
function isTenantValue(expr: ts.Expression, ctx: AnalysisContext): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAccessExpression(node) && ctx.isTenantKey(node.name.text)) found = true;
    else if (ts.isExpression(node) && ctx.isContextType(ctx.checker.getTypeAtLocation(node))) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(expr);
  return found;
}

/** A module variable some code of its file sets to a tenant (`activeAccountId = ctx.accountId`), whatever its name. */
function isAssignedTenantValue(decl: ts.VariableDeclaration, ctx: AnalysisContext): boolean {
  const symbol = ctx.checker.getSymbolAtLocation(decl.name);
  return (
    symbol !== undefined &&
    fileNodes(decl.getSourceFile()).assignments.some(
      (assignment) => ts.isIdentifier(skipWrappers(assignment.left)) && ctx.checker.getSymbolAtLocation(skipWrappers(assignment.left)) === symbol && isTenantValue(assignment.right, ctx),
    )
  );
}

function isAsyncLocalStorage(decl: ts.VariableDeclaration, ctx: AnalysisContext): boolean {
  const symbol = ctx.checker.getTypeAtLocation(decl.name).getSymbol();
  return symbol?.getName() === "AsyncLocalStorage" && isFromPackage(symbol, "@types/node");
}

function isFrozen(init: ts.Expression): boolean {
  const e = skipWrappers(init);
  if (ts.isAsExpression(init) && init.type.getText() === "const") return true;
  return ts.isCallExpression(e) && e.expression.getText() === "Object.freeze";
}
