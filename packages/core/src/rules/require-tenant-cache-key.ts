import ts from "../typescript.cjs";
import type { AnalysisContext } from "../context.js";
import { defineCoreRule } from "../rule.js";
import { fileNodes } from "../file-nodes.js";
import { calleeName, constInitializer, forEachDescendant, isFromPackage, skipWrappers, type FunctionWithBody } from "../ts-utils.js";

export const requireTenantCacheKey = defineCoreRule({
  id: "require-tenant-cache-key",
  description: "Require cache keys written or read with a tenant context in scope to contain the tenant id",
  recommended: true,
  messages: {
    cacheKeyWithoutTenant:
      "This cache {{method}} runs with a tenant context in scope, but its key `{{key}}` does not contain the tenant id: another tenant's request can read (or overwrite) the entry. Prefix the key, e.g. `tenant:${ctx.tenantId}:...`.",
  },
  check(sourceFile, ctx, report) {
    for (const call of fileNodes(sourceFile).calls) {
      const cache = cacheOperation(call, ctx);
      if (!cache || !hasTenantContextInScope(call, ctx) || mentionsTenant(cache.key, ctx)) continue;
      const keyText = cache.key.getText().replace(/\s+/g, " ");
      report({ messageId: "cacheKeyWithoutTenant", node: call, data: { method: cache.method, key: keyText.length > 50 ? `${keyText.slice(0, 49)}…` : keyText } });
    }
  },
});

const REDIS_KEY_METHODS = new Set([
  "get", "set", "setex", "setnx", "getex", "getdel", "del", "unlink", "exists", "expire", "ttl", "incr", "incrby", "decr", "decrby",
  "hget", "hset", "hgetall", "hdel", "hincrby", "hmget", "hmset", "sadd", "srem", "smembers", "sismember", "lpush", "rpush", "lrange",
  "zadd", "zrange", "zrem", "append", "getset", "psetex",
]);
/** The Redis clients' packages: a call in a file that sees none of them is not theirs. */
const REDIS_FILES = /\/node_modules\/(ioredis|@redis\/client|redis)\//;
const MAP_KEY_METHODS = new Set(["get", "set", "has", "delete", "peek"]);

interface CacheOperation {
  /** The cache method that runs (`get`, `set`; a wrapper's is the one it calls). */
  readonly method: string;
  readonly key: ts.Expression;
}

/**
 * A cache read or write and its key: ioredis, node-redis, a module-level Map/LRU cache, a call
 * of the program's own function that passes one of its parameters into such a key (a
 * `remember(key, ttl, load)` helper, a cache service's `get(key)`), or an ORM query that caches
 * its rows under a key of its own.
 */
function cacheOperation(call: ts.CallExpression, ctx: AnalysisContext): CacheOperation | undefined {
  return clientCacheOperation(call, ctx) ?? wrappedCacheOperation(call, ctx) ?? resultCacheOperation(call, ctx);
}

/** A query of tenant-scoped rows whose ORM caches its result under a key (MikroORM `cache: [key, ttl]`). */
function resultCacheOperation(call: ts.CallExpression, ctx: AnalysisContext): CacheOperation | undefined {
  const key = ctx.accessOf(call)?.resultCacheKey;
  return key && { method: "read", key };
}

function clientCacheOperation(call: ts.CallExpression, ctx: AnalysisContext): CacheOperation | undefined {
  const callee = skipWrappers(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !call.arguments[0]) return undefined;
  const method = callee.name.text;
  const key = call.arguments[0];
  // Names first: most method calls are neither a cache client's nor a Map's, and need no type.
  const redis = REDIS_KEY_METHODS.has(method.toLowerCase()) && ctx.sees(call.getSourceFile(), REDIS_FILES);
  const map = MAP_KEY_METHODS.has(method) && ts.isIdentifier(skipWrappers(callee.expression));
  if (!redis && !map) return undefined;
  const receiverType = ctx.checker.getTypeAtLocation(callee.expression);
  const receiverSymbol = receiverType.aliasSymbol ?? receiverType.getSymbol();
  if (redis) {
    const member = ctx.checker.getSymbolAtLocation(callee.name);
    if (isFromPackage(member, "ioredis", "@redis/client", "redis") || isFromPackage(receiverSymbol, "ioredis", "@redis/client", "redis")) {
      return { method, key };
    }
  }
  if (map && isModuleLevelCache(callee.expression, receiverSymbol, ctx)) return { method, key };
  return undefined;
}

function wrappedCacheOperation(call: ts.CallExpression, ctx: AnalysisContext): CacheOperation | undefined {
  // Only a function that may be a cache helper by its text is resolved, and only when given a key written as a string.
  const name = calleeName(call);
  if (!name || !cacheHelperNames(ctx).has(name) || !call.arguments.some((arg) => isStringBuilt(arg, ctx))) return undefined;
  const fn = ctx.calledFunction(call);
  const parameter = fn && cacheKeyParameters(fn, ctx).find((p) => call.arguments[p.index] !== undefined);
  return parameter && { method: parameter.method, key: call.arguments[parameter.index]! };
}

