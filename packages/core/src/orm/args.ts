import ts from "typescript";
import type { AnalysisContext } from "../context.js";
import { constInitializer, skipWrappers, staticName } from "../ts-utils.js";

/** An options argument as an object literal, following a `const` variable if needed. */
export function objectLiteralOf(expr: ts.Expression | undefined, ctx: AnalysisContext): ts.ObjectLiteralExpression | undefined {
  if (!expr) return undefined;
  const e = skipWrappers(expr);
  if (ts.isObjectLiteralExpression(e)) return e;
  if (ts.isIdentifier(e)) {
    const init = constInitializer(ctx.checker, e);
    return init ? objectLiteralOf(init, ctx) : undefined;
  }
  return undefined;
}

/**
 * The value of `name` in an options object: the expression, `null` when the object is known and
 * has no such property, `undefined` when the object cannot be read (a parameter, a spread).
 */
export function optionOf(
  options: ts.Expression | undefined,
  name: string,
  ctx: AnalysisContext,
): ts.Expression | null | undefined {
  if (!options) return null;
  const literal = objectLiteralOf(options, ctx);
  if (!literal) return undefined;
  let unknown = false;
  for (const property of literal.properties) {
    if (ts.isSpreadAssignment(property)) {
      unknown = true;
      continue;
    }
    if (staticName(property.name) !== name) continue;
    if (ts.isPropertyAssignment(property)) return property.initializer;
    if (ts.isShorthandPropertyAssignment(property)) return property.name;
  }
  return unknown ? undefined : null;
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
