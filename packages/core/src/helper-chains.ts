import ts from "./typescript.cjs";
import { isOutermostCall, methodChain, skipChainWrappers, type MethodChain } from "./chain.js";
import type { AnalysisContext } from "./context.js";
import { enclosingFunction, returnedExpressions, type FunctionWithBody } from "./ts-utils.js";

const MAX_DEPTH = 4;

/**
 * What an ORM adapter says of a chain a function returns: whether it is a builder for callers to
 * finish rather than a query of its own (a Kysely chain with no `execute()`, a Knex builder over a
 * generic base class's rows). Such a chain is judged where callers finish it, not where it is written.
 */
export type IsUnfinished = (chain: MethodChain) => boolean;

/**
 * The chain a call finishes, read through the query helpers it starts at: with `scoped(ctx)`
 * returning `this.table().where("org_id", "=", ctx.orgId)`, the call
 * `this.scoped(ctx).where("id", "=", id).executeTakeFirst()` is the chain
 * `this.db.selectFrom(...).where("org_id", ...).where("id", ...).executeTakeFirst()`. A helper is
 * followed when it returns one chain without awaiting it, and the call either extends what it
 * returns, or is a call on `this` of a helper whose chain the adapter calls unfinished or that is a
 * private builder (`await this.query()`). Links written in the helper come first, as they run.
 */
export function throughQueryHelpers(chain: MethodChain, ctx: AnalysisContext, isUnfinished: IsUnfinished, depth = 0): MethodChain {
  if (depth > MAX_DEPTH) return chain;
  // The innermost call: the root (`scoped(ctx).where(...)`) or the first link (`this.scoped(ctx).where(...)`).
  const rootCall = ts.isCallExpression(chain.root) ? chain.root : undefined;
  const start = rootCall ?? chain.links[0]?.call;
  const rest = rootCall ? chain.links : chain.links.slice(1);
  // A call nothing extends (`res.json(x)`, `service.list(ctx)`) is only followed when it can be a
  // builder its own class finishes (`await this.query()`): other calls are not resolved for this.
  if (!start || (rest.length === 0 && !isThisCall(start))) return chain;
  const fn = ctx.calledFunction(start);
  const returned = fn && helperChain(fn);
  if (!returned) return chain;
  const inner = throughQueryHelpers(returned, ctx, isUnfinished, depth + 1);
  if (rest.length === 0 && !isUnfinished(inner) && !isPrivateBuilder(fn)) return chain;
  return { root: inner.root, links: [...inner.links, ...rest] };
}

function isThisCall(call: ts.CallExpression): boolean {
  const callee = skipChainWrappers(call.expression);
  return ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword;
}

/**
 * True when `call` is the chain a function returns and the adapter calls it unfinished: callers
 * finish the query, and it is judged there (see `throughQueryHelpers`). A callback's chain is the
 * library's to run, and is judged where it is written.
 */
export function isReturnedUnfinished(call: ts.CallExpression, chain: MethodChain, isUnfinished: IsUnfinished): boolean {
  let node: ts.Node = call;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isSatisfiesExpression(node.parent) || ts.isNonNullExpression(node.parent)) {
    node = node.parent;
  }
  const fn = ts.isReturnStatement(node.parent) ? enclosingFunction(node.parent) : ts.isArrowFunction(node.parent) && node.parent.body === node ? node.parent : undefined;
  return fn !== undefined && !isCallback(fn) && (isUnfinished(chain) || isPrivateBuilder(fn));
}

/**
 * A private method whose builder its own class extends (`private live() { return db("trips")
 * .whereNull("deleted_at") }` and `this.live().where(...)`): a part of the class's queries, judged
 * where each method finishes it. Its callers are all in its class, so this is known from the class alone.
 */
function isPrivateBuilder(fn: ts.SignatureDeclaration): boolean {
  if (!ts.isMethodDeclaration(fn) || !fn.body || !ts.isClassLike(fn.parent)) return false;
  const isPrivate = ts.isPrivateIdentifier(fn.name) || (ts.getCombinedModifierFlags(fn) & ts.ModifierFlags.Private) !== 0;
  if (!isPrivate) return false;
  const name = fn.name.getText();
  let extended = false;
  const visit = (node: ts.Node): void => {
    if (extended) return;
    // `this.live().where(...)`: a call of the method that a further method call continues.
    if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword && node.name.getText() === name) {
      const call = node.parent;
      extended = ts.isCallExpression(call) && call.expression === node && !isOutermostCall(call);
    }
    if (!extended) ts.forEachChild(node, visit);
  };
  visit(fn.parent);
  return extended;
}

/** A function written as an argument (`db.with("cte", (qc) => qc.selectFrom(...))`): the library it is handed to runs what it returns. */
function isCallback(fn: ts.SignatureDeclaration): boolean {
  return (ts.isCallExpression(fn.parent) || ts.isNewExpression(fn.parent)) && fn.parent.arguments?.includes(fn as ts.Expression) === true;
}

/** The chain a program function returns, when it returns exactly one and does not await it. */
function helperChain(fn: FunctionWithBody): MethodChain | undefined {
  const returns = returnedExpressions(fn);
  if (returns.length !== 1) return undefined;
  const returned = skipChainWrappers(returns[0]!);
  return ts.isCallExpression(returned) ? methodChain(returned) : undefined;
}
