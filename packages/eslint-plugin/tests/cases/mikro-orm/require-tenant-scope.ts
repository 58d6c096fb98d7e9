import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = [
  `import { defineEntity, Entity, Filter, PrimaryKey, Property } from "@mikro-orm/core";`,
  `import type { EntityManager, FindOptions } from "@mikro-orm/postgresql";`,
  `import { Customer } from "./entities/customer.entity.js";`,
  `import { Plan } from "./entities/plan.entity.js";`,
  `import { Ticket } from "./entities/ticket.entity.js";`,
  `import { tenantScope, type TenantContext } from "./tenancy/context.js";`,
  ``,
].join("\n");

/** A case-local entity whose tenant filter is declared on an abstract base class. */
const relatedUnscoped = header + `export const f = (em: EntityManager, email: string) => em.find(Ticket, { customer: { email } }, { filters: false });`;
const removeByReference = header + `export const f = (em: EntityManager, id: number) => em.remove(em.getReference(Customer, id));`;
const inheritedFilter = `
@Filter({ name: "tenant", cond: (args) => ({ tenantId: args.tenantId }), default: true })
abstract class TenantOwned {
  @Property() tenantId!: string;
}
@Entity() class Note extends TenantOwned {
  @PrimaryKey() id!: string;
  @Property() body!: string;
}
`;

/** Filters that do not scope by default: off unless enabled, or not about the tenant. */
const optInFilter = `
@Entity()
@Filter({ name: "tenant", cond: (args) => ({ tenantId: args.tenantId }) })
@Filter({ name: "live", cond: { deletedAt: null }, default: true })
class Draft {
  @PrimaryKey() id!: string;
  @Property() tenantId!: string;
  @Property({ nullable: true }) deletedAt?: Date;
}
`;

const memoSchema = `
const Memo = defineEntity({
  name: "Memo",
  properties: (p) => ({ id: p.string().primary(), tenantId: p.string(), text: p.string() }),
  filters: { tenant: { name: "tenant", cond: (args) => ({ tenantId: args.tenantId }), default: true } },
});
`;

const c = (body: string) => header + body;
const noTenant = c(`export const f = (em: EntityManager, name: string) => em.find(Customer, { name });`);
const byId = c(`export const f = (em: EntityManager, id: string) => em.findOne(Customer, id);`);
const byIds = c(`export const f = (em: EntityManager, ids: string[]) => em.find(Customer, ids);`);
const repoFind = c(`export const f = (em: EntityManager, email: string) => em.getRepository(Customer).findOne({ email });`);
const countAll = c(`export const f = (em: EntityManager) => em.fork().count(Customer);`);
const findAll = c(`export const f = (em: EntityManager) => em.findAll(Customer, { where: { name: "x" } });`);
const maybe = c(`export const f = (em: EntityManager, ctx?: TenantContext) => em.find(Customer, { tenantId: ctx?.tenantId });`);
const filtersOff = c(`export const f = (em: EntityManager) => em.find(Ticket, {}, { filters: false });`);
const namedOff = c(`export const f = (em: EntityManager) => em.count(Ticket, { status: "open" }, { filters: { tenant: false } });`);
const constOff = c(`const everyTenant = { filters: false };\nexport const f = (em: EntityManager) => em.find(Ticket, {}, everyTenant);`);
const inheritedOff = c(`${inheritedFilter}export const f = (em: EntityManager) => em.find(Note, {}, { filters: false });`);
const memoOff = c(`${memoSchema}export const f = (em: EntityManager) => em.find(Memo, { text: "x" }, { filters: false });`);
const optIn = c(`${optInFilter}export const f = (em: EntityManager) => em.find(Draft, {});`);
const upsert = c(`export const f = (em: EntityManager, id: string) => em.upsert(Ticket, { id, subject: "s" });`);
const qb = c(`export const f = (em: EntityManager) => em.createQueryBuilder(Customer, "c").select("*").where({ name: "x" }).getResult();`);
const qbFiltered = c(`export const f = async (em: EntityManager) => await em.qb(Ticket).select("*");`);
const inTransaction = c(`export const f = (em: EntityManager, id: string) => em.transactional((tx) => tx.nativeDelete(Customer, { id }));`);

