import { NotATenantContextError } from "./errors.js";
import type { Tenant } from "./tenant.js";

declare const tenantContextBrand: unique symbol;

/**
 * Who the current work is for. Frozen, and branded twice: the type cannot be built structurally
 * (the brand symbol is not exported) and at run time only objects made by this module pass
 * `isTenantContext` (they are remembered in a private WeakSet, so a look-alike object fails).
 */
export interface TenantContext {
  readonly tenantId: string;
  readonly slug?: string;
  readonly tenant?: Readonly<Tenant>;
  readonly [tenantContextBrand]: true;
}

export interface CreateTenantContextInput {
  tenantId: string;
  slug?: string;
  tenant?: Tenant;
}

const issuedContexts = new WeakSet<object>();

/** The explicit way to make a context (jobs, scripts, tests). Resolvers use it too. */
export function createTenantContext(input: CreateTenantContextInput): TenantContext {
  const tenantId = requireNonEmptyString(input?.tenantId, "tenantId");
  const slug = input.slug === undefined ? input.tenant?.slug : requireNonEmptyString(input.slug, "slug");
  const tenant = input.tenant === undefined ? undefined : frozenTenantCopy(input.tenant);
  if (tenant && tenant.id !== tenantId) {
    throw new TypeError("createTenantContext: tenant.id does not match tenantId.");
  }
  if (tenant && slug !== undefined && tenant.slug !== slug) {
    throw new TypeError("createTenantContext: tenant.slug does not match slug.");
  }
  const context = Object.freeze({
    tenantId,
    ...(slug === undefined ? {} : { slug }),
    ...(tenant === undefined ? {} : { tenant }),
  });
  issuedContexts.add(context);
  return context as unknown as TenantContext;
}

export function isTenantContext(value: unknown): value is TenantContext {
  return typeof value === "object" && value !== null && issuedContexts.has(value);
}

/** Fail-closed guard used by every API that takes a context. */
export function assertTenantContext(value: unknown, where: string): asserts value is TenantContext {
  if (!isTenantContext(value)) throw new NotATenantContextError(where);
}

function requireNonEmptyString(value: unknown, field: string): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new TypeError(`createTenantContext: ${field} must be a non-empty string.`);
  }
  return value;
}

// Dates are cloned so nobody can mutate the record the context carries.
function frozenTenantCopy(tenant: Tenant): Readonly<Tenant> {
  return Object.freeze({
    ...tenant,
    createdAt: new Date(tenant.createdAt.getTime()),
    updatedAt: new Date(tenant.updatedAt.getTime()),
  });
}
