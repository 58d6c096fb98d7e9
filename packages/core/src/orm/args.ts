import ts from "../typescript.cjs";
import type { AnalysisContext } from "../context.js";
import { constInitializer, enclosingFunction, resolvedSymbol, returnedExpressions, skipWrappers, staticName } from "../ts-utils.js";

/**
 * An options argument as an object literal, following a `const` variable, or a call of a program
 * function that returns one object (`this.whereFor(ctx, filter)`), if needed.
 */
export function objectLiteralOf(expr: ts.Expression | undefined, ctx: AnalysisContext, depth = 0): ts.ObjectLiteralExpression | undefined {
  if (!expr || depth > MAX_OBJECT_DEPTH) return undefined;
  const e = skipWrappers(expr);
  if (ts.isObjectLiteralExpression(e)) return e;
  if (ts.isIdentifier(e)) {
    const init = constInitializer(ctx.checker, e);
    return init ? objectLiteralOf(init, ctx, depth + 1) : undefined;
  }
  if (ts.isCallExpression(e)) return objectLiteralOf(onlyReturnedExpression(e, ctx), ctx, depth + 1);
  return undefined;
}

const MAX_OBJECT_DEPTH = 6;

/** The one expression the program function a call invokes returns (`scopedWhere(ctx)` -> `{ ... }`), if it returns exactly one. */
export function onlyReturnedExpression(call: ts.CallExpression, ctx: AnalysisContext): ts.Expression | undefined {
  const fn = ctx.calledFunction(call);
  const returns = fn ? returnedExpressions(fn) : [];
  return returns.length === 1 ? returns[0] : undefined;
}

/**
 * The value of `name` in an options object: the expression, `null` when the object is known and
 * has no such property, `undefined` when the object cannot be read (a parameter, a spread that may
 * set it). Properties are read in order, through spreads of objects that can be read
 * (`{ ...this.openTrips(), limit }`), so a later one overrides an earlier one.
 */
export function optionOf(
  options: ts.Expression | undefined,
  name: string,
  ctx: AnalysisContext,
  depth = 0,
): ts.Expression | null | undefined {
  if (!options) return null;
  const literal = objectLiteralOf(options, ctx);
  if (!literal) return undefined;
  let value: ts.Expression | null | undefined = null;
  for (const property of literal.properties) {
    if (ts.isSpreadAssignment(property)) {
      const spread = depth < MAX_OBJECT_DEPTH ? optionOf(property.expression, name, ctx, depth + 1) : undefined;
      // An object that cannot be read changes the option only if its type may have it.
      if (spread !== undefined) value = spread ?? value;
      else if (ctx.checker.getPropertyOfType(ctx.checker.getTypeAtLocation(property.expression), name)) value = undefined;
      continue;
    }
    if (staticName(property.name) !== name) continue;
    if (ts.isPropertyAssignment(property)) value = property.initializer;
    else if (ts.isShorthandPropertyAssignment(property)) value = property.name;
  }
  return value;
}

/**
 * A `join(list, separator)` of SQL fragments (Kysely `sql.join`, Prisma `Prisma.join`), written out
 * as the SQL it builds: each element as `render` reads it (a value it cannot read, or a spread, as
 * `$n` from `parameter`), between the separator's text. Undefined when the list is not an array
 * written in the program (held by a const or not).
 */
export function joinedFragmentsText(
  call: ts.CallExpression,
  ctx: AnalysisContext,
  render: (expr: ts.Expression) => string | undefined,
  parameter: () => string,
  defaultSeparator: string,
): string | undefined {
  const [list, separator] = call.arguments;
  const written = list && skipWrappers(list);
  const init = written && ts.isIdentifier(written) ? constInitializer(ctx.checker, written) : written;
  const e = init && skipWrappers(init);
  if (!e || !ts.isArrayLiteralExpression(e)) return undefined;
  const between = separator ? (render(separator) ?? sqlTextOf(separator, ctx) ?? defaultSeparator) : defaultSeparator;
  return e.elements.map((element) => (ts.isSpreadElement(element) ? undefined : render(element)) ?? parameter()).join(between);
}

/** The key an ORM's own result cache keeps a query under: MikroORM `cache: [key, ttl]`, TypeORM `cache: { id: key }`. */
export function resultCacheKeyOf(options: ts.Expression | undefined, ctx: AnalysisContext): ts.Expression | undefined {
  const cache = optionOf(options, "cache", ctx);
  if (!cache) return undefined;
  const e = skipWrappers(cache);
  if (ts.isArrayLiteralExpression(e)) {
    const key = e.elements[0];
    return key && !ts.isSpreadElement(key) ? key : undefined;
  }
  return optionOf(e, "id", ctx) ?? undefined;
}

