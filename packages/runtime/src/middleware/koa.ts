import type { Context, Middleware, Next } from "koa";
import type { TenantContext } from "../context.js";
import { attachedTenant, attachTenant, nodeTenantRequest, requireAttachedTenant, resolveForResponse, type TenantMiddlewareOptions } from "./shared.js";

/** What the middleware puts in `ctx.state`; use as Koa's state type: `new Koa<TenantState>()`. */
export interface TenantState {
  readonly tenant: TenantContext;
}

export type KoaTenantOptions = TenantMiddlewareOptions<Context>;

/** Koa 3 middleware: resolves once per request and sets `ctx.state.tenant`, or answers the canonical error. */
export function tenantMiddleware(options: KoaTenantOptions): Middleware {
  const { resolver, principal } = options;
  return async (ctx: Context, next: Next) => {
    if (attachedTenant(ctx.state, "tenant")) return next();
    const outcome = await resolveForResponse(resolver, nodeTenantRequest(ctx.req, principal?.(ctx)));
    if (!outcome.ok) {
      ctx.status = outcome.status;
      ctx.body = outcome.body;
      return;
    }
    attachTenant(ctx.state, "tenant", outcome.context);
    await next();
  };
}

/** The request's tenant (`ctx.state.tenant`), or throws: for handlers behind tenantMiddleware. */
export function requireTenant(ctx: Context): TenantContext {
  return requireAttachedTenant(ctx.state, "tenant", "tenantMiddleware");
}
