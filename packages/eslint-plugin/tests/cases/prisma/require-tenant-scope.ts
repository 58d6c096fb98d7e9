import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import { prisma } from "./db.js";\nimport { tenantScope, type TenantContext } from "./tenancy/context.js";\n`;
const unprovenParent =
  header +
  `export async function f(id: string) {\n  const project = await prisma.project.findUnique({ where: { id } });\n  if (!project) throw new Error("not found");\n  await prisma.task.deleteMany({ where: { projectId: project.id } });\n}`;
const unscopedLoop =
  header +
  `export async function f() {\n  for (const task of await prisma.task.findMany({ where: { done: false } })) {\n    await prisma.task.update({ where: { id: task.id }, data: { done: true } });\n  }\n}`;
const withPrisma = header + `import { Prisma } from "./generated/prisma/client.js";\n`;
const conditionalWrite =
  withPrisma +
  `export function f(ctx?: TenantContext) {\n  const where: Prisma.TaskWhereInput = { done: false };\n  if (ctx) where.tenantId = ctx.tenantId;\n  return prisma.task.count({ where });\n}`;
const relationIsNot = header + `export const f = (ctx: TenantContext) => prisma.task.findMany({ where: { project: { isNot: { tenantId: ctx.tenantId } } } });`;
const toManyRelation = header + `export const f = (ctx: TenantContext) => prisma.project.findMany({ where: { tasks: { some: { tenantId: ctx.tenantId } } } });`;

// A scoped read that may find nothing proves nothing about the id: the update can still reach another tenant's row.
const unconfirmedId =
  header +
  `export async function f(ctx: TenantContext, id: string) {\n  const task = await prisma.task.findFirst({ where: { id, tenantId: ctx.tenantId } });\n  await prisma.task.update({ where: { id }, data: { done: true } });\n  return task;\n}`;
const otherModelsRow =
  header +
  `export async function f(ctx: TenantContext, id: string) {\n  const project = await prisma.project.findFirst({ where: { id, tenantId: ctx.tenantId } });\n  if (!project) return;\n  await prisma.task.delete({ where: { id: project.id } });\n}`;

export default {
  fixture: "prisma-express",
  valid: [
    // Each row of a list a helper reads in scope is the tenant's: updating it by id stays in scope.
    header +
      `async function openTasks(ctx: TenantContext) {\n  return prisma.task.findMany({ where: { tenantId: ctx.tenantId, done: false } });\n}\n` +
      `export async function f(ctx: TenantContext) {\n  for (const task of await openTasks(ctx)) {\n    await prisma.task.update({ where: { id: task.id }, data: { done: true } });\n  }\n}`,
    // The tasks of a project proven to be the tenant's are the tenant's.
    header +
      `export async function f(ctx: TenantContext, id: string) {\n  const project = await prisma.project.findFirst({ where: { id, tenantId: ctx.tenantId } });\n  if (!project) throw new Error("not found");\n  await prisma.task.deleteMany({ where: { projectId: project.id } });\n}`,
    header + `export const f = (ctx: TenantContext) => prisma.task.findMany({ where: { tenantId: ctx.tenantId } });`,
    header + `export const f = (ctx: TenantContext, id: string) => { const where = { id, tenantId: ctx.tenantId }; return prisma.task.findFirst({ where }); };`,
    header + `export const f = (ctx: TenantContext, title: string) => prisma.task.findFirst({ where: { ...tenantScope(ctx), title } });`,
    header + `export const f = (ctx: TenantContext, id: string) => prisma.task.findFirst({ where: { id, tenant: { id: ctx.tenantId } } });`,
    header +
      `export async function f(ctx: TenantContext, id: string) {\n  const task = await prisma.task.findUnique({ where: { id } });\n  if (!task || task.tenantId !== ctx.tenantId) throw new Error("not found");\n  return task;\n}`,
    header + `export const f = () => prisma.country.findMany();`,
    // A compound unique input pins the tenant by the key inside it.
    header + `export const f = (ctx: TenantContext, name: string) => prisma.project.findUnique({ where: { tenantId_name: { tenantId: ctx.tenantId, name } } });`,
    header +
      `export const f = (ctx: TenantContext, name: string) => prisma.project.upsert({ where: { tenantId_name: { tenantId: ctx.tenantId, name } }, create: { tenantId: ctx.tenantId, name }, update: {} });`,
    // A filter through a to-one relation to a tenant-scoped parent, plain and with `is`.
    header + `export const f = (ctx: TenantContext, projectId: string) => prisma.task.findMany({ where: { projectId, project: { tenantId: ctx.tenantId } } });`,
    header + `export const f = (ctx: TenantContext) => prisma.task.findMany({ where: { project: { is: { tenantId: ctx.tenantId } } } });`,
    // An unconditional member write of the key before the query.
    withPrisma +
      `export function f(ctx: TenantContext) {\n  const where: Prisma.TaskWhereInput = { done: false };\n  where.tenantId = ctx.tenantId;\n  return prisma.task.count({ where });\n}`,
    // A client value that may be missing is no-client-tenant-id's finding, not a second one here.
    header + `import type { Request } from "express";\nexport const f = (req: Request) => prisma.task.findMany({ where: { tenantId: req.header("x-tenant") } });`,
    header + `export const f = (ctx: TenantContext, titles: string[]) => prisma.task.findMany({ where: { OR: titles.map((title) => ({ tenantId: ctx.tenantId, title })) } });`,
    header + `const m = new Map<string, string>();\nexport const f = (id: string) => m.delete(id);`,
    // Writes by the id of a row already proven to be the tenant's: loaded in scope by a helper, or loaded and checked.
    header +
      `const find = (ctx: TenantContext, id: string) => prisma.task.findFirst({ where: { id, tenantId: ctx.tenantId } });\n` +
      `export async function f(ctx: TenantContext, id: string) {\n  const task = await find(ctx, id);\n  if (!task) return null;\n  return prisma.task.update({ where: { id: task.id }, data: { done: true } });\n}`,
    header +
      `export async function f(ctx: TenantContext, id: string) {\n  const task = await prisma.task.findUnique({ where: { id } });\n  if (!task || task.tenantId !== ctx.tenantId) throw new Error("not found");\n  await prisma.task.delete({ where: { id: task.id } });\n}`,
    header +
      `export async function f(ctx: TenantContext, id: string) {\n  const task = await prisma.task.findFirst({ where: { id, tenantId: ctx.tenantId } });\n  if (!task) return null;\n  return prisma.task.update({ where: { id }, data: { done: true } });\n}`,
    // The id a checked row was loaded by names that row.
    header +
      `export async function f(ctx: TenantContext, id: string) {\n  const task = await prisma.task.findUnique({ where: { id }, select: { id: true, tenantId: true } });\n  if (!task || task.tenantId !== ctx.tenantId) throw new Error("not found");\n  await prisma.task.update({ where: { id }, data: { done: true } });\n}`,
  ],
  invalid: [
    {
      // The rows of a list read without scope are anyone's.
      code: unscopedLoop,
      errors: [
        { messageId: "missingTenantScope", ...positionOf(unscopedLoop, "prisma.task.findMany") },
        { messageId: "missingTenantScope", ...positionOf(unscopedLoop, "prisma.task.update") },
      ],
    },
    {
      // A project found by id alone proves nothing about its tasks' tenant.
      code: unprovenParent,
      errors: [
        { messageId: "missingTenantScope", ...positionOf(unprovenParent, "prisma.project.findUnique") },
        { messageId: "missingTenantScope", ...positionOf(unprovenParent, "prisma.task.deleteMany") },
      ],
    },
    {
      // The row was loaded without a tenant filter and never checked.
      code: header + `export async function f(id: string) {\n  const task = await prisma.task.findUnique({ where: { id } });\n  if (!task) return;\n  await prisma.task.delete({ where: { id: task.id } });\n}`,
      errors: [
        { messageId: "missingTenantScope", line: 4, column: 22 },
        { messageId: "missingTenantScope", line: 6, column: 9 },
      ],
    },
    {
      code: unconfirmedId,
      errors: [
        {
          messageId: "missingTenantScope",
          line: 5,
          column: 9,
          suggestions: [{ messageId: "addTenantFilter", data: { value: "ctx.tenantId" }, output: unconfirmedId.replace("update({ where: { id }", "update({ where: { tenantId: ctx.tenantId, id }") }],
        },
      ],
    },
    {
      // A row of another model proves nothing about this one.
      code: otherModelsRow,
      errors: [
        {
          messageId: "missingTenantScope",
          line: 6,
          column: 9,
          suggestions: [{ messageId: "addTenantFilter", data: { value: "ctx.tenantId" }, output: otherModelsRow.replace("where: { id: project.id }", "where: { tenantId: ctx.tenantId, id: project.id }") }],
        },
      ],
    },
    { code: conditionalWrite, errors: [{ messageId: "missingTenantScope", ...positionOf(conditionalWrite, "prisma.task.count") }] },
    {
      code: relationIsNot,
      errors: [
        {
          messageId: "missingTenantScope",
          ...positionOf(relationIsNot, "prisma.task.findMany"),
          suggestions: [{ messageId: "addTenantFilter", data: { value: "ctx.tenantId" }, output: relationIsNot.replace("where: { ", "where: { tenantId: ctx.tenantId, ") }],
        },
      ],
    },
    {
      code: toManyRelation,
      errors: [
        {
          messageId: "missingTenantScope",
          ...positionOf(toManyRelation, "prisma.project.findMany"),
          suggestions: [{ messageId: "addTenantFilter", data: { value: "ctx.tenantId" }, output: toManyRelation.replace("where: { ", "where: { tenantId: ctx.tenantId, ") }],
        },
      ],
    },
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
