import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { casesDir, cleanup, migrate, readCase, tempProject } from "./helpers.js";

afterAll(cleanup);

/**
 * Each case runs in `fixtures/codemod-<orm>`: `input.ts` must become exactly `output.ts`. Its
 * `skipped.txt` lists the call sites the report gives as skipped (`line:column Entity.method:
 * reason`, positions in `input.ts`); a case without one skips nothing.
 */
const CASES: [name: string, orm: string][] = [
  ["prisma-where", "prisma"],
  ["prisma-skipped", "prisma"],
  ["prisma-create", "prisma"],
  ["knex-chain", "knex"],
  ["knex-create", "knex"],
  ["typeorm-where", "typeorm"],
  ["typeorm-create", "typeorm"],
  ["typeorm-skipped", "typeorm"],
  ["drizzle-where", "drizzle"],
  ["drizzle-imports", "drizzle"],
  ["drizzle-create", "drizzle"],
  ["drizzle-skipped", "drizzle"],
];

describe.each(CASES)("scope-queries %s", (name, orm) => {
  it("writes exactly the expected output, which type-checks, skips the expected sites, then has nothing left to do", async () => {
    const dir = tempProject(orm, { "case.ts": readCase("scope-queries", name, "input.ts") });
    const reportFile = path.join(dir, "report.json");
    const first = await migrate({ dir, write: true, report: reportFile });
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, "src/case.ts"), "utf8")).toBe(readCase("scope-queries", name, "output.ts"));
    expect(skippedSites(reportFile)).toEqual(expectedSkips(name));
    // The codemod refuses only errors it would add; the migrated case must have none at all.
    expect(typeErrors(dir, "src/case.ts")).toEqual([]);
    const second = await migrate({ dir, write: true });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/: 0 call site\(s\) changed in 0 file\(s\)/);
    expect(fs.readFileSync(path.join(dir, "src/case.ts"), "utf8")).toBe(readCase("scope-queries", name, "output.ts"));
  });
});

function skippedSites(reportFile: string): string[] {
  const report = JSON.parse(fs.readFileSync(reportFile, "utf8")) as { sites: { line: number; column: number; entity: string; method: string; status: string; reason?: string }[] };
  return report.sites.filter((s) => s.status === "skipped").map((s) => `${s.line}:${s.column} ${s.entity}.${s.method}: ${s.reason}`);
}

function expectedSkips(name: string): string[] {
  const file = path.join(casesDir, "scope-queries", name, "skipped.txt");
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").filter((line) => line !== "") : [];
}

/** The type errors of one file of a project, as `tsc -p` would report them. */
function typeErrors(dir: string, file: string): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(dir, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!parsed) throw new Error(`${dir}: tsconfig.json cannot be read`);
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  const sourceFile = program.getSourceFile(path.join(dir, file))!;
  return [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)].map((d) => ts.flattenDiagnosticMessageText(d.messageText, " "));
}

describe("scope-queries behaviour", () => {
  it("dry run prints a unified diff and a summary, writes nothing and exits 1", async () => {
    const input = readCase("scope-queries", "knex-chain", "input.ts");
    const dir = tempProject("knex", { "case.ts": input });
    const { code, stdout, stderr } = await migrate({ dir, write: false });
    expect(stderr).toBe("");
    expect(code).toBe(1);
    expect(fs.readFileSync(path.join(dir, "src/case.ts"), "utf8")).toBe(input);
    expect(stdout).toContain("--- a/src/case.ts\n+++ b/src/case.ts\n");
    expect(stdout).toContain('-  return knex("subscriptions").where({ status: "active" });\n+  return knex("subscriptions").where("org_id", org.orgId).where({ status: "active" });\n');
    expect(stdout).toContain("scope-queries: 6 call site(s) to change in 1 file(s), 1 skipped (dry run: pass --write to apply)\n");
  });

  it("--report writes every call site, changed or skipped with its reason", async () => {
    const dir = tempProject("prisma", { "case.ts": readCase("scope-queries", "prisma-skipped", "input.ts") });
    const reportFile = path.join(dir, "report.json");
    const { code } = await migrate({ dir, write: false, report: reportFile });
    expect(code).toBe(1);
    const report = JSON.parse(fs.readFileSync(reportFile, "utf8"));
    expect(report).toMatchObject({ codemod: "scope-queries", written: false, changedFiles: ["src/case.ts"], typeErrors: [] });
    expect(report.sites).toEqual([
      { file: "src/case.ts", line: 6, column: 10, orm: "prisma", entity: "Invoice", method: "findMany", status: "skipped", reason: "no tenant context in scope (a parameter or local of a context type)" },
      { file: "src/case.ts", line: 11, column: 10, orm: "prisma", entity: "Invoice", method: "findMany", status: "skipped", reason: "the tenant context `ctx` may be undefined here" },
      { file: "src/case.ts", line: 18, column: 10, orm: "prisma", entity: "Invoice", method: "findMany", status: "skipped", reason: "the where filter is not an object literal" },
      { file: "src/case.ts", line: 24, column: 10, orm: "prisma", entity: "Customer", method: "findMany", status: "changed", inserted: ["tenantId: ctx.tenantId, "] },
    ]);
  });

  it("refuses the whole change when it would add a type error: nothing written, exit 2", async () => {
    const input = readCase("scope-queries", "prisma-type-error", "input.ts");
    const dir = tempProject("prisma", { "case.ts": input });
    const reportFile = path.join(dir, "report.json");
    const { code, stderr } = await migrate({ dir, write: true, report: reportFile });
    expect(code).toBe(2);
    // all or nothing: the Invoice query, which would type-check, is not written either
    expect(fs.readFileSync(path.join(dir, "src/case.ts"), "utf8")).toBe(input);
    expect(stderr).toContain("the change would introduce 1 type error(s); nothing was written:\n  src/case.ts:10:");
    expect(stderr).toContain("TS2322");
    const report = JSON.parse(fs.readFileSync(reportFile, "utf8"));
    expect(report.written).toBe(false);
    expect(report.typeErrors).toHaveLength(1);
    expect(report.typeErrors[0]).toMatchObject({ file: "src/case.ts", line: 10, code: 2322 });
  });

  it("rejects an unknown codemod and a missing directory with exit 2", async () => {
    expect(await migrate({ codemod: "nope", dir: ".", write: false })).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown codemod "nope"') });
    expect(await migrate({ dir: "/nonexistent/dir", write: false })).toMatchObject({ code: 2, stderr: expect.stringContaining("no such directory") });
  });
});
