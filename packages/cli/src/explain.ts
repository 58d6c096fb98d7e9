import fs from "node:fs";
import path from "node:path";
import { coreRules, PLUGIN_PREFIX } from "@tenant-lint/core";
import { UsageError } from "./project.js";

/** The CLI package's directory (this file is in `src/` or `dist/`). */
const packageDir = path.resolve(import.meta.dirname, "..");

/**
 * Where a rule's page may be: shipped in the package (`prepack` copies `docs/rules` in), or, in the
 * repository, the monorepo's own `docs/rules`.
 */
export function ruleDocCandidates(ruleId: string): string[] {
  return [path.join(packageDir, "docs", "rules", `${ruleId}.md`), path.join(packageDir, "..", "..", "docs", "rules", `${ruleId}.md`)];
}

/** A rule's documentation page as Markdown, without the generator's marker comments. */
export function explainRule(name: string): string {
  const ruleId = name.startsWith(`${PLUGIN_PREFIX}/`) ? name.slice(PLUGIN_PREFIX.length + 1) : name;
  if (!coreRules[ruleId]) throw new UsageError(`unknown rule "${name}" (rules: ${Object.keys(coreRules).join(", ")})`);
  const file = ruleDocCandidates(ruleId).find((candidate) => fs.existsSync(candidate));
  if (!file) throw new UsageError(`no documentation found for ${ruleId} (looked in ${ruleDocCandidates(ruleId).join(", ")})`);
  const text = fs.readFileSync(file, "utf8").replace(/^<!-- (?:begin|end) auto-generated [^>]*-->\n/gm, "");
  return text.endsWith("\n") ? text : `${text}\n`;
}
