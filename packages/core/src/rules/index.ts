import type { CoreRule } from "../rule.js";
import { noClientTenantId } from "./no-client-tenant-id.js";
import { noCrossTenantQuery } from "./no-cross-tenant-query.js";
import { noModuleTenantState } from "./no-module-tenant-state.js";
import { noTenantIdMutation } from "./no-tenant-id-mutation.js";
import { noUnscopedRawSql } from "./no-unscoped-raw-sql.js";
import { requireBypassReason } from "./require-bypass-reason.js";
import { requireTenantCacheKey } from "./require-tenant-cache-key.js";
import { requireTenantOnCreate } from "./require-tenant-on-create.js";
import { requireTenantScope } from "./require-tenant-scope.js";

/** Every check, by rule id. The ESLint plugin and the CLI both read this list. */
export const coreRules: Readonly<Record<string, CoreRule>> = Object.fromEntries(
  [
    requireTenantScope,
    noCrossTenantQuery,
    noClientTenantId,
    noTenantIdMutation,
    requireTenantOnCreate,
    noUnscopedRawSql,
    noModuleTenantState,
    requireTenantCacheKey,
    requireBypassReason,
  ].map((rule) => [rule.id, rule as CoreRule]),
);

export { noClientTenantId, noCrossTenantQuery, noModuleTenantState, noTenantIdMutation, noUnscopedRawSql, requireBypassReason, requireTenantCacheKey, requireTenantOnCreate, requireTenantScope };
