import type { Context, MiddlewareHandler } from "hono";
import { isTenantContext, type TenantContext } from "../context.js";
import type { TenantRequest } from "../resolvers.js";
import { resolveForResponse, type TenantMiddlewareOptions } from "./shared.js";

/** Hono env for apps using the middleware: `new Hono<TenantEnv>()`, then `c.get("tenant")`. */
export interface TenantEnv {
  Variables: { tenant: TenantContext };
}

export type HonoTenantOptions = TenantMiddlewareOptions<Context>;

/** Hono 4 middleware: resolves once per request and sets `c.get("tenant")`, or answers the canonical error. */
export function tenantMiddleware(options: HonoTenantOptions): MiddlewareHandler<TenantEnv> {
  const { resolver, principal } = options;
  return async (c, next) => {
    if (isTenantContext(c.get("tenant"))) return next();
    const outcome = await resolveForResponse(resolver, honoTenantRequest(c, principal?.(c)));
    if (!outcome.ok) {
      // Hono's c.json wants a literal status type; ours are the four documented ones.
      return c.json(outcome.body, outcome.status as 400 | 403 | 404);
    }
    c.set("tenant", outcome.context);
    await next();
  };
}

function honoTenantRequest(c: Context, principal: unknown): TenantRequest {
  return {
    host: c.req.header("host"),
    path: new URL(c.req.url).pathname,
    header: (name) => c.req.header(name),
    principal,
  };
}

/**
 * The request's tenant, or throws: for handlers behind tenantMiddleware. Works on any Hono env
 * (no need for `Hono<TenantEnv>`), and refuses anything but a real TenantContext.
 */
export function requireTenant(c: Context): TenantContext {
  const context: unknown = c.get("tenant" as never);
  if (!isTenantContext(context)) throw new Error("No tenant on this request: mount tenantMiddleware before this handler.");
  return context;
}
