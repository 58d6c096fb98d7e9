export { main, EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, type Io } from "./main.js";
export { checkProject, type CheckOutcome } from "./check.js";
export { loadProject, UsageError, type LoadedProject } from "./project.js";
export type { LintResult, LintMessage, Bypass } from "./results.js";
