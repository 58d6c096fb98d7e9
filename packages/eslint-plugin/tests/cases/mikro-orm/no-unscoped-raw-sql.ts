import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = [
  `import { Entity, ManyToOne, PrimaryKey, Property } from "@mikro-orm/core";`,
  `import type { EntityManager } from "@mikro-orm/postgresql";`,
  `import { Tenant } from "./entities/tenant.entity.js";`,
  `import type { TenantContext } from "./tenancy/context.js";`,
  ``,
].join("\n");

/** Default naming: table `support_note`, relation column `tenant_id`. */
const supportNote = `
@Entity()
export class SupportNote {
  @PrimaryKey() id!: string;
  @ManyToOne(() => Tenant) tenant!: Tenant;
  @Property() body!: string;
}
`;

const c = (body: string) => header + body;
const execute = c(`export const f = (em: EntityManager) => em.execute("SELECT id FROM tickets WHERE status = 'open'");`);
const connection = c(`export const f = (em: EntityManager, id: string) => em.getConnection().execute(\`UPDATE customer SET name = 'x' WHERE id = '\${id}'\`);`);
const knexRaw = c(`export const f = (em: EntityManager) => em.getKnex().raw("SELECT count(*) FROM audit_events");`);
const defaultNames = c(`${supportNote}export const f = (em: EntityManager) => em.execute("SELECT body FROM support_note");`);
const fieldName = c(`export const f = (em: EntityManager, ctx: TenantContext) => em.execute("SELECT id FROM customer WHERE tenant_id = ?", [ctx.tenantId]);`);

export default {
  fixture: "mikroorm-trpc",
  valid: [
    c(`export const f = (em: EntityManager, ctx: TenantContext) => em.execute("SELECT id FROM tickets WHERE tenant_id = ?", [ctx.tenantId]);`),
    c(`export const f = (em: EntityManager, ctx: TenantContext) => em.getConnection().execute("SELECT id FROM customer WHERE owner_tenant_id = ?", [ctx.tenantId]);`),
    c(`${supportNote}export const f = (em: EntityManager, ctx: TenantContext) => em.execute("SELECT body FROM support_note WHERE tenant_id = ?", [ctx.tenantId]);`),
    c(`export const f = (em: EntityManager) => em.execute("SELECT name FROM plans");`),
    c(`export const f = (em: EntityManager) => em.qb(Tenant).select("*").execute();`),
    c(`interface Client { execute(sql: string): Promise<unknown> }\nexport const f = (client: Client) => client.execute("DELETE FROM tickets");`),
  ],
  invalid: [
    { code: execute, errors: [{ messageId: "unscopedRawSql", ...positionOf(execute, "em.execute") }] },
    { code: connection, errors: [{ messageId: "unscopedRawSql", ...positionOf(connection, "em.getConnection") }] },
    { code: knexRaw, errors: [{ messageId: "unscopedRawSql", ...positionOf(knexRaw, "em.getKnex") }] },
    { code: defaultNames, errors: [{ messageId: "unscopedRawSql", ...positionOf(defaultNames, "em.execute") }] },
    // The column is `owner_tenant_id` (`@Property({ fieldName })`), not the default `tenant_id`.
    { code: fieldName, errors: [{ messageId: "unscopedRawSql", ...positionOf(fieldName, "em.execute") }] },
  ],
} satisfies OrmCases<"unscopedRawSql">;
