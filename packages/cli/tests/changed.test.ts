import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseUnifiedDiff, unquote } from "../src/git.js";
import { loadProject } from "../src/project.js";
import { copyProject, edit, gitRepo, run } from "./helpers.js";

interface Finding {
  file: string;
  line: number;
  ruleId: string | null;
  message: string;
  path?: { filePath: string; line: number }[];
}

/** The findings of a JSON report, and the files it covers (a --changed-since run covers only what it analysed). */
function parseReport(stdout: string): { findings: Finding[]; files: string[] } {
  const results = JSON.parse(stdout) as { filePath: string; messages: Omit<Finding, "file">[] }[];
  return {
    files: results.map((r) => path.basename(r.filePath)),
    findings: results.flatMap((r) => r.messages.map((m) => ({ file: path.basename(r.filePath), line: m.line, ruleId: m.ruleId, message: m.message, ...(m.path ? { path: m.path } : {}) }))),
  };
}

const NEW_UNSCOPED_READ = '\nexport function subscriptionsOnPlan(plan: string) {\n  return knex("subscriptions").where({ plan_code: plan });\n}\n';

describe("parseUnifiedDiff", () => {
  it("collects added and modified lines by the new file's path", () => {
    const diff = [
      "diff --git a/src/a.ts b/src/a.ts",
      "index 1111111..2222222 100644",
      "--- a/src/a.ts",
      "+++ b/src/a.ts",
      "@@ -3 +3 @@ export function a() {",
      "-  return 1;",
      "+  return 2;",
      "@@ -10,0 +11,2 @@ export function b() {",
      "+// one",
      "+// two",
      "@@ -20,3 +22,0 @@",
      "-gone",
      "diff --git a/src/new.ts b/src/new.ts",
      "new file mode 100644",
      "--- /dev/null",
      "+++ b/src/new.ts",
      "@@ -0,0 +1,2 @@",
      "+a",
      "+b",
      "diff --git a/src/old.ts b/src/old.ts",
      "deleted file mode 100644",
      "--- a/src/old.ts",
      "+++ /dev/null",
      "@@ -1 +0,0 @@",
      "-x",
      "diff --git a/src/from.ts b/src/to.ts",
      "similarity index 90%",
      "rename from src/from.ts",
      "rename to src/to.ts",
      "--- a/src/from.ts",
      "+++ b/src/to.ts",
      "@@ -5 +5 @@",
      "+changed",
      "",
    ].join("\n");
    expect(parseUnifiedDiff(diff)).toEqual(
      new Map<string, Set<number> | "all">([
        ["src/a.ts", new Set([3, 11, 12])],
        ["src/new.ts", "all"],
        ["src/to.ts", new Set([5])],
      ]),
    );
  });

  it("reads git's quoted paths", () => {
    expect(unquote('"b/caf\\303\\251 \\"x\\"\\t.ts"')).toBe('b/café "x"\t.ts');
    expect(parseUnifiedDiff('diff --git "a/caf\\303\\251.ts" "b/caf\\303\\251.ts"\n--- "a/caf\\303\\251.ts"\n+++ "b/caf\\303\\251.ts"\n@@ -1 +1 @@\n+x\n')).toEqual(
      new Map([["café.ts", new Set([1])]]),
    );
  });
});

