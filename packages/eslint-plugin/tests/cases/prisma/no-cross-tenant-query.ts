import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import { prisma } from "./db.js";\nimport type { TenantContext } from "./tenancy/context.js";\n`;
const inList = header + `export const f = (ids: string[]) => prisma.task.findMany({ where: { tenantId: { in: ids } } });`;
const negated = header + `export const f = (ctx: TenantContext) => prisma.project.count({ where: { tenantId: { not: ctx.tenantId } } });`;
const mappedTenants = header + `export const f = (ids: string[]) => prisma.task.groupBy({ by: ["tenantId"], where: { OR: ids.map((id) => ({ tenantId: id })) }, _count: { _all: true } });`;
const eitherTenant = header + `export const f = (a: string, b: string) => prisma.task.deleteMany({ where: { OR: [{ tenantId: a }, { tenantId: b }] } });`;

export default {
  fixture: "prisma-express",
  valid: [
    header + `export const f = (ctx: TenantContext, ids: string[]) => prisma.task.findMany({ where: { tenantId: ctx.tenantId, id: { in: ids } } });`,
    header + `export const f = (ctx: TenantContext) => prisma.task.findMany({ where: { OR: [{ tenantId: ctx.tenantId, done: true }, { tenantId: ctx.tenantId, title: "x" }] } });`,
    header + `export const f = (ids: string[]) => prisma.country.findMany({ where: { code: { in: ids } } });`,
    // Every mapped alternative pins the same tenant.
    header + `export const f = (ctx: TenantContext, titles: string[]) => prisma.task.findMany({ where: { OR: titles.map((title) => ({ tenantId: ctx.tenantId, title })) } });`,
  ],
  invalid: [
    { code: inList, errors: [{ messageId: "crossTenant", ...positionOf(inList, "prisma.task.findMany") }] },
    { code: negated, errors: [{ messageId: "crossTenant", ...positionOf(negated, "prisma.project.count") }] },
    { code: mappedTenants, errors: [{ messageId: "crossTenant", ...positionOf(mappedTenants, "prisma.task.groupBy") }] },
    { code: eitherTenant, errors: [{ messageId: "crossTenant", ...positionOf(eitherTenant, "prisma.task.deleteMany") }] },
  ],
} satisfies OrmCases<"crossTenant">;
