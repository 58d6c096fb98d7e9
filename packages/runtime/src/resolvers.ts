import { createTenantContext, type TenantContext } from "./context.js";
import { TenantResolutionError } from "./errors.js";
import type { Tenant, TenantStore } from "./tenant.js";

/** The framework-neutral view of an HTTP request that resolvers read. Middlewares build it. */
export interface TenantRequest {
  /** The Host header as sent (may carry a port). */
  readonly host: string | undefined;
  /** The URL path without query string, still percent-encoded. */
  readonly path: string;
  /** One header value; repeated headers come back joined with ", ". */
  header(name: string): string | undefined;
  /** Who is calling, as the app's authentication established it (e.g. `req.user`). Handed to `authorize`. */
  readonly principal?: unknown;
}

/** What a resolver pulled out of the request before looking it up. */
export interface TenantCandidate {
  by: "id" | "slug";
  value: string;
}

export type AuthorizeTenant = (principal: unknown, tenant: Tenant) => boolean | Promise<boolean>;

/** Every resolver needs a store to look tenants up and a membership check. Neither has a default: fail closed. */
export interface ResolverDependencies {
  store: TenantStore;
  /** Must return exactly `true` to let the principal act in the tenant. */
  authorize: AuthorizeTenant;
}

export interface TenantResolver {
  readonly name: string;
  /**
   * null: the request names no tenant this way. A context: the tenant exists, is active and the
   * principal may use it. Otherwise it throws a TenantResolutionError.
   */
  resolve(request: TenantRequest): Promise<TenantContext | null>;
}

interface Extraction {
  candidate: TenantCandidate | null;
  principal: unknown;
}

type Extractor = (request: TenantRequest) => Extraction | Promise<Extraction>;

/** Longest identifier we look up; anything longer is not a tenant of ours and never reaches the store. */
const MAX_IDENTIFIER_LENGTH = 200;

/** Resolves, or fails with tenant_required when nothing in the request names a tenant. */
export async function resolveTenantOrFail(resolver: TenantResolver, request: TenantRequest): Promise<TenantContext> {
  const context = await resolver.resolve(request);
  if (!context) throw new TenantResolutionError("tenant_required");
  return context;
}

export interface SubdomainResolverOptions extends ResolverDependencies {
  /** e.g. "example.com": "acme.example.com" names tenant "acme". */
  mainDomain: string;
  /** Labels that are not tenants. Default ["www"]. */
  exclude?: readonly string[];
  /** What the label is. Default "slug". */
  by?: TenantCandidate["by"];
}

/** Tenant from the single label left of the main domain. Deeper names (a.b.example.com) name no tenant. */
export function subdomainResolver(options: SubdomainResolverOptions): TenantResolver {
  const mainDomain = requireText(options.mainDomain, "mainDomain").toLowerCase().replace(/^\.+|\.+$/g, "");
  const exclude = new Set((options.exclude ?? ["www"]).map((label) => label.toLowerCase()));
  const by = options.by ?? "slug";
  return createResolver("subdomain", options, (request) => {
    const label = tenantLabel(hostName(request.host), mainDomain);
    const candidate = label === null || exclude.has(label) ? null : { by, value: label };
    return { candidate, principal: request.principal };
  });
}

export interface PathResolverOptions extends ResolverDependencies {
  /** Zero-based index of the path segment: 0 for "/acme/projects", 1 for "/t/acme/projects". Default 0. */
  position?: number;
  /** Segment values that are not tenants (e.g. "health", "api"). */
  exclude?: readonly string[];
  by?: TenantCandidate["by"];
}

export function pathResolver(options: PathResolverOptions): TenantResolver {
  const position = options.position ?? 0;
  if (!Number.isInteger(position) || position < 0) throw new TypeError("pathResolver: position must be an integer >= 0.");
  const exclude = new Set((options.exclude ?? []).map((segment) => segment.toLowerCase()));
  const by = options.by ?? "slug";
  return createResolver("path", options, (request) => {
    const segment = decodedSegment(request.path, position);
    const candidate = segment === null || exclude.has(segment.toLowerCase()) ? null : { by, value: segment };
    return { candidate, principal: request.principal };
  });
}

export interface HeaderResolverOptions extends ResolverDependencies {
  /** Default "x-tenant-id". */
  header?: string;
  /** Default "id". */
  by?: TenantCandidate["by"];
}

export function headerResolver(options: HeaderResolverOptions): TenantResolver {
  const header = (options.header ?? "x-tenant-id").toLowerCase();
  const by = options.by ?? "id";
  return createResolver("header", options, (request) => {
    const value = request.header(header);
    return { candidate: value === undefined ? null : { by, value }, principal: request.principal };
  });
}

export interface JwtClaimResolverOptions extends ResolverDependencies {
  /**
   * Verifies the bearer token (signature, expiry, audience…) and returns its claims; throws if the
   * token is not valid. Example with jsonwebtoken: `(t) => jwt.verify(t, key, { algorithms: ["RS256"] })`.
   */
  verify: (token: string) => unknown;
  /** Claim holding the tenant. Default "tenant_id". */
  claim?: string;
  by?: TenantCandidate["by"];
}

/**
 * Tenant from a claim of the verified `Authorization: Bearer` token. The verified claims are the
 * principal handed to `authorize`. No bearer token: no tenant named. A token that fails
 * verification: tenant_forbidden.
 */
