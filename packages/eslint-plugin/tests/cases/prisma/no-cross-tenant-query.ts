import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import { prisma } from "./db.js";\nimport type { TenantContext } from "./tenancy/context.js";\n`;
const inList = header + `export const f = (ids: string[]) => prisma.task.findMany({ where: { tenantId: { in: ids } } });`;
const negated = header + `export const f = (ctx: TenantContext) => prisma.project.count({ where: { tenantId: { not: ctx.tenantId } } });`;
const eitherTenant = header + `export const f = (a: string, b: string) => prisma.task.deleteMany({ where: { OR: [{ tenantId: a }, { tenantId: b }] } });`;

export default {
  fixture: "prisma-express",
  valid: [
    header + `export const f = (ctx: TenantContext, ids: string[]) => prisma.task.findMany({ where: { tenantId: ctx.tenantId, id: { in: ids } } });`,
    header + `export const f = (ctx: TenantContext) => prisma.task.findMany({ where: { OR: [{ tenantId: ctx.tenantId, done: true }, { tenantId: ctx.tenantId, title: "x" }] } });`,
    header + `export const f = (ids: string[]) => prisma.country.findMany({ where: { code: { in: ids } } });`,
  ],
  invalid: [
    { code: inList, errors: [{ messageId: "crossTenant", ...positionOf(inList, "prisma.task.findMany") }] },
    { code: negated, errors: [{ messageId: "crossTenant", ...positionOf(negated, "prisma.project.count") }] },
    { code: eitherTenant, errors: [{ messageId: "crossTenant", ...positionOf(eitherTenant, "prisma.task.deleteMany") }] },
  ],
} satisfies OrmCases<"crossTenant">;
