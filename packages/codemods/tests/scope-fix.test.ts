import path from "node:path";
import { DEFAULT_CONFIG, getAnalyzer } from "@tenant-lint/core";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { applyEdits, planCreateFix, planScopeFix, scopeFixFor, tenantContextFor } from "../src/index.js";
import { cleanup, tempProject } from "./helpers.js";

afterAll(cleanup);

describe("scopeFixFor (the ESLint suggestion)", () => {
  it("returns the edits for an unscoped access, and undefined when it cannot fix it", () => {
    const source = [
      'import { prisma } from "./db.js";',
      'import type { TenantContext } from "./context.js";',
      "const shared = { status: \"open\" };",
      "export const a = (ctx: TenantContext) => prisma.invoice.findMany({ where: { status: \"open\" } });",
      "export const b = (ctx: TenantContext) => prisma.invoice.findMany({ where: shared });",
      "",
    ].join("\n");
    const dir = tempProject("prisma", { "case.ts": source });
    const file = path.join(dir, "src/case.ts");
    const program = ts.createProgram([file], { strict: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, noEmit: true, skipLibCheck: true });
    const analyzer = getAnalyzer(program, { config: DEFAULT_CONFIG, rootDir: dir });
    const sourceFile = program.getSourceFile(file)!;
    const findings = analyzer.findings(sourceFile, ["require-tenant-scope"]);
    expect(findings).toHaveLength(2);
    const [first, second] = findings.map((f) => analyzer.context.accessOf(f.node as ts.CallExpression)!);
    const context = tenantContextFor(first!.node, first, analyzer.context);
    expect(context).toEqual({ name: "ctx", property: "tenantId", valueText: "ctx.tenantId" });
    const fix = scopeFixFor(first!, "ctx.tenantId", analyzer.context)!;
    const start = source.indexOf("status", source.indexOf("export const a"));
    expect(fix).toEqual([{ range: [start, start], text: "tenantId: ctx.tenantId, " }]);
    expect(applyEdits(source, fix.map((f) => ({ start: f.range[0], end: f.range[1], text: f.text })))).toContain(
      'prisma.invoice.findMany({ where: { tenantId: ctx.tenantId, status: "open" } })',
    );
    expect(scopeFixFor(second!, "ctx.tenantId", analyzer.context)).toBeUndefined();
  });
});

describe("planScopeFix and planCreateFix (pure, for other codemods)", () => {
  const source = [
    'import { db } from "./db.js";',
    'import { notes } from "./schema.js";',
    'import type { OrgContext } from "./context.js";',
    "export const pinned = (org: OrgContext) => db.select().from(notes);",
    "export const add = (org: OrgContext, body: string) => db.insert(notes).values({ body });",
    "export const copy = (org: OrgContext, note: typeof notes.$inferInsert) => db.insert(notes).values({ ...note, pinned: false });",
    "",
  ].join("\n");
  const dir = tempProject("drizzle", { "case.ts": source });
  const file = path.join(dir, "src/case.ts");
  const program = ts.createProgram([file], { strict: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, noEmit: true, skipLibCheck: true });
  const config = { ...DEFAULT_CONFIG, tenantKeys: ["orgId", "org_id"], contextTypes: ["OrgContext"] };
  const analyzer = getAnalyzer(program, { config, rootDir: dir });
  const accessAt = (marker: string) => {
    let found: ts.CallExpression | undefined;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && node.getStart() === source.indexOf(marker) && node.getText() === marker) found = node;
      ts.forEachChild(node, visit);
    };
    visit(program.getSourceFile(file)!);
    return analyzer.context.accessOf(found!)!;
  };

  it("returns the imports a Drizzle fix needs next to its edits; scopeFixFor adds them", () => {
    const read = accessAt("db.select().from(notes)");
    const at = source.indexOf("db.select().from(notes)") + "db.select().from(notes)".length;
    expect(planScopeFix(read, "org.orgId", analyzer.context)).toEqual({
      edits: [{ start: at, end: at, text: ".where(eq(notes.orgId, org.orgId))" }],
      imports: [{ module: "drizzle-orm", name: "eq" }],
    });
    const fix = scopeFixFor(read, "org.orgId", analyzer.context)!;
    expect(applyEdits(source, fix.map((f) => ({ start: f.range[0], end: f.range[1], text: f.text })))).toBe(
      source
        .replace('"./context.js";\n', '"./context.js";\nimport { eq } from "drizzle-orm";\n')
        .replace("db.select().from(notes);", "db.select().from(notes).where(eq(notes.orgId, org.orgId));"),
    );
  });

  it("inserts the key into created rows, and skips what it cannot rewrite", () => {
    const values = source.indexOf("{ body }");
    expect(planCreateFix(accessAt("db.insert(notes).values({ body })"), "org.orgId", analyzer.context)).toEqual({
      edits: [{ start: values + 2, end: values + 2, text: "orgId: org.orgId, " }],
    });
    // The rule counts the spread's optional key as set, so only a direct caller meets this case.
    expect(planCreateFix(accessAt("db.insert(notes).values({ ...note, pinned: false })"), "org.orgId", analyzer.context)).toEqual({
      skip: "the created row spreads `note`, which may carry orgId",
    });
    expect(planCreateFix(accessAt("db.select().from(notes)"), "org.orgId", analyzer.context)).toEqual({ skip: "select() creates no rows" });
  });
});

describe("applyEdits", () => {
  it("applies edits from the end, keeping same-offset insertions in order", () => {
    expect(applyEdits("abcdef", [{ start: 1, end: 1, text: "X" }, { start: 4, end: 5, text: "" }, { start: 1, end: 1, text: "Y" }])).toBe("aXYbcdf");
  });
  it("rejects overlapping edits", () => {
    expect(() => applyEdits("abcdef", [{ start: 1, end: 3, text: "" }, { start: 2, end: 4, text: "" }])).toThrow(/overlapping/);
  });
});
