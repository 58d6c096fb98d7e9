import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import { prisma } from "./db.js";\nimport type { TenantContext } from "./tenancy/context.js";\n`;
const mapped = header + "export const f = () => prisma.$queryRaw`SELECT id FROM projects WHERE archived = true`;";
const unsafe = header + 'export const f = (id: string) => prisma.$executeRawUnsafe(`UPDATE "Task" SET done = true WHERE id = $1`, id);';
const withPrisma = header + `import { Prisma } from "./generated/prisma/client.js";\n`;
const otherFragment =
  withPrisma + 'export function f(projectId: string) {\n  const where = Prisma.sql`"projectId" = ${projectId}`;\n  return prisma.$queryRaw`SELECT id FROM "Task" WHERE ${where}`;\n}';
const joined = header + 'export const f = (ctx: TenantContext) => prisma.$queryRaw`SELECT t.id FROM "Task" t JOIN projects p ON p.id = t."projectId" WHERE t."tenantId" = ${ctx.tenantId}`;';

export default {
  fixture: "prisma-express",
  valid: [
    // Fragments joined with `Prisma.join(list, " AND ")` are part of the statement.
    withPrisma +
      'function inTenant(ctx: TenantContext) {\n  return Prisma.sql`t."tenantId" = ${ctx.tenantId}`;\n}\n' +
      'export function f(ctx: TenantContext, title: string) {\n  const where = Prisma.join([inTenant(ctx), Prisma.sql`t.title = ${title}`], " AND ");\n  return prisma.$queryRaw`SELECT t.id FROM "Task" t WHERE ${where}`;\n}',
    header + 'export const f = (ctx: TenantContext) => prisma.$queryRaw`SELECT id FROM "Task" WHERE "tenantId" = ${ctx.tenantId}`;',
    header + "export const f = (ctx: TenantContext) => prisma.$queryRaw`SELECT id FROM projects WHERE tenant_id = ${ctx.tenantId}`;",
    header + 'export const f = () => prisma.$queryRaw`SELECT code FROM "Country"`;',
    header + 'export const f = (ctx: TenantContext) => prisma.$executeRaw`INSERT INTO "Task" (id, "tenantId", "projectId", title) VALUES (${"x"}, ${ctx.tenantId}, ${"p"}, ${"t"})`;',
    // `Prisma.sql` fragments (from a helper, with `Prisma.raw` inside, or a const) are inlined.
    withPrisma +
      'function scope(ctx: TenantContext, alias = "t") {\n  return Prisma.sql`${Prisma.raw(`"${alias}"`)}."tenantId" = ${ctx.tenantId}`;\n}\nexport const f = (ctx: TenantContext) => prisma.$queryRaw`SELECT t.id FROM "Task" t WHERE ${scope(ctx)} AND t.done = false`;',
    withPrisma +
      'export function f(ctx: TenantContext) {\n  const where = Prisma.sql`"tenantId" = ${ctx.tenantId}`;\n  return prisma.$executeRaw`UPDATE "Task" SET done = true WHERE ${where}`;\n}',
  ],
  invalid: [
    { code: otherFragment, errors: [{ messageId: "unscopedRawSql", ...positionOf(otherFragment, "prisma.$queryRaw") }] },
    { code: mapped, errors: [{ messageId: "unscopedRawSql", ...positionOf(mapped, "prisma.$queryRaw") }] },
    { code: unsafe, errors: [{ messageId: "unscopedRawSql", ...positionOf(unsafe, "prisma.$executeRawUnsafe") }] },
    { code: joined, errors: [{ messageId: "unscopedRawSql", ...positionOf(joined, "prisma.$queryRaw") }] },
  ],
} satisfies OrmCases<"unscopedRawSql">;
