import path from "node:path";
import { describe, expect, it } from "vitest";
import { FORMAT_NAMES } from "../src/formatters/index.js";
import { projectsDir, run, sanitize } from "./helpers.js";

const EXTENSION: Record<string, string> = { stylish: "txt", json: "json", sarif: "sarif.json", github: "txt", gitlab: "json", rdjson: "json" };

// The same three projects in every format: nothing to report, findings (one with a cross-file taint
// path, one suppressed with a reason), and a file that does not parse next to one that does.
const PROJECTS = [
  { name: "clean", exitCode: 0 },
  { name: "findings", exitCode: 1 },
  { name: "parse-error", exitCode: 1 },
];

describe.each(PROJECTS)("$name project", ({ name, exitCode }) => {
  it.each(FORMAT_NAMES)("%s", async (format) => {
    const result = await run(["check", path.join(projectsDir, name), "--format", format]);
    expect(result.code).toBe(exitCode);
    let report = sanitize(result.stdout);
    if (format === "json") {
      // ESLint prints its JSON on one line; the snapshot is indented so that diffs are readable.
      expect(result.stdout.trimEnd()).not.toContain("\n");
      report = `${JSON.stringify(JSON.parse(report), null, 2)}\n`;
    }
    expect(report).not.toMatch(/\/(?:work|home|tmp|Users)\//);
    await expect(report).toMatchFileSnapshot(`__snapshots__/${name}.${format}.${EXTENSION[format]}`);
  });
});