/** The SQL text of a string literal, template or const holding one; interpolations read as `$1`, `$2`, ... */
export function sqlTextOf(expr: ts.Expression | undefined, ctx: AnalysisContext): string | undefined {
  if (!expr) return undefined;
  const e = skipWrappers(expr);
  if (ts.isStringLiteralLike(e)) return e.text;
  if (ts.isTemplateExpression(e)) return templateText(e);
  if (ts.isTaggedTemplateExpression(e)) return ts.isNoSubstitutionTemplateLiteral(e.template) ? e.template.text : templateText(e.template);
  if (ts.isIdentifier(e)) {
    const init = constInitializer(ctx.checker, e);
    return init ? sqlTextOf(init, ctx) : undefined;
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = sqlTextOf(e.left, ctx) ?? "$0";
    const right = sqlTextOf(e.right, ctx) ?? "$0";
    return left + right;
  }
  return undefined;
}

export function templateText(template: ts.TemplateExpression | ts.NoSubstitutionTemplateLiteral): string {
  if (ts.isNoSubstitutionTemplateLiteral(template)) return template.text;
  let text = template.head.text;
  template.templateSpans.forEach((span, i) => {
    text += `$${i + 1}${span.literal.text}`;
  });
  return text;
}

/**
 * `{ key: value }` for a write that names one attribute (`row.set("tenantId", v)`), so the checks can
 * read it like any object of written values. The object is positioned at (and parented by) `at`.
 */
export function singleKeyObject(key: ts.StringLiteralLike, value: ts.Expression, at: ts.Expression): ts.ObjectLiteralExpression {
  const name = ts.setTextRange(ts.factory.createStringLiteral(key.text), key);
  const property = ts.setTextRange(ts.factory.createPropertyAssignment(name, value), at);
  const object = ts.setTextRange(ts.factory.createObjectLiteralExpression([property]), at);
  setParent(name, property);
  setParent(property, object);
  setParent(object, at.parent);
  return object;
}

/** Synthesised nodes need a parent so that `getSourceFile()` and `getText()` work on them. */
function setParent(node: ts.Node, parent: ts.Node): void {
  (node as { parent: ts.Node }).parent = parent;
}

/**
 * True when the new row a variable holds (`const row = new Invoice({...})`, `Model.build({...})`)
 * is given a tenant key after it is built, before it is saved: `row.tenantId = x`, `row.set(...)`,
 * `Object.assign(row, ...)`. Its constructor values then do not tell what the saved row holds.
 */
export function isCompletedAfterBuild(variable: ts.Identifier, ctx: AnalysisContext): boolean {
  const symbol = resolvedSymbol(ctx.checker, variable);
  if (!symbol) return true;
  const declaration = symbol.valueDeclaration ?? variable;
  const scope: ts.Node = enclosingFunction(declaration) ?? declaration.getSourceFile();
  const isRow = (expr: ts.Expression) => {
    const e = skipWrappers(expr);
    return ts.isIdentifier(e) && resolvedSymbol(ctx.checker, e) === symbol;
  };
  let completed = false;
  const visit = (node: ts.Node): void => {
    if (completed) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left)) {
      const key = node.left.name.text;
      if (isRow(node.left.expression) && (ctx.isTenantKey(key) || ctx.isTenantRelationName(key))) completed = true;
    } else if (ts.isCallExpression(node)) {
      const callee = skipWrappers(node.expression);
      if (ts.isPropertyAccessExpression(callee) && isRow(callee.expression) && /^(\$?set|setDataValue)$/.test(callee.name.text)) {
        // `row.set("status", x)` names another attribute; `row.set({...})` may carry the key.
        const first = node.arguments[0] && skipWrappers(node.arguments[0]);
        if (!first || !ts.isStringLiteralLike(first) || ctx.isTenantKey(first.text) || ctx.isTenantRelationName(first.text)) completed = true;
      }
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === "assign" && node.arguments[0] && isRow(node.arguments[0])) completed = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return completed;
}

/**
 * A tagged template `accept` takes (an ORM's `sql\`...\``), written here, held by a const, or the
 * one value a helper of this program returns.
 */
export function taggedTemplateOf(
  expr: ts.Expression,
  ctx: AnalysisContext,
  accept: (template: ts.TaggedTemplateExpression) => boolean,
  depth = 0,
): ts.TaggedTemplateExpression | undefined {
  const e = skipWrappers(expr);
  if (depth > MAX_TEMPLATE_DEPTH) return undefined;
  if (ts.isIdentifier(e)) {
    const init = constInitializer(ctx.checker, e);
    return init && taggedTemplateOf(init, ctx, accept, depth + 1);
  }
  if (ts.isCallExpression(e)) {
    const returned = onlyReturnedExpression(e, ctx);
    return returned && taggedTemplateOf(returned, ctx, accept, depth + 1);
  }
  return ts.isTaggedTemplateExpression(e) && accept(e) ? e : undefined;
}

const MAX_TEMPLATE_DEPTH = 6;

/** `"projects as p"` -> `projects`: the table a SQL builder's table reference names (`"public.projects"` stays as written). */
export function tableOfReference(reference: string): string {
  return reference.replace(/\s+as\s+\S+\s*$/i, "").trim();
}
