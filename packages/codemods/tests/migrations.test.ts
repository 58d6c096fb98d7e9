import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { casesDir, cleanup, migrate, tempProject } from "./helpers.js";

afterAll(cleanup);

/** The files of `tests/fixtures/<codemod>/<name>/<side>/`, by name. */
function caseFiles(codemod: string, name: string, side: "input" | "output"): Record<string, string> {
  const dir = path.join(casesDir, codemod, name, side);
  return Object.fromEntries(fs.readdirSync(dir).map((file) => [file, fs.readFileSync(path.join(dir, file), "utf8")]));
}

/** The named files of a project's `src/`, by name; a deleted file reads as `null`. */
function projectFiles(dir: string, names: readonly string[]): Record<string, string | null> {
  return Object.fromEntries(names.map((name) => [name, fs.existsSync(path.join(dir, "src", name)) ? fs.readFileSync(path.join(dir, "src", name), "utf8") : null]));
}

function expectedFiles(codemod: string, name: string, inputNames: readonly string[]): Record<string, string | null> {
  const output = caseFiles(codemod, name, "output");
  return Object.fromEntries(inputNames.map((file) => [file, output[file] ?? null]));
}

/** Regenerates a case's output from the migrated project (TENANT_LINT_UPDATE_SNAPSHOTS=1); review the diff before committing. */
function updateOutput(codemod: string, name: string, migrated: Record<string, string | null>): void {
  const out = path.join(casesDir, codemod, name, "output");
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  for (const [file, text] of Object.entries(migrated)) if (text !== null) fs.writeFileSync(path.join(out, file), text);
}

const CASES: [codemod: string, name: string, orm: string][] = [
  ["scoped-repository", "prisma-express", "prisma"],
  ["scoped-repository", "prisma-blocked", "prisma"],
  ["scoped-repository", "knex-koa", "knex"],
  ["scoped-repository", "drizzle-hono", "drizzle"],
  ["scoped-repository", "typeorm-fastify", "typeorm"],
  ["scoped-repository", "typeorm-nestjs", "typeorm"],
  ["module-state", "knex-koa", "knex"],
  ["module-state", "prisma-express", "prisma"],
];

describe.each(CASES)("%s %s", (codemod, name, orm) => {
  it("writes exactly the expected output, type-checked, then has nothing left to do", async () => {
    const input = caseFiles(codemod, name, "input");
    const dir = tempProject(orm, input);
    const first = await migrate({ codemod, dir, write: true });
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const migrated = projectFiles(dir, Object.keys(input));
    if (process.env.TENANT_LINT_UPDATE_SNAPSHOTS) updateOutput(codemod, name, migrated);
    expect(migrated).toEqual(expectedFiles(codemod, name, Object.keys(input)));
    const second = await migrate({ codemod, dir, write: true });
    expect(second.stderr).toBe("");
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/: 0 call site\(s\) changed in 0 file\(s\)/);
    expect(projectFiles(dir, Object.keys(input))).toEqual(migrated);
  });
});

