import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = [
  `import type { EntityManager } from "@mikro-orm/postgresql";`,
  `import { Customer } from "./entities/customer.entity.js";`,
  `import { Plan } from "./entities/plan.entity.js";`,
  `import { tenantScope, type TenantContext } from "./tenancy/context.js";`,
  ``,
].join("\n");

const c = (body: string) => header + body;
const create = c(`export const f = (em: EntityManager) => em.create(Customer, { name: "n", email: "e" });`);
const repoCreate = c(`export const f = (em: EntityManager) => em.getRepository(Customer).create({ name: "n", email: "e" });`);
const insert = c(`export const f = (em: EntityManager, ctx: TenantContext) => em.insertMany(Customer, [{ tenantId: ctx.tenantId, name: "a", email: "a" }, { name: "b", email: "b" }]);`);
const upsert = c(`export const f = (em: EntityManager, id: string) => em.upsert(Customer, { id, name: "n", email: "e" });`);
const upsertTicket = c(`import { Ticket } from "./entities/ticket.entity.js";\nexport const f = (em: EntityManager, id: string) => em.upsert(Ticket, { id, subject: "s" });`);
const qbInsert = c(`export const f = (em: EntityManager) => em.qb(Customer).insert({ name: "n", email: "e" }).execute();`);

export default {
  fixture: "mikroorm-trpc",
  valid: [
    c(`export const f = (em: EntityManager, ctx: TenantContext) => em.create(Customer, { tenantId: ctx.tenantId, name: "n", email: "e" });`),
    c(`export const f = (em: EntityManager, ctx: TenantContext) => em.insert(Customer, { ...tenantScope(ctx), name: "n", email: "e" });`),
    c(`export const f = (em: EntityManager, ctx: TenantContext, rows: { name: string; email: string }[]) => em.getRepository(Customer).insertMany(rows.map((r) => ({ ...r, tenantId: ctx.tenantId })));`),
    c(`export const f = (em: EntityManager) => em.create(Plan, { id: "free", name: "Free", priceCents: 0 });`),
  ],
  invalid: [
    { code: create, errors: [{ messageId: "missingTenantOnCreate", ...positionOf(create, "em.create(") }] },
    { code: repoCreate, errors: [{ messageId: "missingTenantOnCreate", ...positionOf(repoCreate, "em.getRepository") }] },
    { code: insert, errors: [{ messageId: "missingTenantOnCreate", ...positionOf(insert, "em.insertMany") }] },
    { code: upsert, errors: [{ messageId: "missingTenantOnCreate", ...positionOf(upsert, "em.upsert(") }] },
    { code: upsertTicket, errors: [{ messageId: "missingTenantOnCreate", ...positionOf(upsertTicket, "em.upsert(") }] },
    { code: qbInsert, errors: [{ messageId: "missingTenantOnCreate", ...positionOf(qbInsert, "em.qb(") }] },
  ],
} satisfies OrmCases<"missingTenantOnCreate">;
