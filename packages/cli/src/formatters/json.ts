import type { LintResult } from "../results.js";

/** ESLint's JSON result format, byte for byte what `eslint --format json` would print. */
export function formatJson(results: readonly LintResult[]): string {
  return JSON.stringify(results.map(({ source: _source, ...rest }) => rest));
}
