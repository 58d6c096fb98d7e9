import { fingerprintHash, relativePath } from "../fingerprint.js";
import type { FormatContext } from "./index.js";

/**
 * GitLab's Code Quality report (a CodeClimate subset): GitLab shows the issues on merge requests
 * and compares them across pipelines by `fingerprint`, so it must be the stable fingerprint.
 */
export function formatGitlab(context: FormatContext): string {
  const issues = [];
  for (const result of context.results) {
    const path = relativePath(context.rootDir, result.filePath);
    for (const m of result.messages) {
      issues.push({
        type: "issue",
        description: m.ruleId ? m.message : `tenant-lint could not analyse this file. ${m.message}`,
        check_name: m.ruleId ?? "tenant-lint/parsing-error",
        // A parse error has no finding fingerprint; its file and message identify it well enough.
        fingerprint: m.fingerprint ?? fingerprintHash("parsing-error", path, m.message),
        // A cross-tenant leak is a security defect: errors are critical; a parse error hides findings.
        severity: m.fatal ? "blocker" : m.severity === 2 ? "critical" : "minor",
        categories: ["Security"],
        location: { path, lines: { begin: m.line, ...(m.endLine !== undefined ? { end: m.endLine } : {}) } },
      });
    }
  }
  return `${JSON.stringify(issues, null, 2)}\n`;
}
