import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import { Invoice, Currency } from "./models/index.js";\nimport type { TenantContext } from "./tenancy/context.js";\n`;
const load = `const row = await Invoice.findOne({ where: { id, tenantId: ctx.tenantId } });\n  if (!row) return;\n  `;

const bulk = header + `export const f = (ctx: TenantContext, id: number, t: string) => Invoice.update({ tenantId: t }, { where: { id, tenantId: ctx.tenantId } });`;
const instance = header + `export async function f(ctx: TenantContext, id: number, t: string) {\n  ${load}return row.update({ tenantId: t });\n}`;
const setKey = header + `export async function f(ctx: TenantContext, id: number, t: string) {\n  ${load}row.set("tenantId", t);\n}`;
const setObject = header + `export async function f(ctx: TenantContext, id: number, t: string) {\n  ${load}row.set({ tenantId: t, status: "open" });\n}`;
const setDataValue = header + `export async function f(ctx: TenantContext, id: number, t: string) {\n  ${load}row.setDataValue("tenantId", t);\n}`;

export default {
  fixture: "sequelize-express",
  valid: [
    header + `export const f = (ctx: TenantContext, id: number) => Invoice.update({ status: "paid" }, { where: { id, tenantId: ctx.tenantId } });`,
    header + `export async function f(ctx: TenantContext, id: number) {\n  ${load}row.set("status", "void");\n  await row.update({ amountCents: 0 });\n  await row.destroy();\n}`,
    header + `export const f = (ctx: TenantContext) => Invoice.create({ tenantId: ctx.tenantId, customerId: 1, amountCents: 0, dueOn: null });`,
    header + `export async function f(code: string) {\n  const currency = await Currency.findByPk(code);\n  return currency?.update({ symbol: "$" });\n}`,
    header + `const m = new Map<string, string>();\nexport const f = (t: string) => m.set("tenantId", t);`,
  ],
  invalid: [
    { code: bulk, errors: [{ messageId: "tenantKeyWritten", ...positionOf(bulk, "Invoice.update") }] },
    { code: instance, errors: [{ messageId: "tenantKeyWritten", ...positionOf(instance, "row.update") }] },
    { code: setKey, errors: [{ messageId: "tenantKeyWritten", ...positionOf(setKey, "row.set") }] },
    { code: setObject, errors: [{ messageId: "tenantKeyWritten", ...positionOf(setObject, "row.set") }] },
    { code: setDataValue, errors: [{ messageId: "tenantKeyWritten", ...positionOf(setDataValue, "row.setDataValue") }] },
  ],
} satisfies OrmCases<"tenantKeyWritten">;
