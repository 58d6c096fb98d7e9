import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { edit, gitRepo, run } from "./helpers.js";

interface Baseline {
  version: number;
  findings: { fingerprint: string; ruleId: string; file: string; message: string }[];
}

const readBaseline = (dir: string): Baseline => JSON.parse(fs.readFileSync(path.join(dir, "tenant-lint.baseline.json"), "utf8"));

/** A repository with the findings project and its baseline committed. */
async function baselinedRepo() {
  const repo = gitRepo("findings");
  const created = await run(["baseline", repo.dir]);
  expect(created).toMatchObject({ code: 0, stderr: "" });
  repo.commit("baseline");
  const subscriptions = path.join(repo.dir, "src/billing/subscriptions.ts");
  const check = (...args: string[]) => run(["check", repo.dir, "--baseline", path.join(repo.dir, "tenant-lint.baseline.json"), ...args], { cwd: repo.dir });
  return { ...repo, subscriptions, check };
}

const UNSCOPED = 'return knex("subscriptions").where("id", id).first();';

describe("tenant-lint baseline", () => {
  it("records the findings by fingerprint, rule, file and message, with no line numbers", async () => {
    const repo = gitRepo("findings");
    const result = await run(["baseline", repo.dir], { cwd: repo.dir });
    expect(result).toEqual({ code: 0, stdout: "tenant-lint: wrote 2 findings to tenant-lint.baseline.json\n", stderr: "" });
    const baseline = readBaseline(repo.dir);
    expect(baseline.version).toBe(1);
    expect(baseline.findings.map(({ ruleId, file }) => `${file} ${ruleId}`)).toEqual([
      "src/billing/routes.ts @tenant-lint/no-client-tenant-id",
      "src/billing/subscriptions.ts @tenant-lint/require-tenant-scope",
    ]);
    for (const entry of baseline.findings) {
      expect(Object.keys(entry).sort()).toEqual(["file", "fingerprint", "message", "ruleId"]);
      expect(entry.fingerprint).toMatch(/^[0-9a-f]{32}:1$/);
    }
    // The suppressed finding is not debt to record: its directive already says why it is there.
    expect(baseline.findings.map((e) => e.message).join("\n")).not.toContain("cancelled");
  });

  it("writes where --output says", async () => {
    const repo = gitRepo("findings");
    const result = await run(["baseline", ".", "--output", "ci/known.json"], { cwd: repo.dir });
    expect(result.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(repo.dir, "ci/known.json"), "utf8")).findings).toHaveLength(2);
  });
});

describe("check --baseline", () => {
  it("passes while the known findings are all there is", async () => {
    const repo = await baselinedRepo();
    expect(await repo.check()).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("still matches after lines move, code is reformatted and the function moves", async () => {
    const repo = await baselinedRepo();
    edit(repo.subscriptions, (text) => {
      const moved = text.replace(/export function subscriptionById[\s\S]*?\n}\n\n/, "");
      return [
        "// Subscriptions: reads and writes.",
        "// (Lines above the findings move them down.)",
        "",
        moved,
        "",
        "export function subscriptionById(",
        "  id: number,",
        ") {",
        "  return knex( 'subscriptions' )",
        "    .where( 'id', id, )",
        "    .first( ) ; // reformatted",
        "}",
        "",
      ].join("\n");
    });
    edit(path.join(repo.dir, "src/billing/routes.ts"), (text) => `\n\n${text.replace("subscriptionsOfOrg(requested)", "subscriptionsOfOrg( requested )")}`);
    repo.commit("reformat");
    const full = await run(["check", repo.dir, "-f", "json"]);
    expect(full.code).toBe(1);
    expect(await repo.check()).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("fails on a new finding only, and keeps the known ones as external suppressions", async () => {
    const repo = await baselinedRepo();
    edit(repo.subscriptions, (text) => `${text}\nexport function planByCode(code: string) {\n  return knex("subscriptions").where({ plan_code: code });\n}\n`);
    const result = await repo.check("-f", "json");
    expect(result.code).toBe(1);
    const results = JSON.parse(result.stdout) as { filePath: string; messages: { line: number; ruleId: string }[]; suppressedMessages: { suppressions: { kind: string }[] }[] }[];
    expect(results.flatMap((r) => r.messages.map((m) => `${path.basename(r.filePath)}:${m.line} ${m.ruleId}`))).toEqual(["subscriptions.ts:26 @tenant-lint/require-tenant-scope"]);
    expect(results.flatMap((r) => r.suppressedMessages.map((m) => m.suppressions[0]!.kind)).sort()).toEqual(["directive", "external", "external"]);
  });

  it("reports fixed findings (stderr and summary) until --prune-baseline removes them", async () => {
    const repo = await baselinedRepo();
    edit(repo.subscriptions, (text) =>
      text
        .replace("export function subscriptionById(id: number) {", "export function subscriptionById(org: OrgContext, id: number) {")
        .replace(UNSCOPED, 'return knex("subscriptions").where({ org_id: org.orgId, id }).first();'),
    );
    const stale = await repo.check();
    expect(stale.code).toBe(0);
    expect(stale.stderr).toBe("tenant-lint: 1 finding in tenant-lint.baseline.json no longer occurs; run with --prune-baseline to remove it\n");
    expect(stale.stdout).toBe("1 baseline entry no longer occurs (fixed): run with --prune-baseline to drop it.\n");

    const pruned = await repo.check("--prune-baseline");
    expect(pruned).toEqual({ code: 0, stdout: "1 baseline entry no longer occurs (fixed): run with --prune-baseline to drop it.\n", stderr: "tenant-lint: removed 1 fixed finding from tenant-lint.baseline.json\n" });
    expect(readBaseline(repo.dir).findings.map((e) => e.ruleId)).toEqual(["@tenant-lint/no-client-tenant-id"]);
    expect(await repo.check()).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("tells identical findings apart by occurrence, so removing one of two is a fix", async () => {
    const repo = gitRepo("findings");
    const subscriptions = path.join(repo.dir, "src/billing/subscriptions.ts");
    edit(subscriptions, (text) => `${text}\nexport function subscriptionByIdAgain(id: number) {\n  ${UNSCOPED}\n}\n`);
    await run(["baseline", repo.dir]);
    const entries = readBaseline(repo.dir).findings.filter((e) => e.ruleId === "@tenant-lint/require-tenant-scope");
    expect(entries.map((e) => e.fingerprint.split(":")[1]).sort()).toEqual(["1", "2"]);
    expect(new Set(entries.map((e) => e.fingerprint.split(":")[0])).size).toBe(1);

    edit(subscriptions, (text) => text.replace(/\nexport function subscriptionByIdAgain[\s\S]*$/, "\n"));
    const result = await run(["check", repo.dir, "--baseline", path.join(repo.dir, "tenant-lint.baseline.json")]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/1 finding in .* no longer occurs/);
  });

  it("does not call findings of rules that did not run fixed", async () => {
    const repo = await baselinedRepo();
    expect(await repo.check("--rule", "no-module-tenant-state", "--prune-baseline")).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(readBaseline(repo.dir).findings).toHaveLength(2);
  });

  it("rejects a file that is not a baseline", async () => {
    const repo = await baselinedRepo();
    fs.writeFileSync(path.join(repo.dir, "tenant-lint.baseline.json"), JSON.stringify({ findings: [{ ruleId: 1 }] }));
    const result = await repo.check();
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/tenant-lint\.baseline\.json: not a tenant-lint baseline \(expected \{"version": 1, "findings": \[\.\.\.\]\}\)\n$/);
  });
});
