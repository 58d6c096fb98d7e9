import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import { prisma } from "./db.js";\nimport type { TenantContext } from "./tenancy/context.js";\n`;
const update = header + `export const f = (ctx: TenantContext, id: string, t: string) => prisma.task.update({ where: { id, tenantId: ctx.tenantId }, data: { tenantId: t } });`;
const relation = header + `export const f = (ctx: TenantContext, id: string, t: string) => prisma.task.updateMany({ where: { id, tenantId: ctx.tenantId }, data: { tenant: { connect: { id: t } } } as never });`;
const upsert =
  header +
  `export const f = (ctx: TenantContext, id: string, t: string) => prisma.project.upsert({ where: { id }, create: { tenantId: ctx.tenantId, name: "p" }, update: { tenantId: t } });`;

const loaded =
  header +
  `export async function f(ctx: TenantContext, id: string, t: string) {\n  const task = await prisma.task.findFirst({ where: { id, tenantId: ctx.tenantId } });\n  if (task) task.tenantId = t;\n  return task;\n}`;

export default {
  fixture: "prisma-express",
  valid: [
    header + `export const f = (ctx: TenantContext, id: string) => prisma.task.updateMany({ where: { id, tenantId: ctx.tenantId }, data: { done: true } });`,
    header + `export const f = (ctx: TenantContext) => prisma.task.create({ data: { tenantId: ctx.tenantId, projectId: "p", title: "t" } });`,
    header + `export const f = (ctx: TenantContext, id: string) => prisma.project.upsert({ where: { id }, create: { tenantId: ctx.tenantId, name: "p" }, update: { name: "p" } });`,
    header + `export function f(ctx: TenantContext) {\n  const draft = { tenantId: "", title: "t" };\n  draft.tenantId = ctx.tenantId;\n  return draft;\n}`,
  ],
  invalid: [
    { code: update, errors: [{ messageId: "tenantKeyWritten", ...positionOf(update, "prisma.task.update") }] },
    { code: relation, errors: [{ messageId: "tenantKeyWritten", ...positionOf(relation, "prisma.task.updateMany") }] },
    { code: loaded, errors: [{ messageId: "loadedRowTenantKeyWritten", ...positionOf(loaded, "task.tenantId = t") }] },
    { code: upsert, errors: [{ messageId: "tenantKeyWritten", ...positionOf(upsert, "prisma.project.upsert") }] },
  ],
} satisfies OrmCases<"tenantKeyWritten" | "loadedRowTenantKeyWritten">;