/** A method name a cache client or a Map may have (node-redis writes `hGet`, ioredis `hget`). */
const isCacheMethodName = (name: string) => MAP_KEY_METHODS.has(name) || REDIS_KEY_METHODS.has(name.toLowerCase());

/**
 * The names of the program's functions that may be cache helpers: a function whose cache client
 * call (`redis.get(key)`) has one of its parameters in the key, and by their text alone, a
 * function calling such a helper with one of its parameters. A superset (the types decide in
 * `cacheKeyParameters`), so that only calls of these names are resolved.
 */
function cacheHelperNames(ctx: AnalysisContext): ReadonlySet<string> {
  return ctx.memoize("cache:helperNames", () => {
    const names = new Set<string>();
    // Calls that may call a helper, kept for the passes below: most programs have none.
    const calls: ts.CallExpression[] = [];
    for (const sf of ctx.program.getSourceFiles()) {
      if (sf.isDeclarationFile || sf.fileName.includes("/node_modules/")) continue;
      for (const call of fileNodes(sf).calls) {
        const name = calleeName(call);
        if (!name || call.arguments.length === 0) continue;
        calls.push(call);
        if (!isCacheMethodName(name)) continue;
        const fn = enclosingNamedFunction(call);
        if (fn && mentionsParameterOf(call.arguments[0], fn.node) && clientCacheOperation(call, ctx)) names.add(fn.name);
      }
    }
    // A helper of a helper; three levels are plenty.
    for (let pass = 0; pass < 3 && names.size > 0; pass++) {
      const before = names.size;
      for (const call of calls) {
        const name = calleeName(call);
        const fn = name && names.has(name) ? enclosingNamedFunction(call) : undefined;
        if (fn && call.arguments.some((arg) => mentionsParameterOf(arg, fn.node))) names.add(fn.name);
      }
      if (names.size === before) break;
    }
    return names;
  });
}

/** The function a node is in, with the name callers use for it (a declaration's, a method's, a variable's or a property's). */
function enclosingNamedFunction(node: ts.Node): { node: ts.SignatureDeclaration; name: string } | undefined {
  for (let current = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (!ts.isFunctionLike(current)) continue;
    const holder = ts.isArrowFunction(current) || ts.isFunctionExpression(current) ? current.parent : current;
    const name = (holder as { name?: ts.Node }).name;
    return name && (ts.isIdentifier(name) || ts.isStringLiteral(name)) ? { node: current, name: name.text } : undefined;
  }
  return undefined;
}

function mentionsParameterOf(expr: ts.Node | undefined, fn: ts.SignatureDeclaration): boolean {
  if (!expr) return false;
  const parameters = new Set(fn.parameters.flatMap((p) => (ts.isIdentifier(p.name) ? [p.name.text] : [])));
  const visit = (node: ts.Node): boolean => (ts.isIdentifier(node) && parameters.has(node.text)) || ts.forEachChild(node, visit) === true;
  return parameters.size > 0 && visit(expr);
}

/** A string literal, template or concatenation, or a constant holding one. */
function isStringBuilt(expr: ts.Expression, ctx: AnalysisContext): boolean {
  let e = skipWrappers(expr);
  if (ts.isIdentifier(e)) e = skipWrappers(constInitializer(ctx.checker, e) ?? e);
  return ts.isStringLiteralLike(e) || ts.isTemplateExpression(e) || (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken);
}

interface CacheKeyParameter {
  readonly index: number;
  readonly method: string;
}

const IN_PROGRESS: readonly CacheKeyParameter[] = [];

/**
 * The parameters of a function that become (part of) the key of a cache operation inside it, with
 * nothing of the tenant added there: what a caller passes for them must hold the tenant.
 * Computed once per function and program.
 */
function cacheKeyParameters(fn: FunctionWithBody, ctx: AnalysisContext): readonly CacheKeyParameter[] {
  const memo = ctx.memoize("cache:keyParameters", () => new Map<ts.Node, readonly CacheKeyParameter[]>());
  const cached = memo.get(fn);
  if (cached) return cached;
  memo.set(fn, IN_PROGRESS); // recursion: a cycle adds nothing
  const parameters = fn.parameters.map((p) => (ts.isIdentifier(p.name) ? ctx.checker.getSymbolAtLocation(p.name) : undefined));
  const found: CacheKeyParameter[] = [];
  if (fn.body && parameters.some(Boolean)) {
    forEachDescendant(fn.body, (node) => {
      if (!ts.isCallExpression(node)) return;
      const operation = cacheOperation(node, ctx);
      if (!operation || mentionsTenant(operation.key, ctx)) return;
      parameters.forEach((parameter, index) => {
        if (parameter && !found.some((f) => f.index === index) && keyReads(operation.key, (node) => ts.isIdentifier(node) && ctx.checker.getSymbolAtLocation(node) === parameter, ctx)) found.push({ index, method: operation.method });
      });
    });
  }
  memo.set(fn, found);
  return found;
}

