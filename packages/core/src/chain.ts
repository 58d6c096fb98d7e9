import ts from "./typescript.cjs";

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
  return nextCallInChain(call) === undefined;
}

/** The last call of the method chain a call is a link of (`x.a().b()` for `x.a()`), or the call itself. */
export function outermostCall(call: ts.CallExpression): ts.CallExpression {
  let current = call;
  for (let next = nextCallInChain(current); next; next = nextCallInChain(current)) current = next;
  return current;
}

/** The method call made on a call's result (`.b()` on `x.a()` in `x.a().b()`), if any. */
function nextCallInChain(call: ts.CallExpression): ts.CallExpression | undefined {
  let node: ts.Node = call;
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isNonNullExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  if (!parent || !(ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) || parent.expression !== node) return undefined;
  const next = parent.parent;
  return next && ts.isCallExpression(next) && next.expression === parent ? next : undefined;
}

/**
 * Parentheses, assertions and `!` only: an `await` ends a chain (`(await q).find(...)` calls a
 * method of the loaded result), exactly as `isOutermostCall` sees it.
 */
export function skipChainWrappers(expr: ts.Expression): ts.Expression {
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
