export { applyEdits, type TextEdit } from "./edits.js";
export { CODEMODS, runMigrate, type IntroducedError, type MigrateIo, type MigrateOptions, type MigrateReport } from "./migrate.js";
export { planScopeFix, scopeFixFor, scopeQueries, tenantContextFor, type CallSite, type ScopeQueriesResult, type TenantContextInScope } from "./scope-queries.js";
