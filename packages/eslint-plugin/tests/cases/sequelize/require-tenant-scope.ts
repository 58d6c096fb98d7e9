import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import { Op, and, or } from "sequelize";\nimport { Currency, Invoice, Payment } from "./models/index.js";\nimport { tenantWhere, type TenantContext } from "./tenancy/context.js";\n`;

// The ids of rows listed across tenants.
const unscopedIds =
  header +
  `export async function f() {\n  const all = await Invoice.findAll({ where: { status: "open" } });\n  await Invoice.update({ status: "void" }, { where: { id: all.map((invoice) => invoice.id) } });\n}`;
const findAll = header + `export const f = () => Invoice.findAll({ where: { status: "open" } });`;
const noOptions = header + `export const f = () => Invoice.count();`;
const byPk = header + `export const f = (id: number) => Invoice.findByPk(id);`;
const maybe = header + `export const f = (ctx?: TenantContext) => Invoice.destroy({ where: { tenantId: ctx?.tenantId } });`;
const defined = header + `export const f = (invoiceId: number) => Payment.update({ amountCents: 0 }, { where: { invoiceId } });`;
const unscoped = header + `export const f = () => Invoice.unscoped().findAll({ where: { status: "void" } });`;
const findOrCreate = header + `export const f = (ctx: TenantContext) => Invoice.findOrCreate({ where: { customerId: 1 }, defaults: { tenantId: ctx.tenantId, amountCents: 0, dueOn: null } });`;

const upsert = header + `export const f = (id: number) => Invoice.upsert({ id, customerId: 1, amountCents: 0, dueOn: null } as never);`;
// A generic base repository over `ModelStatic<M>`: its reads are of whichever model a subclass binds.
const genericRepository =
  `import type { Model, ModelStatic } from "sequelize";\n` +
  `abstract class Owned<M extends Model & { id: number; tenantId: string }> {\n  constructor(protected readonly model: ModelStatic<M>) {}\n` +
  `  findInTenant(ctx: TenantContext, id: number) {\n    return this.model.findOne({ where: { id, tenantId: ctx.tenantId } as never });\n  }\n`;
const genericById = header + genericRepository + `  findById(id: number) {\n    return this.model.findByPk(id);\n  }\n}`;
// Options spread from a helper that returns them: the helper's `where` is the query's.
const optionsHelper = `function openInvoices() {\n  return { where: { status: "open" }, order: [["dueOn", "ASC"]] as [string, string][] };\n}\n`;
const spreadOptions = header + optionsHelper + `export const f = () => Invoice.findAll({ ...openInvoices(), limit: 20 });`;

export default {
  fixture: "sequelize-express",
  valid: [
    header + genericRepository + `}\nexport class Invoices extends Owned<Invoice> {\n  async void(ctx: TenantContext, id: number) {\n    const invoice = await this.findInTenant(ctx, id);\n    if (!invoice) return;\n    await Invoice.update({ status: "void" }, { where: { id: invoice.id } });\n  }\n}`,
    header + optionsHelper + `export const f = (ctx: TenantContext) => Invoice.findAll({ ...openInvoices(), where: { tenantId: ctx.tenantId } });`,
    // Rows listed in scope, updated by their ids.
    header +
      `export async function f(ctx: TenantContext) {\n  const due = await Invoice.findAll({ where: { tenantId: ctx.tenantId, status: "open" } });\n  await Invoice.update({ status: "void" }, { where: { id: due.map((invoice) => invoice.id) } });\n}`,
    header + `export const f = (ctx: TenantContext) => Invoice.findAll({ where: { tenantId: ctx.tenantId, status: "open" } });`,
    header + `export const f = (ctx: TenantContext) => Invoice.findAll({ where: { ...tenantWhere(ctx), dueOn: { [Op.lt]: new Date() } } });`,
    header + `export const f = (ctx: TenantContext) => Invoice.count({ where: { [Op.and]: [tenantWhere(ctx), { status: "paid" }] } });`,
    header + `export const f = (ctx: TenantContext) => Invoice.findAll({ where: and(tenantWhere(ctx), { status: "open" }) });`,
    header + `export const f = (ctx: TenantContext, id: number) => { const where = { id, tenantId: ctx.tenantId }; return Invoice.destroy({ where }); };`,
    header + `export const f = (ctx: TenantContext) => Payment.sum("amountCents", { where: { tenantId: ctx.tenantId } });`,
    header +
      `export async function f(ctx: TenantContext, id: number) {\n  const invoice = await Invoice.findByPk(id);\n  if (!invoice || invoice.tenantId !== ctx.tenantId) throw new Error("not found");\n  return invoice.update({ status: "void" });\n}`,
    // Options the analysis cannot see, scopes declared elsewhere and `or(...)` helpers: no claim.
    header + `export const f = (options: Parameters<typeof Invoice.findAll>[0]) => Invoice.findAll(options);`,
    header + `export const f = () => Invoice.scope("ofCurrentTenant").findAll();`,
    header + `export const f = (ctx: TenantContext) => Invoice.findAll({ where: or(tenantWhere(ctx), { status: "open" }) });`,
    header + `export const f = (ctx: TenantContext) => Invoice.findOrCreate({ where: { tenantId: ctx.tenantId, customerId: 1 }, defaults: { amountCents: 0, dueOn: null } });`,
    header + `export const f = (ctx: TenantContext, id: number) => Invoice.upsert({ id, tenantId: ctx.tenantId, customerId: 1, amountCents: 0, dueOn: null });`,
    header + `export const f = () => Currency.findAll();`,
    header + `export const f = (code: string) => Currency.destroy({ where: { code } });`,
    header + `const m = new Map<number, string>();\nexport const f = (id: number) => m.delete(id);`,
  ],
  invalid: [
    { code: upsert, errors: [{ messageId: "missingTenantScope", ...positionOf(upsert, "Invoice.upsert") }] },
    { code: genericById, errors: [{ messageId: "missingTenantScope", ...positionOf(genericById, "this.model.findByPk") }] },
    { code: spreadOptions, errors: [{ messageId: "missingTenantScope", ...positionOf(spreadOptions, "Invoice.findAll") }] },
    {
      code: unscopedIds,
      errors: [
        { messageId: "missingTenantScope", ...positionOf(unscopedIds, "Invoice.findAll") },
        { messageId: "missingTenantScope", ...positionOf(unscopedIds, "Invoice.update") },
      ],
    },
    { code: findAll, errors: [{ messageId: "missingTenantScope", ...positionOf(findAll, "Invoice.findAll") }] },
    { code: noOptions, errors: [{ messageId: "missingTenantScope", ...positionOf(noOptions, "Invoice.count") }] },
    { code: byPk, errors: [{ messageId: "missingTenantScope", ...positionOf(byPk, "Invoice.findByPk") }] },
    { code: maybe, errors: [{ messageId: "tenantMaybeUndefined", ...positionOf(maybe, "Invoice.destroy") }] },
    { code: defined, errors: [{ messageId: "missingTenantScope", ...positionOf(defined, "Payment.update") }] },
    { code: unscoped, errors: [{ messageId: "missingTenantScope", ...positionOf(unscoped, "Invoice.unscoped()") }] },
    { code: findOrCreate, errors: [{ messageId: "missingTenantScope", ...positionOf(findOrCreate, "Invoice.findOrCreate") }] },
  ],
} satisfies OrmCases<"missingTenantScope" | "tenantMaybeUndefined">;
