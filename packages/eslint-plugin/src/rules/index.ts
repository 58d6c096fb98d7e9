import noClientTenantId from "./no-client-tenant-id.js";
import noCrossTenantQuery from "./no-cross-tenant-query.js";
import noModuleTenantState from "./no-module-tenant-state.js";
import noTenantIdMutation from "./no-tenant-id-mutation.js";
import noUnscopedRawSql from "./no-unscoped-raw-sql.js";
import requireBypassReason from "./require-bypass-reason.js";
import requireTenantCacheKey from "./require-tenant-cache-key.js";
import requireTenantOnCreate from "./require-tenant-on-create.js";
import requireTenantScope from "./require-tenant-scope.js";

export const rules = {
  "no-client-tenant-id": noClientTenantId,
  "no-cross-tenant-query": noCrossTenantQuery,
  "no-module-tenant-state": noModuleTenantState,
  "no-tenant-id-mutation": noTenantIdMutation,
  "no-unscoped-raw-sql": noUnscopedRawSql,
  "require-bypass-reason": requireBypassReason,
  "require-tenant-cache-key": requireTenantCacheKey,
  "require-tenant-on-create": requireTenantOnCreate,
  "require-tenant-scope": requireTenantScope,
};
