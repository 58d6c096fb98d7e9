import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { copyProject, repoRoot, tempDir } from "./helpers.js";

const action = fs.readFileSync(path.join(repoRoot, "action.yml"), "utf8");

/** The `run: |` script of the action's step with this id, as the runner would execute it. */
function stepScript(id: string): string {
  const step = action.slice(action.indexOf(`id: ${id}\n`));
  const lines = step.slice(step.indexOf("run: |\n") + "run: |\n".length).split("\n");
  const body: string[] = [];
  for (const line of lines) {
    if (line.trim() !== "" && !line.startsWith("        ")) break;
    body.push(line.slice(8));
  }
  return body.join("\n");
}

/**
 * Runs the action's check step in a workspace where tenant-lint is installed (a
 * `node_modules/.bin/tenant-lint` that runs this repository's bin, so nothing is downloaded), with
 * inputs in the environment as the runner passes them.
 */
function runStep(inputs: Record<string, string>) {
  const workspace = tempDir();
  copyProject("findings", path.join(workspace, "app"));
  fs.mkdirSync(path.join(workspace, "node_modules/.bin"), { recursive: true });
  const shim = path.join(workspace, "node_modules/.bin/tenant-lint");
  fs.writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${path.join(repoRoot, "packages/cli/bin/tenant-lint.js")}" "$@"\n`, { mode: 0o755 });
  const output = path.join(workspace, "github-output");
  fs.writeFileSync(output, "");
  const env = {
    PATH: process.env.PATH,
    GITHUB_OUTPUT: output,
    TL_DIRECTORY: "app",
    TL_VERSION: "latest",
    TL_CHANGED_SINCE: "",
    TL_BASELINE: "",
    TL_ARGS: "",
    TL_SARIF: "tenant-lint.sarif",
    ...inputs,
  };
  // As the runner runs `shell: bash` steps: bash --noprofile --norc -eo pipefail.
  const child = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", stepScript("check")], { cwd: workspace, env, encoding: "utf8" });
  const outputs = Object.fromEntries(fs.readFileSync(output, "utf8").trim().split("\n").filter(Boolean).map((line) => line.split("=", 2) as [string, string]));
  return { child, outputs, workspace };
}

describe("the GitHub Action's check step", () => {
  it("runs the project's tenant-lint, writes SARIF and reports the exit code without failing the step", () => {
    const { child, outputs, workspace } = runStep({});
    expect(child.status).toBe(0);
    expect(outputs).toEqual({ "exit-code": "1", "sarif-written": "true" });
    expect(child.stdout).toContain("tenant-lint: findings reported to code scanning (tenant-lint.sarif)");
    const log = JSON.parse(fs.readFileSync(path.join(workspace, "tenant-lint.sarif"), "utf8"));
    expect(log.runs[0].results.filter((r: { suppressions?: unknown }) => !r.suppressions)).toHaveLength(2);
  });

  it("passes extra arguments as options, and inputs never as shell code", () => {
    const { child, outputs, workspace } = runStep({ TL_ARGS: "--rule no-module-tenant-state", TL_SARIF: "out; touch pwned" });
    expect(outputs).toEqual({ "exit-code": "0", "sarif-written": "true" });
    expect(child.status).toBe(0);
    expect(fs.existsSync(path.join(workspace, "out; touch pwned"))).toBe(true);
    expect(fs.existsSync(path.join(workspace, "pwned"))).toBe(false);
  });

  it("reports an analysis error as an annotation, with no report to upload", () => {
    const { outputs, child } = runStep({ TL_DIRECTORY: "missing" });
    expect(outputs).toEqual({ "exit-code": "2" });
    expect(child.stdout).toContain("::error title=tenant-lint::tenant-lint could not complete the analysis (exit code 2)");
  });
});
