import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = [
  `import type { EntityManager } from "@mikro-orm/postgresql";`,
  `import { Customer } from "./entities/customer.entity.js";`,
  `import { Ticket } from "./entities/ticket.entity.js";`,
  `import type { TenantContext } from "./tenancy/context.js";`,
  ``,
].join("\n");

const c = (body: string) => header + body;
const emUpdate = c(`export const f = (em: EntityManager, ctx: TenantContext, id: string, to: string) => em.nativeUpdate(Customer, { id, tenantId: ctx.tenantId }, { tenantId: to });`);
const repoUpdate = c(`export const f = (em: EntityManager, ctx: TenantContext, to: string) => em.getRepository(Customer).nativeUpdate({ tenantId: ctx.tenantId }, { name: "moved", tenantId: to });`);
const relation = c(`export const f = (em: EntityManager, id: string, to: string) => em.nativeUpdate(Ticket, { id }, { tenant: to });`);
const qbUpdate = c(`export const f = (em: EntityManager, ctx: TenantContext, to: string) => em.qb(Customer).update({ tenantId: to }).where({ tenantId: ctx.tenantId }).execute();`);
// Data merged into a loaded row moves it when the unit of work flushes.
const loaded = `  const row = await em.findOneOrFail(Customer, { id, tenantId: ctx.tenantId });\n`;
const emAssign = c(`export async function f(em: EntityManager, ctx: TenantContext, id: string, to: string) {\n${loaded}  em.assign(row, { tenantId: to });\n  await em.flush();\n}`);
const wrapAssign = c(`import { wrap } from "@mikro-orm/core";\nexport async function f(em: EntityManager, ctx: TenantContext, id: string, to: string) {\n${loaded}  wrap(row).assign({ tenantId: to });\n  await em.flush();\n}`);

export default {
  fixture: "mikroorm-trpc",
  valid: [
    c(`export const f = (em: EntityManager, ctx: TenantContext, id: string) => em.nativeUpdate(Customer, { id, tenantId: ctx.tenantId }, { name: "renamed" });`),
    c(`export const f = (em: EntityManager, ctx: TenantContext) => em.create(Customer, { tenantId: ctx.tenantId, name: "n", email: "e" });`),
    c(`export const f = (em: EntityManager, ctx: TenantContext, id: string) => em.upsert(Customer, { id, tenantId: ctx.tenantId, name: "n", email: "e" });`),
    c(`export async function f(em: EntityManager, ctx: TenantContext, id: string) {\n${loaded}  em.assign(row, { name: "renamed" });\n  await em.flush();\n}`),
  ],
  invalid: [
    { code: emUpdate, errors: [{ messageId: "tenantKeyWritten", ...positionOf(emUpdate, "em.nativeUpdate") }] },
    { code: repoUpdate, errors: [{ messageId: "tenantKeyWritten", ...positionOf(repoUpdate, "em.getRepository") }] },
    { code: relation, errors: [{ messageId: "tenantKeyWritten", ...positionOf(relation, "em.nativeUpdate") }] },
    { code: qbUpdate, errors: [{ messageId: "tenantKeyWritten", ...positionOf(qbUpdate, "em.qb(") }] },
    { code: emAssign, errors: [{ messageId: "loadedRowTenantKeyWritten", ...positionOf(emAssign, "em.assign(") }] },
    { code: wrapAssign, errors: [{ messageId: "loadedRowTenantKeyWritten", ...positionOf(wrapAssign, "wrap(row)") }] },
  ],
} satisfies OrmCases<"tenantKeyWritten" | "loadedRowTenantKeyWritten">;
