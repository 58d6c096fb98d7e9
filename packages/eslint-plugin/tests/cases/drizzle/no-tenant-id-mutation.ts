import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = [
  `import { and, eq, sql } from "drizzle-orm";`,
  `import { int, mysqlTable, varchar, type MySqlDatabase, type MySqlQueryResultHKT, type PreparedQueryHKTBase } from "drizzle-orm/mysql-core";`,
  `import { db } from "./db/client.js";`,
  `import { invoices, notes, orgSettings, type NewInvoice } from "./db/schema.js";`,
  `import { invoiceOf } from "./db/scope.js";`,
  `import type { OrgContext } from "./org/org-context.js";`,
  ``,
].join("\n");

const mysql = [
  `const orders = mysqlTable("orders", { id: int("id").primaryKey(), orgId: varchar("org_id", { length: 36 }).notNull(), total: int("total").notNull() });`,
  `declare const shop: MySqlDatabase<MySqlQueryResultHKT, PreparedQueryHKTBase>;`,
  ``,
].join("\n");

function error(body: string, at: string) {
  const code = header + body;
  return { code, errors: [{ messageId: "tenantKeyWritten" as const, ...positionOf(code, at) }] };
}

export default {
  fixture: "drizzle-hono",
  valid: [
    header + `export const f = (org: OrgContext, id: string) => db.update(invoices).set({ status: "paid" }).where(and(eq(invoices.id, id), invoiceOf(org)));`,
    // Filtering on the tenant key is not writing it.
    header + `export const f = (org: OrgContext) => db.update(notes).set({ pinned: false }).where(eq(notes.orgId, org.orgId));`,
    // A typed patch whose tenant key is optional may not carry it.
    header +
      `export const f = (org: OrgContext, id: string, patch: Partial<NewInvoice>) => db.update(invoices).set(patch).where(and(eq(invoices.id, id), invoiceOf(org)));`,
    // New rows set the tenant key; only updates move rows between tenants.
    header + `export const f = (org: OrgContext) => db.insert(notes).values({ orgId: org.orgId, body: "b" });`,
    header +
      `export const f = (org: OrgContext, key: string, value: string) => db.insert(orgSettings).values({ orgId: org.orgId, key, value }).onConflictDoUpdate({ target: [orgSettings.orgId, orgSettings.key], set: { value } });`,
    header + mysql + `export const f = (org: OrgContext) => shop.insert(orders).values({ id: 1, orgId: org.orgId, total: 0 }).onDuplicateKeyUpdate({ set: { total: 0 } });`,
  ],
  invalid: [
    error(`export const f = (org: OrgContext, id: string, to: string) => db.update(invoices).set({ orgId: to }).where(and(eq(invoices.id, id), invoiceOf(org)));`, "db.update"),
    error(`export const f = (id: string, to: string) => db.transaction((tx) => tx.update(notes).set({ body: "moved", orgId: to }).where(eq(notes.id, id)));`, "tx.update"),
    error(
      `export const f = (org: OrgContext, key: string) => db.insert(orgSettings).values({ orgId: org.orgId, key, value: "" }).onConflictDoUpdate({ target: [orgSettings.orgId, orgSettings.key], set: { orgId: sql\`excluded.org_id\` } });`,
      "db.insert",
    ),
    error(mysql + `export const f = (org: OrgContext, to: string) => shop.insert(orders).values({ id: 1, orgId: org.orgId, total: 0 }).onDuplicateKeyUpdate({ set: { orgId: to } });`, "shop.insert"),
  ],
} satisfies OrmCases<"tenantKeyWritten">;
