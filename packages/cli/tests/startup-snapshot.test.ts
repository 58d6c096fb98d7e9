import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { projectsDir, repoRoot, tempDir } from "./helpers.js";
// The built module: it locates the snapshot scripts beside itself, in dist/ (the binary's test is in gates.test.ts).
import { buildStartupSnapshot, snapshotSlot } from "../dist/startup-snapshot.js";
import { bundledTypeScriptFile } from "../dist/one-typescript.js";

describe("startup snapshot builds", () => {
  it("record a build that failed, which the command line's runs then do not start again", () => {
    const cacheHome = tempDir();
    const cacheDir = path.join(cacheHome, "tenant-lint", "v8");
    fs.mkdirSync(cacheDir, { recursive: true });
    const args = ["check", path.join(projectsDir, "clean")];
    const slot = snapshotSlot(repoRoot, args);
    // No input file for the slot: the snapshot script fails.
    expect(buildStartupSnapshot(cacheDir, slot, bundledTypeScriptFile())).toBe(false);
    expect(fs.readdirSync(cacheDir)).toEqual([`startup-${slot}.json`]);
    expect(JSON.parse(fs.readFileSync(path.join(cacheDir, `startup-${slot}.json`), "utf8"))).toMatchObject({ failed: true, at: expect.any(Number) });

    const bin = path.join(repoRoot, "packages/cli/bin/tenant-lint.js");
    const run = spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, encoding: "utf8", env: { ...process.env, XDG_CACHE_HOME: cacheHome, TENANT_LINT_DEBUG: "1" } });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("tenant-lint: started without a startup snapshot\n");
    // No build was started: no lock, no input file.
    expect(fs.readdirSync(cacheDir).filter((name) => name.startsWith("startup-"))).toEqual([`startup-${slot}.json`]);
  });

  it("give each command line in each directory a slot of its own", () => {
    const slot = snapshotSlot("/repo", ["check", "."]);
    expect(slot).toMatch(/^\w+$/);
    expect(snapshotSlot("/repo", ["check", "."])).toBe(slot);
    expect(snapshotSlot("/repo", ["check", ".", "--changed-since", "HEAD"])).not.toBe(slot);
    expect(snapshotSlot("/other", ["check", "."])).not.toBe(slot);
  });
});