describe("check --changed-since", () => {
  it("reports exactly the full run's findings on changed lines, and analyses only the changed files", async () => {
    const repo = gitRepo("findings");
    edit(path.join(repo.dir, "src/billing/subscriptions.ts"), (text) => text + NEW_UNSCOPED_READ);
    const changed = parseReport((await run(["check", repo.dir, "-f", "json", "--changed-since", "HEAD"])).stdout);
    const full = parseReport((await run(["check", repo.dir, "-f", "json"])).stdout);
    expect(changed.findings).toEqual([{ file: "subscriptions.ts", line: 26, ruleId: "@tenant-lint/require-tenant-scope", message: expect.stringContaining("Read of tenant-scoped subscriptions") }]);
    expect(full.findings.filter((f) => f.file === "subscriptions.ts" && f.line >= 24)).toEqual(changed.findings);
    expect(full.findings).toHaveLength(3);
    expect(changed.files).toEqual(["subscriptions.ts"]);
  });

  it("exits 0 when the changed lines are clean, even though old findings remain elsewhere", async () => {
    const repo = gitRepo("findings");
    edit(path.join(repo.dir, "src/billing/subscriptions.ts"), (text) => `${text}\nexport const PAGE_SIZE = 50;\n`);
    expect(await run(["check", repo.dir, "--changed-since", "HEAD"])).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("includes untracked files", async () => {
    const repo = gitRepo("findings");
    fs.writeFileSync(path.join(repo.dir, "src/billing/export.ts"), `import { knex } from "../db/knex.js";\n${NEW_UNSCOPED_READ}`);
    const changed = parseReport((await run(["check", repo.dir, "-f", "json", "--changed-since", "HEAD"])).stdout);
    expect(changed.findings.map((f) => `${f.file}:${f.line}`)).toEqual(["export.ts:4"]);
  });

  it("reports a cross-file taint at the call site in the changed file, with its path through unchanged code", async () => {
    const repo = gitRepo("findings");
    edit(path.join(repo.dir, "src/billing/routes.ts"), (text) => `${text}\nexport async function listByHeader(ctx: Context) {\n  ctx.body = await subscriptionsOfOrg(ctx.get("x-org"));\n}\n`);
    const result = await run(["check", repo.dir, "-f", "json", "--changed-since", "HEAD"]);
    expect(result.code).toBe(1);
    const [finding, ...rest] = parseReport(result.stdout).findings;
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ file: "routes.ts", line: 15, ruleId: "@tenant-lint/no-client-tenant-id" });
    expect(finding!.path!.map((s) => `${path.basename(s.filePath)}:${s.line}`)).toEqual(["routes.ts:15", "routes.ts:15", "subscriptions.ts:9"]);
  });

  it("compares with any commit: findings of every commit since the ref", async () => {
    const repo = gitRepo("findings");
    const subscriptions = path.join(repo.dir, "src/billing/subscriptions.ts");
    edit(subscriptions, (text) => text + NEW_UNSCOPED_READ);
    repo.commit("first change");
    edit(subscriptions, (text) => text + NEW_UNSCOPED_READ.replace("subscriptionsOnPlan", "subscriptionsOnOtherPlan"));
    repo.commit("second change");
    const since = async (ref: string) => parseReport((await run(["check", repo.dir, "-f", "json", "--changed-since", ref])).stdout).findings.map((f) => f.line);
    expect(await since("HEAD~2")).toEqual([26, 30]);
    expect(await since("HEAD~1")).toEqual([30]);
    expect(await since("HEAD")).toEqual([]);
  });

  it("treats moved code as changed: it is new at its new place", async () => {
    const repo = gitRepo("findings");
    edit(path.join(repo.dir, "src/billing/subscriptions.ts"), (text) => {
      const block = /export function subscriptionById[\s\S]*?\n}\n\n/.exec(text)![0];
      return `${text.replace(block, "")}\n${block}`;
    });
    const changed = parseReport((await run(["check", repo.dir, "-f", "json", "--changed-since", "HEAD"])).stdout);
    expect(changed.findings.map((f) => `${f.file}:${f.line}`)).toEqual(["subscriptions.ts:22"]);
  });

  it("fails on a changed file that does not parse; a broken file the changed ones do not load is left to a full run", async () => {
    const changedBroken = gitRepo("parse-error");
    edit(path.join(changedBroken.dir, "src/broken.ts"), (text) => `${text}\nexport const LIMIT = 10;\n`);
    const result = await run(["check", changedBroken.dir, "--changed-since", "HEAD"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/broken\.ts:4:10: parsing error: ':' expected\./);

    // subscriptions.ts does not import broken.ts: the program for it does not hold it.
    const unchangedBroken = gitRepo("parse-error");
    edit(path.join(unchangedBroken.dir, "src/subscriptions.ts"), (text) => `${text}\nexport const LIMIT = 10;\n`);
    expect(await run(["check", unchangedBroken.dir, "--changed-since", "HEAD"])).toEqual({ code: 0, stdout: "", stderr: "" });
    expect((await run(["check", unchangedBroken.dir])).code).toBe(1);
  });

  it("with --baseline, a known finding in a changed file stays known and unchanged files' entries are not fixed", async () => {
    const repo = gitRepo("findings");
    await run(["baseline", repo.dir]);
    repo.commit("baseline");
    edit(path.join(repo.dir, "src/billing/subscriptions.ts"), (text) => text.replace('where("id", id)', 'where("id", id /* by primary key */)') + NEW_UNSCOPED_READ);
    const result = await run(["check", repo.dir, "-f", "json", "--changed-since", "HEAD", "--baseline", path.join(repo.dir, "tenant-lint.baseline.json")]);
    expect(result.stderr).toBe("");
    expect(parseReport(result.stdout).findings.map((f) => f.line)).toEqual([26]);
  });

  it("fails clearly outside a git repository or with an unknown ref", async () => {
    const outside = await run(["check", copyProject("clean"), "--changed-since", "HEAD"]);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/^tenant-lint: --changed-since needs a git repository, and .* is not in one \(see `tenant-lint --help`\)\n$/);
    const repo = gitRepo("clean");
    const unknown = await run(["check", repo.dir, "--changed-since", "no-such-branch"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^tenant-lint: --changed-since: unknown git ref "no-such-branch" \(see `tenant-lint --help`\)\n$/);
  });
});

