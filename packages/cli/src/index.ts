export { main, docsUrlOf, parseRuleOptions, EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, type Io } from "./main.js";
export { checkProject, type CheckOptions, type CheckOutcome, type Severity } from "./check.js";
export { loadProject, UsageError, type LoadedProject, type LoadOptions } from "./project.js";
export { applyBaseline, baselineEntriesOf, readBaseline, writeBaseline, type BaselineEntry } from "./baseline.js";
export { changedLinesSince, parseUnifiedDiff } from "./git.js";
export { detectProject, configFromDetection } from "./init.js";
export { explainRule } from "./explain.js";
export { FORMATTERS, FORMAT_NAMES, type FormatContext, type FormatName, type RuleInfo } from "./formatters/index.js";
export type { LintResult, LintMessage, Bypass, InternalError } from "./results.js";
