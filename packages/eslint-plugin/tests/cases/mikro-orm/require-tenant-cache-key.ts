import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = [
  `import type { EntityManager } from "@mikro-orm/postgresql";`,
  `import { Customer } from "./entities/customer.entity.js";`,
  `import type { TenantContext } from "./tenancy/context.js";`,
  ``,
].join("\n");

const c = (body: string) => header + body;
// MikroORM's own result cache keeps the rows under the key it is given: without the tenant in it,
// every tenant's request reads the first one's rows.
const sharedKey = c(`export const f = (em: EntityManager, ctx: TenantContext) => em.find(Customer, { tenantId: ctx.tenantId }, { cache: ["customers:all", 60_000] });`);

export default {
  fixture: "mikroorm-trpc",
  valid: [
    c("export const f = (em: EntityManager, ctx: TenantContext) => em.find(Customer, { tenantId: ctx.tenantId }, { cache: [`customers:${ctx.tenantId}`, 60_000] });"),
    // Without a key, MikroORM derives one from the query, which holds the tenant filter.
    c(`export const f = (em: EntityManager, ctx: TenantContext) => em.find(Customer, { tenantId: ctx.tenantId }, { cache: 60_000 });`),
  ],
  invalid: [{ code: sharedKey, errors: [{ messageId: "cacheKeyWithoutTenant", ...positionOf(sharedKey, "em.find(") }] }],
} satisfies OrmCases<"cacheKeyWithoutTenant">;
