import type { OrmCases } from "../../rule-tester.js";

const header = `import { prisma } from "./db.js";\nimport { tenantScope, type TenantContext } from "./tenancy/context.js";\n`;

export default {
  fixture: "prisma-express",
  valid: [
    header + `export const f = (ctx: TenantContext) => prisma.task.findMany({ where: { tenantId: ctx.tenantId } });`,
    header + `export const f = (ctx: TenantContext, id: string) => { const where = { id, tenantId: ctx.tenantId }; return prisma.task.findFirst({ where }); };`,
    header + `export const f = (ctx: TenantContext, title: string) => prisma.task.findFirst({ where: { ...tenantScope(ctx), title } });`,
    header + `export const f = (ctx: TenantContext, id: string) => prisma.task.findFirst({ where: { id, tenant: { id: ctx.tenantId } } });`,
    header +
      `export async function f(ctx: TenantContext, id: string) {\n  const task = await prisma.task.findUnique({ where: { id } });\n  if (!task || task.tenantId !== ctx.tenantId) throw new Error("not found");\n  return task;\n}`,
    header + `export const f = () => prisma.country.findMany();`,
    header + `const m = new Map<string, string>();\nexport const f = (id: string) => m.delete(id);`,
  ],
  invalid: [
    {
      code: header + `export const f = () => prisma.task.findMany({ where: { done: false } });`,
      errors: [{ messageId: "missingTenantScope", line: 3, column: 24, endLine: 3, endColumn: 72 }],
    },
    {
      code: header + `export const f = (ctx: TenantContext, id: string) => prisma.task.findUnique({ where: { id } });`,
      errors: [
        {
          messageId: "missingTenantScope",
          line: 3,
          column: 54,
          suggestions: [
            {
              messageId: "addTenantFilter",
              data: { value: "ctx.tenantId" },
              output: header + `export const f = (ctx: TenantContext, id: string) => prisma.task.findUnique({ where: { tenantId: ctx.tenantId, id } });`,
            },
          ],
        },
      ],
    },
    {
      code: header + `export const f = (ctx?: TenantContext) => prisma.task.findMany({ where: { tenantId: ctx?.tenantId } });`,
      errors: [{ messageId: "tenantMaybeUndefined", line: 3, column: 43 }],
    },
    {
      code: header + `export const f = (id: string) => prisma.$transaction((tx) => tx.project.delete({ where: { id } }));`,
      errors: [{ messageId: "missingTenantScope", line: 3, column: 62 }],
    },
    {
      code: header + `const projects = prisma.project;\nexport const f = () => projects.updateMany({ where: {}, data: { archived: true } });`,
      errors: [{ messageId: "missingTenantScope", line: 4, column: 24 }],
    },
  ],
} satisfies OrmCases<"missingTenantScope" | "tenantMaybeUndefined" | "addTenantFilter">;
