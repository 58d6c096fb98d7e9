import ts from "../typescript.cjs";
import type { AnalysisContext } from "../context.js";
import { defineCoreRule } from "../rule.js";
import { fileNodes } from "../file-nodes.js";
import { constInitializer, forEachDescendant, isFromPackage, skipWrappers } from "../ts-utils.js";

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
      if (!cache || !hasTenantContextInScope(call, ctx) || mentionsTenant(cache.key, ctx, 0)) continue;
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

/** A cache read or write and its key: ioredis, node-redis, or a module-level Map/LRU cache. */
function cacheOperation(call: ts.CallExpression, ctx: AnalysisContext): { method: string; key: ts.Expression } | undefined {
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

/** A `Map` or `LRUCache` held at module level: shared by every request, so its keys must separate tenants. */
function isModuleLevelCache(receiver: ts.Expression, typeSymbol: ts.Symbol | undefined, ctx: AnalysisContext): boolean {
  const name = typeSymbol?.getName();
  if (name !== "Map" && name !== "LRUCache" && name !== "LRU") return false;
  const e = skipWrappers(receiver);
  if (!ts.isIdentifier(e)) return false;
  const decl = ctx.checker.getSymbolAtLocation(e)?.valueDeclaration;
  return !!decl && ts.isVariableDeclaration(decl) && ts.isSourceFile(decl.parent.parent.parent);
}

/** Code that serves one tenant: a function (or an enclosing one) with a tenant-context parameter or local. */
function hasTenantContextInScope(node: ts.Node, ctx: AnalysisContext): boolean {
  for (let current = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (!ts.isFunctionLike(current)) continue;
    if (current.parameters.some((p) => ctx.isContextType(ctx.checker.getTypeAtLocation(p)))) return true;
    const body = (current as ts.FunctionLikeDeclaration).body;
    let found = false;
    if (body) {
      forEachDescendant(body, (n) => {
        if (!found && ts.isVariableDeclaration(n) && ctx.isContextType(ctx.checker.getTypeAtLocation(n.name))) found = true;
      });
    }
    if (found) return true;
  }
  return false;
}

/** Does a key expression contain the tenant: a tenant-key read, a context value, or a helper given either? */
function mentionsTenant(expr: ts.Node, ctx: AnalysisContext, depth: number): boolean {
  if (depth > 4) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAccessExpression(node) && ctx.isTenantKey(node.name.text)) found = true;
    else if (ts.isIdentifier(node) && (ctx.isTenantKey(node.text) || ctx.isContextType(ctx.checker.getTypeAtLocation(node)))) found = true;
    else if (ts.isIdentifier(node)) {
      const init = constInitializer(ctx.checker, node);
      if (init && mentionsTenant(init, ctx, depth + 1)) found = true;
    }
    if (!found) ts.forEachChild(node, visit);
  };
  visit(expr);
  return found;
}
