export { createTenantContext, isTenantContext, assertTenantContext } from "./context.js";
export type { TenantContext, CreateTenantContextInput } from "./context.js";
export {
  TENANT_ERROR_STATUS,
  TenantResolutionError,
  isTenantResolutionError,
  tenantErrorBody,
  NotATenantContextError,
  TenantKeyImmutableError,
  CrossTenantAccessError,
} from "./errors.js";
export type { TenantErrorCode, TenantErrorBody } from "./errors.js";
export { InMemoryTenantStore } from "./tenant.js";
export type { Tenant, TenantStore } from "./tenant.js";
export {
  subdomainResolver,
  pathResolver,
  headerResolver,
  jwtClaimResolver,
  customResolver,
  chainResolvers,
  resolveTenantOrFail,
} from "./resolvers.js";
export type {
  TenantRequest,
  TenantCandidate,
  TenantResolver,
  AuthorizeTenant,
  ResolverDependencies,
  SubdomainResolverOptions,
  PathResolverOptions,
  HeaderResolverOptions,
  JwtClaimResolverOptions,
  CustomResolverOptions,
} from "./resolvers.js";
export { TenantScopedRepository, TenantIsolationViolationError } from "./repository.js";
export type { RowId, RowFilter, TenantScope, TenantRepositoryAdapter } from "./repository.js";
export { inMemoryAdapter } from "./adapters/memory.js";
export type { InMemoryAdapterOptions } from "./adapters/memory.js";
export { withCrossTenantAccess, setAuditSink } from "./bypass.js";
export type { AuditEvent, AuditSink, CrossTenantAccessRequest, CrossTenantGrant } from "./bypass.js";
export { generateRlsSql, withTenantTransaction, withTenantPoolTransaction, tenantSettingQuery, SET_TENANT_SQL, TENANT_SETTING } from "./rls.js";
export type { RlsTable, SqlQueryable, CallbackTransactionHost, SqlConnectionPool, PooledSqlClient } from "./rls.js";