/** A `Map` or `LRUCache` held at module level: shared by every request, so its keys must separate tenants. */
function isModuleLevelCache(receiver: ts.Expression, typeSymbol: ts.Symbol | undefined, ctx: AnalysisContext): boolean {
  const name = typeSymbol?.getName();
  if (name !== "Map" && name !== "LRUCache" && name !== "LRU") return false;
  const e = skipWrappers(receiver);
  if (!ts.isIdentifier(e)) return false;
  const decl = ctx.checker.getSymbolAtLocation(e)?.valueDeclaration;
  return !!decl && ts.isVariableDeclaration(decl) && ts.isSourceFile(decl.parent.parent.parent);
}

/**
 * Code that serves one tenant: a function (or an enclosing one) with a tenant-context parameter,
 * one its callers pass (a callback whose contextual signature offers one), or a tenant context it
 * obtained before `node` (a local, or a call that returns one).
 */
function hasTenantContextInScope(node: ts.Node, ctx: AnalysisContext): boolean {
  for (let current = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (!ts.isFunctionLike(current)) continue;
    if (current.parameters.some((p) => ctx.isContextType(ctx.checker.getTypeAtLocation(p)))) return true;
    if ((ts.isArrowFunction(current) || ts.isFunctionExpression(current)) && offersContextParameter(current, ctx)) return true;
    const body = (current as ts.FunctionLikeDeclaration).body;
    let found = false;
    if (body) {
      forEachDescendant(body, (n) => {
        if (found || n.end > node.getStart()) return;
        if (ts.isVariableDeclaration(n) && ctx.isContextType(ctx.checker.getTypeAtLocation(n.name))) found = true;
        else if (ts.isCallExpression(n) && isStatementCall(n) && returnsContext(n, ctx)) found = true;
      });
    }
    if (found) return true;
  }
  return false;
}

/** `requireTenant(req);`, `await requireTenant(req);`: a call made for what it checks, whose result is not kept. */
function isStatementCall(call: ts.CallExpression): boolean {
  const outer = ts.isAwaitExpression(call.parent) ? call.parent : call;
  return ts.isExpressionStatement(outer.parent);
}

function returnsContext(call: ts.CallExpression, ctx: AnalysisContext): boolean {
  const type = ctx.checker.getTypeAtLocation(call);
  return ctx.isContextType(ctx.checker.getAwaitedType(type) ?? type);
}

/** A callback its caller passes a tenant context, whether or not it declares the parameter (`withTenant(async (req) => ...)`). */
function offersContextParameter(fn: ts.ArrowFunction | ts.FunctionExpression, ctx: AnalysisContext): boolean {
  const contextual = ctx.checker.getContextualType(fn);
  const signatures = contextual ? ctx.checker.getSignaturesOfType(contextual, ts.SignatureKind.Call) : [];
  return signatures.some((signature) => signature.parameters.some((p) => ctx.isContextType(ctx.checker.getTypeOfSymbol(p))));
}

/** Does a key expression contain the tenant: a tenant-key read, a context value, or a helper given either? */
function mentionsTenant(expr: ts.Node, ctx: AnalysisContext): boolean {
  return keyReads(
    expr,
    (node) =>
      ts.isPropertyAccessExpression(node)
        ? ctx.isTenantKey(node.name.text) || (readsOtherThanTenant(node, ctx) ? "skip" : false)
        : ts.isIdentifier(node) && (ctx.isTenantKey(node.text) || ctx.isContextType(ctx.checker.getTypeAtLocation(node))),
    ctx,
  );
}

/**
 * Whether `reads` holds for a node of a key expression, or of the constants it is built from
 * (`const key = \`t:${id}\``). `reads` answers "skip" for a node whose inside does not count.
 */
function keyReads(expr: ts.Node, reads: (node: ts.Node) => boolean | "skip", ctx: AnalysisContext, depth = 0): boolean {
  if (depth > 4) return false;
  const visit = (node: ts.Node): boolean => {
    const answer = reads(node);
    if (answer !== false) return answer === true;
    if (ts.isIdentifier(node)) {
      const init = constInitializer(ctx.checker, node);
      return init !== undefined && keyReads(init, reads, ctx, depth + 1);
    }
    return ts.forEachChild(node, visit) === true;
  };
  return visit(expr);
}

/**
 * `ctx.role` typed `"admin" | "member"`: a value of a tenant context drawn from a fixed set of
 * literals (or a boolean) cannot tell one tenant from another, whatever it is called. (A string,
 * `ctx.slug`, may be the tenant's.)
 */
function readsOtherThanTenant(access: ts.PropertyAccessExpression, ctx: AnalysisContext): boolean {
  if (!ctx.isContextType(ctx.checker.getTypeAtLocation(access.expression))) return false;
  const type = ctx.checker.getTypeAtLocation(access);
  const parts = type.isUnion() ? type.types : [type];
  return parts.every((part) => part.isLiteral() || (part.flags & (ts.TypeFlags.BooleanLiteral | ts.TypeFlags.EnumLiteral | ts.TypeFlags.Undefined | ts.TypeFlags.Null)) !== 0);
}
