import ts from "typescript";

/** One method call in a builder chain: `.where({...})`. */
export interface ChainLink {
  readonly name: string;
  readonly call: ts.CallExpression;
  readonly args: readonly ts.Expression[];
}

/** A builder chain `root.a(x).b(y)`: its root (the first non-method-call expression) and its calls, innermost first. */
export interface MethodChain {
  readonly root: ts.Expression;
  readonly links: readonly ChainLink[];
}

/** True when a call is not itself the receiver of a further method call (`x.a()` in `x.a().b()` is not). */
export function isOutermostCall(call: ts.CallExpression): boolean {
  let node: ts.Node = call;
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isNonNullExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  return !(
    parent &&
    (ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) &&
    parent.expression === node &&
    parent.parent &&
    ts.isCallExpression(parent.parent) &&
    parent.parent.expression === parent
  );
}

/**
 * Parentheses, assertions and `!` only: an `await` ends a chain (`(await q).find(...)` calls a
 * method of the loaded result), exactly as `isOutermostCall` sees it.
 */
function skipChainWrappers(expr: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isNonNullExpression(expr) || ts.isSatisfiesExpression(expr)) {
    expr = expr.expression;
  }
  return expr;
}

export function methodChain(outer: ts.CallExpression): MethodChain {
  const links: ChainLink[] = [];
  let expr: ts.Expression = outer;
  for (;;) {
    const e = skipChainWrappers(expr);
    if (!ts.isCallExpression(e)) break;
    const callee = skipChainWrappers(e.expression);
    if (!ts.isPropertyAccessExpression(callee)) break;
    links.unshift({ name: callee.name.text, call: e, args: e.arguments });
    expr = callee.expression;
  }
  return { root: skipChainWrappers(expr), links };
}