// A generic base repository (`extends EntityRepository<T>`): its reads are of whichever entity a subclass binds.
const tenantRepository =
  `import { EntityRepository, type ObjectQuery } from "@mikro-orm/core";\n` +
  `abstract class TenantRepository<T extends { id: string; tenantId?: string }> extends EntityRepository<T> {\n` +
  `  findInTenant(ctx: TenantContext, id: string) {\n    return this.findOne({ id, tenantId: ctx.tenantId } as ObjectQuery<T>);\n  }\n`;
const genericById = header + tenantRepository + `  findById(id: string) {\n    return this.findOne({ id } as ObjectQuery<T>);\n  }\n}`;

export default {
  fixture: "mikroorm-trpc",
  valid: [
    // The key of a verified row inside `$and` criteria.
    c(`export async function f(em: EntityManager, ctx: TenantContext, id: string) {\n  const customer = await em.findOneOrFail(Customer, { id, tenantId: ctx.tenantId });\n  return em.nativeUpdate(Customer, { $and: [{ id: customer.id }, { name: "old" }] }, { name: "new" });\n}`),
    // A row the base loaded in scope is the tenant's: renaming it by its id is scoped.
    header +
      tenantRepository +
      `}\nexport class Customers extends TenantRepository<Customer> {\n  async rename(ctx: TenantContext, id: string, name: string) {\n    const customer = await this.findInTenant(ctx, id);\n    if (!customer) return;\n    await this.nativeUpdate({ id: customer.id }, { name });\n  }\n}`,
    // Tickets of one tenant's customers, through the to-one relation.
    header + `export const f = (em: EntityManager, ctx: TenantContext) => em.find(Ticket, { customer: { tenantId: ctx.tenantId } }, { filters: false });`,
    // A ticket read with the tenant filter off, then checked through its tenant relation's id.
    header +
      `export async function f(em: EntityManager, ctx: TenantContext, id: number) {\n  const ticket = await em.findOneOrFail(Ticket, id, { filters: false });\n  if (ticket.tenant.id !== ctx.tenantId) throw new Error("not found");\n  await em.nativeUpdate(Ticket, { id: ticket.id }, { subject: "x" }, { filters: false });\n}`,
    // Rows that reference a verified row by the row itself.
    header +
      `export async function f(em: EntityManager, ctx: TenantContext, id: number) {\n  const customer = await em.findOneOrFail(Customer, { id, ...tenantScope(ctx) });\n  return em.find(Ticket, { customer }, { filters: false });\n}`,
    c(`export const f = (em: EntityManager, ctx: TenantContext) => em.find(Customer, { tenantId: ctx.tenantId });`),
    c(`export const f = (em: EntityManager, ctx: TenantContext, email: string) => em.findOne(Customer, { ...tenantScope(ctx), email });`),
    c(`export const f = (em: EntityManager, ctx: TenantContext) => em.findAll(Customer, { where: { $and: [{ tenantId: ctx.tenantId }] } });`),
    c(`export const f = (em: EntityManager, ctx: TenantContext) => em.getRepository(Customer).findByEmail(ctx, "a@b.c");`),
    c(`export const f = (em: EntityManager, ctx: TenantContext) => em.fork().getRepository(Customer).count({ tenantId: ctx.tenantId });`),
    c(`export async function f(em: EntityManager, ctx: TenantContext, id: string) {\n  const customer = await em.findOneOrFail(Customer, id);\n  if (customer.tenantId !== ctx.tenantId) throw new Error("not found");\n  return customer;\n}`),
    // The default tenant filter scopes every read, update and delete of Ticket.
    c(`export const f = (em: EntityManager, id: string) => em.findOne(Ticket, id);`),
    c(`export const f = (em: EntityManager) => em.nativeDelete(Ticket, { status: "spam" }, { filters: ["active"] });`),
    c(`export const f = (em: EntityManager, tenantId: string) => em.find(Ticket, {}, { filters: { tenant: { tenantId } } });`),
    c(`export const f = (em: EntityManager, ctx: TenantContext) => em.find(Ticket, { tenant: { id: ctx.tenantId } }, { filters: false });`),
    c(`${inheritedFilter}export const f = (em: EntityManager) => em.find(Note, { body: { $like: "%x%" } });`),
    c(`${memoSchema}export const f = (em: EntityManager) => em.find(Memo, { text: "x" });`),
    // Options the analysis cannot read make no claim either way.
    c(`export const f = (em: EntityManager, options: FindOptions<Ticket>) => em.find(Ticket, {}, options);`),
    c(`export const f = (em: EntityManager, ctx: TenantContext) => em.createQueryBuilder(Customer, "c").where({ tenantId: ctx.tenantId }).getResult();`),
    c(`export const f = (em: EntityManager) => em.find(Plan, {});`),
    c(`class EntityManager2 { find(_entity: unknown, _where: object) { return []; } }\nexport const f = (em: EntityManager2) => em.find(Customer, { name: "x" });`),
  ],
  invalid: [
    { code: upsert, errors: [{ messageId: "missingTenantScope", ...positionOf(upsert, "em.upsert(") }] },
    { code: genericById, errors: [{ messageId: "missingTenantScope", ...positionOf(genericById, "this.findOne({ id }") }] },
    { code: relatedUnscoped, errors: [{ messageId: "missingTenantScope", ...positionOf(relatedUnscoped, "em.find(") }] },
    {
      // A reference is a row never loaded: removing it deletes by primary key, whoever's row it is.
      code: removeByReference,
      errors: [{ messageId: "missingTenantScope", ...positionOf(removeByReference, "em.remove(") }],
    },
    { code: noTenant, errors: [{ messageId: "missingTenantScope", ...positionOf(noTenant, "em.find(") }] },
    { code: byId, errors: [{ messageId: "missingTenantScope", ...positionOf(byId, "em.findOne(") }] },
    { code: byIds, errors: [{ messageId: "missingTenantScope", ...positionOf(byIds, "em.find(") }] },
    { code: repoFind, errors: [{ messageId: "missingTenantScope", ...positionOf(repoFind, "em.getRepository") }] },
    { code: countAll, errors: [{ messageId: "missingTenantScope", ...positionOf(countAll, "em.fork") }] },
    { code: findAll, errors: [{ messageId: "missingTenantScope", ...positionOf(findAll, "em.findAll") }] },
    { code: maybe, errors: [{ messageId: "tenantMaybeUndefined", ...positionOf(maybe, "em.find(") }] },
    { code: filtersOff, errors: [{ messageId: "missingTenantScope", ...positionOf(filtersOff, "em.find(") }] },
    { code: namedOff, errors: [{ messageId: "missingTenantScope", ...positionOf(namedOff, "em.count(") }] },
    { code: constOff, errors: [{ messageId: "missingTenantScope", ...positionOf(constOff, "em.find(") }] },
    { code: inheritedOff, errors: [{ messageId: "missingTenantScope", ...positionOf(inheritedOff, "em.find(") }] },
    { code: memoOff, errors: [{ messageId: "missingTenantScope", ...positionOf(memoOff, "em.find(") }] },
    { code: optIn, errors: [{ messageId: "missingTenantScope", ...positionOf(optIn, "em.find(") }] },
    { code: qb, errors: [{ messageId: "missingTenantScope", ...positionOf(qb, "em.createQueryBuilder") }] },
    { code: qbFiltered, errors: [{ messageId: "missingTenantScope", ...positionOf(qbFiltered, "em.qb(") }] },
    { code: inTransaction, errors: [{ messageId: "missingTenantScope", ...positionOf(inTransaction, "tx.nativeDelete") }] },
  ],
} satisfies OrmCases<"missingTenantScope" | "tenantMaybeUndefined">;
