import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import { QueryTypes } from "sequelize";\nimport { sequelize } from "./db.js";\nimport type { TenantContext } from "./tenancy/context.js";\n`;

const invoices = header + `export const f = () => sequelize.query("SELECT id FROM invoices WHERE status = 'open'", { type: QueryTypes.SELECT });`;
const underscored = header + "export const f = (id: number) => sequelize.query(`UPDATE customers SET name = 'x' WHERE id = ?`, { replacements: [id] });";
const defined = header + `export const f = () => sequelize.query('DELETE FROM "Payments" WHERE "amountCents" = 0');`;
const objectForm = header + `export const f = (id: number) => sequelize.query({ query: "SELECT * FROM invoices WHERE id = ?", values: [id] });`;
// A tenant key an association adds is typed on the model (`ForeignKey<...>`) but not listed in `init`.
const foreignKeyModel =
  header +
  `import { DataTypes, Model, type ForeignKey, type InferAttributes, type InferCreationAttributes } from "sequelize";\n` +
  `class Shipment extends Model<InferAttributes<Shipment>, InferCreationAttributes<Shipment>> {\n  declare id: number;\n  declare tenantId: ForeignKey<string>;\n}\n` +
  `Shipment.init({ id: { type: DataTypes.INTEGER, primaryKey: true } }, { sequelize, tableName: "shipments", underscored: true });\n`;
const shipments = foreignKeyModel + `export const f = () => sequelize.query("SELECT id FROM shipments", { type: QueryTypes.SELECT });`;

// A model registered on an instance whose `define` defaults are `underscored`: its tenant column is `tenant_id`.
const archive = `import { sequelize as archiveDb } from "./archive/db.js";\nimport "./archive/archived-invoice.js";\n`;
const archived = header + archive + `export const f = () => archiveDb.query("SELECT id FROM archived_invoices", { type: QueryTypes.SELECT });`;

export default {
  fixture: "sequelize-express",
  valid: [
    header + archive + `export const f = (ctx: TenantContext) => archiveDb.query("SELECT id FROM archived_invoices WHERE tenant_id = ?", { replacements: [ctx.tenantId], type: QueryTypes.SELECT });`,
    header + `export const f = (ctx: TenantContext) => sequelize.query("SELECT id FROM invoices WHERE tenant_id = :tenantId", { replacements: { tenantId: ctx.tenantId }, type: QueryTypes.SELECT });`,
    header + `export const f = (ctx: TenantContext) => sequelize.query("SELECT id FROM customers WHERE tenant_id = $1", { bind: [ctx.tenantId] });`,
    header + `export const f = (ctx: TenantContext) => sequelize.query('SELECT id FROM "Payments" WHERE "tenantId" = ?', { replacements: [ctx.tenantId] });`,
    header + `export const f = () => sequelize.query("SELECT code FROM currencies");`,
    foreignKeyModel + `export const f = (ctx: TenantContext) => sequelize.query("SELECT id FROM shipments WHERE tenant_id = :t", { replacements: { t: ctx.tenantId }, type: QueryTypes.SELECT });`,
  ],
  invalid: [
    { code: archived, errors: [{ messageId: "unscopedRawSql", ...positionOf(archived, "archiveDb.query") }] },
    { code: invoices, errors: [{ messageId: "unscopedRawSql", ...positionOf(invoices, "sequelize.query") }] },
    { code: underscored, errors: [{ messageId: "unscopedRawSql", ...positionOf(underscored, "sequelize.query") }] },
    { code: defined, errors: [{ messageId: "unscopedRawSql", ...positionOf(defined, "sequelize.query") }] },
    { code: shipments, errors: [{ messageId: "unscopedRawSql", ...positionOf(shipments, "sequelize.query") }] },
    { code: objectForm, errors: [{ messageId: "unscopedRawSql", ...positionOf(objectForm, "sequelize.query") }] },
  ],
} satisfies OrmCases<"unscopedRawSql">;
