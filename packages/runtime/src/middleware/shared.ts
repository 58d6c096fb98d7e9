import type { IncomingHttpHeaders } from "node:http";
import { isTenantContext, type TenantContext } from "../context.js";
import { isTenantResolutionError, type TenantErrorBody } from "../errors.js";
import { resolveTenantOrFail, type TenantRequest, type TenantResolver } from "../resolvers.js";

/** Options shared by every framework integration. */
export interface TenantMiddlewareOptions<Req> {
  resolver: TenantResolver;
  /** Reads the authenticated principal from the request (e.g. `req.user`); handed to `authorize`. */
  principal?: (request: Req) => unknown;
}

/** The outcome of one resolution: a context, or the canonical error to answer with. */
export type ResolutionOutcome =
  | { ok: true; context: TenantContext }
  | { ok: false; status: number; body: TenantErrorBody };

/** Resolves; tenant failures become an outcome, anything else (a store outage) propagates as a 500. */
export async function resolveForResponse(resolver: TenantResolver, request: TenantRequest): Promise<ResolutionOutcome> {
  try {
    return { ok: true, context: await resolveTenantOrFail(resolver, request) };
  } catch (error) {
    if (isTenantResolutionError(error)) return { ok: false, status: error.status, body: error.toBody() };
    throw error;
  }
}

/** Builds a TenantRequest from Node's request shape (Express, Koa, Fastify and Nest all expose it). */
export function nodeTenantRequest(
  incoming: { headers: IncomingHttpHeaders; url?: string | undefined },
  principal: unknown,
): TenantRequest {
  const headers = incoming.headers;
  return {
    host: headerValue(headers, "host"),
    path: (incoming.url ?? "/").split("?")[0]!,
    header: (name) => headerValue(headers, name.toLowerCase()),
    principal,
  };
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** The context already attached by an earlier pass (so a request is resolved only once), or undefined. */
export function attachedTenant(holder: object, key: string): TenantContext | undefined {
  const value: unknown = (holder as Record<string, unknown>)[key];
  return isTenantContext(value) ? value : undefined;
}

/** The attached context, or throws: a handler reached without the middleware is a server bug, never tenantless. */
export function requireAttachedTenant(holder: object, key: string, middleware: string): TenantContext {
  const context = attachedTenant(holder, key);
  if (!context) throw new Error(`No tenant on this request: mount ${middleware} before this handler.`);
  return context;
}

/**
 * Attaches the context read-only and non-configurable: later code cannot swap the tenant for the
 * rest of the request.
 */
export function attachTenant(holder: object, key: string, context: TenantContext): void {
  Object.defineProperty(holder, key, { value: context, enumerable: true, writable: false, configurable: false });
}
