import path from "node:path";
import { DEFAULT_CONFIG, getAnalyzer } from "@tenant-lint/core";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { applyEdits, scopeFixFor, tenantContextFor } from "../src/index.js";
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

describe("applyEdits", () => {
  it("applies edits from the end, keeping same-offset insertions in order", () => {
    expect(applyEdits("abcdef", [{ start: 1, end: 1, text: "X" }, { start: 4, end: 5, text: "" }, { start: 1, end: 1, text: "Y" }])).toBe("aXYbcdf");
  });
  it("rejects overlapping edits", () => {
    expect(() => applyEdits("abcdef", [{ start: 1, end: 3, text: "" }, { start: 2, end: 4, text: "" }])).toThrow(/overlapping/);
  });
});
