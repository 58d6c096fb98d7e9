import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = [
  `import type { EntityManager } from "@mikro-orm/postgresql";`,
  `import { Customer } from "./entities/customer.entity.js";`,
  `import { Ticket } from "./entities/ticket.entity.js";`,
  `import type { TenantContext } from "./tenancy/context.js";`,
  ``,
].join("\n");

const c = (body: string) => header + body;
const inList = c(`export const f = (em: EntityManager, ids: string[]) => em.find(Customer, { tenantId: { $in: ids } });`);
const notIn = c(`export const f = (em: EntityManager, ctx: TenantContext) => em.getRepository(Customer).count({ tenantId: { $nin: [ctx.tenantId] } });`);
const either = c(`export const f = (em: EntityManager, a: TenantContext, b: TenantContext) => em.nativeDelete(Customer, { $or: [{ tenantId: a.tenantId }, { tenantId: b.tenantId }] });`);
const relationIn = c(`export const f = (em: EntityManager, ids: string[]) => em.find(Ticket, { tenant: { $in: ids } }, { filters: false });`);
const qbIn = c(`export const f = (em: EntityManager, ids: string[]) => em.createQueryBuilder(Customer).select("*").where({ tenantId: { $in: ids } }).getResult();`);

export default {
  fixture: "mikroorm-trpc",
  valid: [
    c(`export const f = (em: EntityManager, ctx: TenantContext, ids: string[]) => em.find(Customer, { tenantId: ctx.tenantId, id: { $in: ids } });`),
    c(`export const f = (em: EntityManager, ctx: TenantContext) => em.find(Customer, { $or: [{ tenantId: ctx.tenantId, name: "a" }, { tenantId: ctx.tenantId, name: "b" }] });`),
    c(`export const f = (em: EntityManager, ctx: TenantContext) => em.find(Customer, { tenantId: { $eq: ctx.tenantId } });`),
    // The default tenant filter is ANDed with the criteria: the query stays inside the current tenant.
    c(`export const f = (em: EntityManager, ids: string[]) => em.find(Ticket, { tenant: { $in: ids } });`),
  ],
  invalid: [
    { code: inList, errors: [{ messageId: "crossTenant", ...positionOf(inList, "em.find(") }] },
    { code: notIn, errors: [{ messageId: "crossTenant", ...positionOf(notIn, "em.getRepository") }] },
    { code: either, errors: [{ messageId: "crossTenant", ...positionOf(either, "em.nativeDelete") }] },
    { code: relationIn, errors: [{ messageId: "crossTenant", ...positionOf(relationIn, "em.find(") }] },
    { code: qbIn, errors: [{ messageId: "crossTenant", ...positionOf(qbIn, "em.createQueryBuilder") }] },
  ],
} satisfies OrmCases<"crossTenant">;
