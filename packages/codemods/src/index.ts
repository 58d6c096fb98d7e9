export { applyEdits, type TextEdit } from "./edits.js";
export { CODEMODS, runMigrate, type IntroducedError, type MigrateIo, type MigrateOptions, type MigrateReport } from "./migrate.js";
export {
  fixableFinding,
  planCreateFix,
  planScopeFix,
  scopeFixFor,
  scopeQueries,
  tenantContextFor,
  type CallSite,
  type Plan,
  type Planner,
  type RequiredImport,
  type ScopeQueriesResult,
  type TenantContextInScope,
} from "./scope-queries.js";
export type { Codemod, CodemodOptions, CodemodResult } from "./codemod.js";
export { moduleState } from "./module-state.js";
export { scopedRepository, type ClassMigration } from "./scoped-repository.js";
export { ContextThreader, type ContextSource, type Framework, type ThreadedFunction } from "./threading.js";