describe("scoped-repository report and refusals", () => {
  it("--report lists every call site, the skipped ones with why no context can reach them, and the threaded functions", async () => {
    const dir = tempProject("prisma", caseFiles("scoped-repository", "prisma-blocked", "input"));
    const reportFile = path.join(dir, "report.json");
    const { code, stdout } = await migrate({ codemod: "scoped-repository", dir, write: false, report: reportFile });
    expect(code).toBe(1);
    expect(stdout).toContain("scoped-repository: 1 call site(s) to change in 1 file(s), 4 skipped; 0 function(s) take a tenant context, 1 handler(s) read it from the request; 0 class(es) now extend TenantScopedRepository (dry run: pass --write to apply)\n");
    expect(stdout).toContain("handlers now read the request's tenant (express): mount the runtime's tenant middleware before them (docs/runtime.md)\n");
    const report = JSON.parse(fs.readFileSync(reportFile, "utf8"));
    const site = (line: number, entity: string, method: string, reason: string) => ({ file: "src/blocked.ts", line, column: expect.any(Number), orm: "prisma", entity, method, status: "skipped", reason });
    expect(report.sites).toEqual([
      site(6, "Invoice", "findFirst", "loadInvoice is used as a value at src/blocked.ts:9:63 (not called), so a context cannot be passed to it there"),
      site(13, "Invoice", "count", "countDrafts is called where no tenant context can be had (src/blocked.ts:16:32: module-level code, outside any function)"),
      site(22, "Customer", "findMany", "customers is overloaded"),
      site(29, "Customer", "findMany", "the express handler's request parameter is destructured: name it to read the tenant from it"),
      { file: "src/blocked.ts", line: 34, column: 18, orm: "prisma", entity: "Invoice", method: "findFirst", status: "changed", inserted: ["tenantId: requireTenant(req).tenantId, "] },
    ]);
    expect(report.functions).toEqual([{ file: "src/blocked.ts", line: 33, name: "(anonymous)", via: "express", calls: 0 }]);
    expect(report.classes).toEqual([]);
  });

  it("names a class it keeps as it was, with the reason", async () => {
    const dir = tempProject("prisma", {
      "two-models.ts": [
        'import { prisma } from "./db.js";',
        "",
        "export class Reports {",
        "  invoices() {",
        "    return prisma.invoice.findMany();",
        "  }",
        "",
        "  customers() {",
        "    return prisma.customer.findMany();",
        "  }",
        "}",
        "",
      ].join("\n"),
    });
    const reportFile = path.join(dir, "report.json");
    const { code, stdout } = await migrate({ codemod: "scoped-repository", dir, write: false, report: reportFile });
    expect(code).toBe(1);
    expect(stdout).toContain("kept src/two-models.ts:3 class Reports (queries filtered in place): the class queries several entities (Invoice, Customer); a TenantScopedRepository serves one\n");
    expect(JSON.parse(fs.readFileSync(reportFile, "utf8")).classes).toEqual([
      { file: "src/two-models.ts", line: 3, name: "Reports", status: "kept", reason: "the class queries several entities (Invoice, Customer); a TenantScopedRepository serves one" },
    ]);
  });
});

describe("module-state refusals", () => {
  it("leaves a variable whose reads cannot all get a context exactly as it was", async () => {
    const input = [
      "let currentTenantId: string | undefined;",
      "",
      "export function setTenant(id: string) {",
      "  currentTenantId = id;",
      "}",
      "",
      "export const startupTenant = currentTenantId;",
      "",
    ].join("\n");
    const dir = tempProject("prisma", { "state.ts": input });
    const { code, stdout } = await migrate({ codemod: "module-state", dir, write: true });
    expect(code).toBe(0);
    expect(stdout).toContain("skipped src/state.ts:7:30 module currentTenantId.read: module-level code, outside any function; `currentTenantId` is left as it is\n");
    expect(fs.readFileSync(path.join(dir, "src/state.ts"), "utf8")).toBe(input);
  });
});

describe("scoped-repository and tests", () => {
  it("threads production callers, and lists calls in test files for their authors instead of blocking on them", async () => {
    const testFile = ['import { findInvoice } from "./invoices.js";', "", 'export const check = async () => findInvoice("a");', ""].join("\n");
    const dir = tempProject("prisma", {
      "invoices.ts": ['import { prisma } from "./db.js";', "", "export const findInvoice = (id: string) => prisma.invoice.findFirst({ where: { id } });", ""].join("\n"),
      "invoices.test.ts": testFile,
    });
    const { code, stdout, stderr } = await migrate({ codemod: "scoped-repository", dir, write: true });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("test src/invoices.test.ts:3:34 calls findInvoice, which now takes a TenantContext first: pass one (createTenantContext from @tenant-lint/runtime)\n");
    expect(fs.readFileSync(path.join(dir, "src/invoices.ts"), "utf8")).toContain(
      "export const findInvoice = (ctx: TenantContext, id: string) => prisma.invoice.findFirst({ where: { tenantId: ctx.tenantId, id } });",
    );
    expect(fs.readFileSync(path.join(dir, "src/invoices.test.ts"), "utf8")).toBe(testFile);
  });
});
