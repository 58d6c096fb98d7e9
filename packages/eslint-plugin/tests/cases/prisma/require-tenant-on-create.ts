import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import { prisma } from "./db.js";\nimport type { TenantContext } from "./tenancy/context.js";\n`;
const undefinedKey = header + `export const f = () => prisma.task.create({ data: { tenantId: undefined as unknown as string, projectId: "p", title: "t" } });`;

export default {
  fixture: "prisma-express",
  valid: [
    header + `export const f = (ctx: TenantContext) => prisma.task.create({ data: { tenantId: ctx.tenantId, projectId: "p", title: "t" } });`,
    header + `export const f = (ctx: TenantContext) => prisma.task.create({ data: { title: "t", tenant: { connect: { id: ctx.tenantId } }, project: { connect: { id: "p" } } } });`,
    header + `export const f = (ctx: TenantContext, rows: { projectId: string; title: string }[]) => prisma.task.createMany({ data: rows.map((r) => ({ ...r, tenantId: ctx.tenantId })) });`,
    header + `export const f = () => prisma.country.create({ data: { code: "NL", name: "Netherlands" } });`,
  ],
  invalid: [{ code: undefinedKey, errors: [{ messageId: "missingTenantOnCreate", ...positionOf(undefinedKey, "prisma.task.create") }] }],
} satisfies OrmCases<"missingTenantOnCreate">;
