import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import { Customer, Invoice } from "./models/index.js";\nimport type { CustomerCreationAttributes } from "./models/customer.js";\nimport type { TenantContext } from "./tenancy/context.js";\n`;

const create = header + `export const f = (name: string) => Customer.create({ name });`;
const bulk = header + `export const f = (ctx: TenantContext) => Customer.bulkCreate([{ tenantId: ctx.tenantId, name: "a" }, { name: "b" }]);`;
const typed = header + `export const f = (rows: { name: string }[]) => Customer.bulkCreate(rows);`;
const build = header + `export const f = (name: string) => Customer.build({ name }).save();`;
// An upsert's new row needs the tenant key like any other (require-tenant-scope reports its match).
const upsert = header + `export const f = (id: number) => Invoice.upsert({ id, customerId: 1, amountCents: 0, dueOn: null } as never);`;
const findOrCreate = header + `export const f = (email: string) => Customer.findOrCreate({ where: { email }, defaults: { name: "n" } });`;

export default {
  fixture: "sequelize-express",
  valid: [
    header + `export const f = (ctx: TenantContext, name: string) => Customer.create({ tenantId: ctx.tenantId, name });`,
    header + `export const f = (ctx: TenantContext, names: string[]) => Customer.bulkCreate(names.map((name) => ({ name, tenantId: ctx.tenantId })));`,
    // The creation type keeps the key as an optional property: the values may well carry it.
    header + `export const f = (values: CustomerCreationAttributes) => Customer.create(values);`,
    header + `export const f = (ctx: TenantContext, email: string) => Customer.findOrCreate({ where: { tenantId: ctx.tenantId, email }, defaults: { name: "n" } });`,
    header + `export const f = (ctx: TenantContext, email: string) => Customer.findOrCreate({ where: { email, tenantId: ctx.tenantId } });`,
    header + `export async function f(ctx: TenantContext, name: string) {\n  const customer = Customer.build({ name });\n  customer.tenantId = ctx.tenantId;\n  return customer.save();\n}`,
    header + `export const f = (ctx: TenantContext) => Invoice.create({ tenantId: ctx.tenantId, customerId: 1, amountCents: 0, dueOn: null });`,
  ],
  invalid: [
    { code: upsert, errors: [{ messageId: "missingTenantOnCreate", ...positionOf(upsert, "Invoice.upsert") }] },
    { code: create, errors: [{ messageId: "missingTenantOnCreate", ...positionOf(create, "Customer.create") }] },
    { code: bulk, errors: [{ messageId: "missingTenantOnCreate", ...positionOf(bulk, "Customer.bulkCreate") }] },
    { code: typed, errors: [{ messageId: "missingTenantOnCreate", ...positionOf(typed, "Customer.bulkCreate") }] },
    { code: build, errors: [{ messageId: "missingTenantOnCreate", ...positionOf(build, "Customer.build") }] },
    { code: findOrCreate, errors: [{ messageId: "missingTenantOnCreate", ...positionOf(findOrCreate, "Customer.findOrCreate") }] },
  ],
} satisfies OrmCases<"missingTenantOnCreate">;
