import { createParamDecorator, HttpException, type CanActivate, type ExecutionContext } from "@nestjs/common";
import type { IncomingHttpHeaders } from "node:http";
import type { TenantContext } from "../context.js";
import { attachedTenant, attachTenant, nodeTenantRequest, resolveForResponse, type TenantMiddlewareOptions } from "./shared.js";

/** The request shape both Nest HTTP platforms (Express and Fastify) hand to guards. */
export interface NestHttpRequest {
  headers: IncomingHttpHeaders;
  url?: string;
  tenant?: TenantContext;
  [key: string]: unknown;
}

export type NestTenantOptions = TenantMiddlewareOptions<NestHttpRequest>;

/**
 * Resolves the tenant once per request and sets `request.tenant`; failures become an
 * HttpException whose body is the canonical error. Register globally
 * (`app.useGlobalGuards(new TenantGuard(options))` or an APP_GUARD factory) or per controller
 * (`@UseGuards(new TenantGuard(options))`).
 */
export class TenantGuard implements CanActivate {
  readonly #options: NestTenantOptions;

  constructor(options: NestTenantOptions) {
    this.#options = options;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = httpRequest(context);
    if (attachedTenant(request, "tenant")) return true;
    const { resolver, principal } = this.#options;
    const outcome = await resolveForResponse(resolver, nodeTenantRequest(request, principal?.(request)));
    if (!outcome.ok) throw new HttpException(outcome.body, outcome.status);
    attachTenant(request, "tenant", outcome.context);
    return true;
  }
}

/**
 * `@Tenant()` handler parameter: the request's TenantContext. A route that reaches it without
 * TenantGuard is a server bug, so it fails with a 500 rather than running tenantless.
 */
export const Tenant = createParamDecorator((_data: unknown, context: ExecutionContext): TenantContext => {
  const tenant = attachedTenant(httpRequest(context), "tenant");
  if (!tenant) throw new Error("@Tenant() used on a route without TenantGuard.");
  return tenant;
});

// Only HTTP is supported: for RPC or GraphQL contexts we refuse rather than guess a request shape.
function httpRequest(context: ExecutionContext): NestHttpRequest {
  if (context.getType() !== "http") throw new Error(`TenantGuard supports HTTP contexts only, got "${context.getType()}".`);
  return context.switchToHttp().getRequest<NestHttpRequest>();
}