/** Controller -> service -> repository in three files, with findings in each, on the `findings` project's database and context. */
const LAYERED_FILES: Record<string, string> = {
  "src/billing/repository.ts": `import { knex } from "../db/knex.js";

export function subscriptionsOfOrg(orgId: string) {
  return knex("subscriptions").where({ org_id: orgId });
}

export function everySubscription() {
  return knex("subscriptions").select("id");
}

export function countPlans() {
  return knex.raw("select count(*) from subscriptions");
}
`,
  "src/billing/service.ts": `import type { Context } from "koa";
import { subscriptionsOfOrg } from "./repository.js";

export function listForOrg(orgId: string) {
  return subscriptionsOfOrg(orgId.trim());
}

export function listForRequestedOrg(ctx: Context) {
  return subscriptionsOfOrg(String(ctx.get("x-org")));
}
`,
  "src/billing/controller.ts": `import type { Context } from "koa";
import { listForOrg } from "./service.js";

export async function list(ctx: Context) {
  ctx.body = await listForOrg(String(ctx.query.org));
}
`,
  // Imported by nothing above: a program for the files above does not need it.
  "src/billing/unrelated.ts": `import { knex } from "../db/knex.js";

export function plansUnscoped() {
  return knex("subscriptions").where({ status: "active" });
}
`,
};

describe("check --changed-since on a cross-file flow", () => {
  it.each(["src/billing/controller.ts", "src/billing/service.ts", "src/billing/repository.ts"])(
    "reports on %s exactly what a full run reports there, loading only what it needs",
    async (changedFile) => {
      // Everything is committed but the changed file, which is then new (every line changed).
      const repo = gitRepo("findings");
      fs.rmSync(path.join(repo.dir, "src/billing/routes.ts"));
      fs.rmSync(path.join(repo.dir, "src/billing/subscriptions.ts"));
      for (const [file, text] of Object.entries(LAYERED_FILES)) if (file !== changedFile) fs.writeFileSync(path.join(repo.dir, file), text);
      repo.commit("layers");
      fs.writeFileSync(path.join(repo.dir, changedFile), LAYERED_FILES[changedFile]!);

      const full = parseReport((await run(["check", repo.dir, "-f", "json"])).stdout);
      const changed = parseReport((await run(["check", repo.dir, "-f", "json", "--changed-since", "HEAD"])).stdout);
      const name = path.basename(changedFile);
      expect(changed.files).toEqual([name]);
      expect(changed.findings).toEqual(full.findings.filter((f) => f.file === name));
      expect(changed.findings.length).toBeGreaterThan(0);
    },
  );

  it("loads the changed files, what they import and the global declarations, not the rest", async () => {
    const dir = copyProject("findings");
    for (const [file, text] of Object.entries(LAYERED_FILES)) fs.writeFileSync(path.join(dir, file), text);
    const project = loadProject(dir, { only: (file) => file.endsWith("/billing/service.ts") });
    const own = project.sourceFiles.map((sf) => path.relative(dir, sf.fileName)).sort();
    // tables.ts augments knex and org/context.ts augments koa: visible without an import.
    expect(own).toEqual(["src/billing/repository.ts", "src/billing/service.ts", "src/db/knex.ts", "src/db/tables.ts", "src/org/context.ts"]);
    expect(project.partial).toBe(true);
  });
});