export function jwtClaimResolver(options: JwtClaimResolverOptions): TenantResolver {
  const claim = options.claim ?? "tenant_id";
  const by = options.by ?? "id";
  return createResolver("jwt", options, async (request) => {
    const token = bearerToken(request.header("authorization"));
    if (token === null) return { candidate: null, principal: request.principal };
    const claims = await verifiedClaims(options.verify, token);
    const value = claims[claim];
    if (value === undefined) return { candidate: null, principal: claims };
    if (typeof value !== "string") throw new TenantResolutionError("tenant_forbidden");
    return { candidate: { by, value }, principal: claims };
  });
}

export interface CustomResolverOptions extends ResolverDependencies {
  name?: string;
  /** Return the identifier this request names, or null. */
  extract: (request: TenantRequest) => TenantCandidate | null | Promise<TenantCandidate | null>;
}

export function customResolver(options: CustomResolverOptions): TenantResolver {
  return createResolver(options.name ?? "custom", options, async (request) => ({
    candidate: await options.extract(request),
    principal: request.principal,
  }));
}

/**
 * Runs every resolver in order. The first match wins; a later resolver that names a different
 * tenant fails the request with tenant_forbidden (two tenants in one request is either a bug or an
 * attack). Any resolver's failure fails the request: a chain never falls through past an error.
 */
export function chainResolvers(resolvers: readonly TenantResolver[]): TenantResolver {
  if (resolvers.length === 0) throw new TypeError("chainResolvers needs at least one resolver.");
  const chain = [...resolvers];
  return {
    name: `chain(${chain.map((resolver) => resolver.name).join(",")})`,
    async resolve(request) {
      let first: TenantContext | null = null;
      for (const resolver of chain) {
        const context = await resolver.resolve(request);
        if (!context) continue;
        if (first === null) first = context;
        else if (first.tenantId !== context.tenantId) throw new TenantResolutionError("tenant_forbidden");
      }
      return first;
    },
  };
}

function createResolver(name: string, deps: ResolverDependencies, extract: Extractor): TenantResolver {
  if (!deps?.store) throw new TypeError(`${name} resolver: store is required.`);
  if (typeof deps.authorize !== "function") throw new TypeError(`${name} resolver: authorize is required.`);
  return {
    name,
    async resolve(request) {
      const { candidate, principal } = await extract(request);
      const normalized = candidate === null ? null : normalizeCandidate(candidate);
      if (normalized === null) return null;
      const tenant = await lookUp(deps.store, normalized);
      if (!tenant.isActive) throw new TenantResolutionError("tenant_inactive");
      // Strictly true: a hook returning a truthy non-boolean (a promise it forgot to await, a user object) denies.
      if ((await deps.authorize(principal, tenant)) !== true) throw new TenantResolutionError("tenant_forbidden");
      return createTenantContext({ tenantId: tenant.id, slug: tenant.slug, tenant });
    },
  };
}

function normalizeCandidate(candidate: TenantCandidate): TenantCandidate | null {
  const value = candidate.value.trim();
  if (value === "") return null;
  // Repeated headers arrive joined by commas: the request names more than one tenant.
  if (value.includes(",")) throw new TenantResolutionError("tenant_forbidden");
  return { by: candidate.by, value: candidate.by === "slug" ? value.toLowerCase() : value };
}

async function lookUp(store: TenantStore, candidate: TenantCandidate): Promise<Tenant> {
  if (candidate.value.length > MAX_IDENTIFIER_LENGTH || /[\u0000-\u001f\u007f]/.test(candidate.value)) {
    throw new TenantResolutionError("tenant_not_found");
  }
  const tenant =
    candidate.by === "id" ? await store.findById(candidate.value) : await store.findBySlug(candidate.value);
  // A store that answers with a different tenant than asked for is treated as "not found".
  const matches = tenant !== null && (candidate.by === "id" ? tenant.id : tenant.slug) === candidate.value;
  if (!matches) throw new TenantResolutionError("tenant_not_found");
  return tenant;
}

function hostName(host: string | undefined): string | null {
  if (!host) return null;
  const trimmed = host.trim().toLowerCase();
  if (trimmed.startsWith("[")) return null; // IPv6 literal: never a tenant subdomain
  return trimmed.replace(/:\d*$/, "").replace(/\.$/, "");
}

function tenantLabel(host: string | null, mainDomain: string): string | null {
  if (host === null || !host.endsWith(`.${mainDomain}`)) return null;
  const label = host.slice(0, host.length - mainDomain.length - 1);
  return label === "" || label.includes(".") ? null : label;
}

function decodedSegment(path: string, position: number): string | null {
  const segments = path.split("?")[0]!.split("/").filter((segment) => segment !== "");
  const raw = segments[position];
  if (raw === undefined) return null;
  try {
    return decodeURIComponent(raw);
  } catch {
    return null; // malformed percent-encoding names no tenant
  }
}

function bearerToken(authorization: string | undefined): string | null {
  const match = /^Bearer[ ]+([^\s,]+)\s*$/i.exec(authorization ?? "");
  return match ? match[1]! : null;
}

async function verifiedClaims(verify: (token: string) => unknown, token: string): Promise<Record<string, unknown>> {
  let claims: unknown;
  try {
    claims = await verify(token);
  } catch (cause) {
    throw new TenantResolutionError("tenant_forbidden", undefined, { cause });
  }
  if (typeof claims !== "object" || claims === null) throw new TenantResolutionError("tenant_forbidden");
  return claims as Record<string, unknown>;
}

function requireText(value: unknown, field: string): string {
  if (typeof value !== "string" || value.trim() === "") throw new TypeError(`${field} must be a non-empty string.`);
  return value;
}
