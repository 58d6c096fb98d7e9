/** The four ways tenant resolution can fail; every middleware answers with one of them. */
export type TenantErrorCode = "tenant_required" | "tenant_not_found" | "tenant_inactive" | "tenant_forbidden";

/** HTTP status per failure code. Documented in docs/runtime.md; the middlewares never use any other. */
export const TENANT_ERROR_STATUS: Readonly<Record<TenantErrorCode, number>> = Object.freeze({
  tenant_required: 400,
  tenant_not_found: 404,
  tenant_inactive: 403,
  tenant_forbidden: 403,
});

// Fixed messages: the response never echoes the identifier the client sent (no reflection, no probing aid).
const DEFAULT_MESSAGES: Readonly<Record<TenantErrorCode, string>> = Object.freeze({
  tenant_required: "This request must identify a tenant.",
  tenant_not_found: "The tenant does not exist.",
  tenant_inactive: "The tenant is not active.",
  tenant_forbidden: "Access to this tenant is not allowed.",
});

/** The canonical JSON error body every middleware sends. */
export interface TenantErrorBody {
  error: { code: TenantErrorCode; message: string };
}

/** A resolution failure the middlewares turn into the canonical error response. */
export class TenantResolutionError extends Error {
  override readonly name = "TenantResolutionError";
  readonly code: TenantErrorCode;
  readonly status: number;

  constructor(code: TenantErrorCode, message: string = DEFAULT_MESSAGES[code], options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.status = TENANT_ERROR_STATUS[code];
  }

  toBody(): TenantErrorBody {
    return tenantErrorBody(this.code, this.message);
  }
}

export function isTenantResolutionError(value: unknown): value is TenantResolutionError {
  return value instanceof TenantResolutionError;
}

export function tenantErrorBody(code: TenantErrorCode, message: string = DEFAULT_MESSAGES[code]): TenantErrorBody {
  return { error: { code, message } };
}

/** Thrown when a function that needs a TenantContext gets anything else (a plain object, undefined, a forgery). */
export class NotATenantContextError extends TypeError {
  override readonly name = "NotATenantContextError";
  constructor(where: string) {
    super(`${where} requires a TenantContext created by @tenant-lint/runtime (createTenantContext or a resolver).`);
  }
}

/** Thrown when an update names a tenant other than the caller's: rows never move between tenants. */
export class TenantKeyImmutableError extends Error {
  override readonly name = "TenantKeyImmutableError";
  readonly tenantKey: string;
  constructor(tenantKey: string) {
    super(`The tenant key "${tenantKey}" cannot be changed by an update.`);
    this.tenantKey = tenantKey;
  }
}

/** Thrown when withCrossTenantAccess is called without a usable reason or actor, or a grant is used outside its callback. */
export class CrossTenantAccessError extends Error {
  override readonly name = "CrossTenantAccessError";
}
