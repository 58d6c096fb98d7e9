import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import { Op } from "sequelize";\nimport { Invoice, Payment } from "./models/index.js";\nimport type { TenantContext } from "./tenancy/context.js";\n`;

const opIn = header + `export const f = (tenantIds: string[]) => Invoice.findAll({ where: { tenantId: { [Op.in]: tenantIds } } });`;
const opNe = header + `export const f = (ctx: TenantContext) => Payment.count({ where: { tenantId: { [Op.ne]: ctx.tenantId } } });`;
const opOr = header + `export const f = (a: TenantContext, b: TenantContext) => Invoice.destroy({ where: { [Op.or]: [{ tenantId: a.tenantId }, { tenantId: b.tenantId }] } });`;
const array = header + `export const f = (tenantIds: string[]) => Invoice.update({ status: "void" }, { where: { tenantId: tenantIds } });`;

export default {
  fixture: "sequelize-express",
  valid: [
    header + `export const f = (ctx: TenantContext, ids: number[]) => Invoice.findAll({ where: { tenantId: ctx.tenantId, id: { [Op.in]: ids } } });`,
    header + `export const f = (ctx: TenantContext) => Invoice.findAll({ where: { tenantId: { [Op.eq]: ctx.tenantId } } });`,
    header + `export const f = (ctx: TenantContext) => Invoice.findAll({ where: { tenantId: ctx.tenantId, [Op.or]: [{ status: "open" }, { status: "draft" }] } });`,
  ],
  invalid: [
    { code: opIn, errors: [{ messageId: "crossTenant", ...positionOf(opIn, "Invoice.findAll") }] },
    { code: opNe, errors: [{ messageId: "crossTenant", ...positionOf(opNe, "Payment.count") }] },
    { code: opOr, errors: [{ messageId: "crossTenant", ...positionOf(opOr, "Invoice.destroy") }] },
    { code: array, errors: [{ messageId: "crossTenant", ...positionOf(array, "Invoice.update") }] },
  ],
} satisfies OrmCases<"crossTenant">;
