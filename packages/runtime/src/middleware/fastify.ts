import type { FastifyPluginCallback, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from "fastify";
import type { TenantContext } from "../context.js";
import { attachedTenant, attachTenant, nodeTenantRequest, requireAttachedTenant, resolveForResponse, type TenantMiddlewareOptions } from "./shared.js";

declare module "fastify" {
  interface FastifyRequest {
    /** Set by the tenant hook; read-only for the rest of the request. */
    readonly tenant?: TenantContext;
  }
}

export type FastifyTenantOptions = TenantMiddlewareOptions<FastifyRequest>;

/** An onRequest hook: `app.addHook("onRequest", tenantHook(options))`, or per route. */
export function tenantHook(options: FastifyTenantOptions): onRequestAsyncHookHandler {
  const { resolver, principal } = options;
  return async function tenantOnRequest(request: FastifyRequest, reply: FastifyReply) {
    if (attachedTenant(request, "tenant")) return;
    const outcome = await resolveForResponse(resolver, nodeTenantRequest(request, principal?.(request)));
    if (!outcome.ok) return reply.code(outcome.status).type("application/json").send(outcome.body);
    attachTenant(request, "tenant", outcome.context);
  };
}

/**
 * `app.register(tenantPlugin, options)`. Not encapsulated (skip-override), so the hook covers the
 * routes of the scope it is registered in, the way fastify-plugin would.
 */
export const tenantPlugin: FastifyPluginCallback<FastifyTenantOptions> = Object.assign(
  function tenantPluginImpl(
    instance: Parameters<FastifyPluginCallback<FastifyTenantOptions>>[0],
    options: FastifyTenantOptions,
    done: (error?: Error) => void,
  ) {
    instance.addHook("onRequest", tenantHook(options));
    done();
  },
  { [Symbol.for("skip-override")]: true },
);

/** The request's tenant, or throws: for routes behind tenantHook or tenantPlugin. */
export function requireTenant(request: FastifyRequest): TenantContext {
  return requireAttachedTenant(request, "tenant", "tenantHook or tenantPlugin");
}
