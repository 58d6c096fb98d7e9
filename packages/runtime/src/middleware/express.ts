import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { TenantContext } from "../context.js";
import { attachedTenant, attachTenant, requireAttachedTenant, nodeTenantRequest, resolveForResponse, type TenantMiddlewareOptions } from "./shared.js";

// The global Express namespace is what @types/express-serve-static-core's Request extends; augmenting
// it avoids naming that package, which strict installs (pnpm) do not expose to us.
declare global {
  namespace Express {
    interface Request {
      /** Set by tenantMiddleware; read-only for the rest of the request. */
      readonly tenant?: TenantContext;
    }
  }
}

export type ExpressTenantOptions = TenantMiddlewareOptions<Request>;

/** Express 5 middleware: resolves once per request and sets `req.tenant`, or answers the canonical error. */
export function tenantMiddleware(options: ExpressTenantOptions): RequestHandler {
  const { resolver, principal } = options;
  return async (req: Request, res: Response, next: NextFunction) => {
    if (attachedTenant(req, "tenant")) return next();
    try {
      const outcome = await resolveForResponse(resolver, nodeTenantRequest(req, principal?.(req)));
      if (!outcome.ok) {
        res.status(outcome.status).json(outcome.body);
        return;
      }
      attachTenant(req, "tenant", outcome.context);
      next();
    } catch (error) {
      next(error);
    }
  };
}

/** The request's tenant, or throws: for handlers behind tenantMiddleware. */
export function requireTenant(req: Request): TenantContext {
  return requireAttachedTenant(req, "tenant", "tenantMiddleware");
}
