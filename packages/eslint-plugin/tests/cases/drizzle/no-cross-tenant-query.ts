import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = [
  `import { and, eq, inArray, ne, notInArray, or, sql } from "drizzle-orm";`,
  `import { db } from "./db/client.js";`,
  `import { currencies, customers, invoices } from "./db/schema.js";`,
  `import { invoiceOf } from "./db/scope.js";`,
  `import type { OrgContext } from "./org/org-context.js";`,
  ``,
].join("\n");

function error(body: string, at: string) {
  const code = header + body;
  return { code, errors: [{ messageId: "crossTenant" as const, ...positionOf(code, at) }] };
}

export default {
  fixture: "drizzle-hono",
  valid: [
    header + `export const f = (org: OrgContext, ids: string[]) => db.select().from(invoices).where(and(invoiceOf(org), inArray(invoices.id, ids)));`,
    header + `export const f = (org: OrgContext) => db.query.invoices.findMany({ where: (t, { eq }) => eq(t.orgId, org.orgId) });`,
    // Both branches pin the same organisation.
    header +
      `export const f = (org: OrgContext) => db.select().from(invoices).where(or(and(invoiceOf(org), eq(invoices.status, "open")), and(invoiceOf(org), eq(invoices.status, "draft"))));`,
    header + `export const f = (codes: string[]) => db.select().from(currencies).where(inArray(currencies.code, codes));`,
    // An insert touches no existing rows.
    header + `export const f = (org: OrgContext) => db.insert(customers).values({ orgId: org.orgId, name: "n", email: "e" });`,
  ],
  invalid: [
    error(`export const f = (orgIds: string[]) => db.select().from(invoices).where(inArray(invoices.orgId, orgIds));`, "db.select()"),
    error(`export const f = (org: OrgContext) => db.select().from(customers).where(ne(customers.orgId, org.orgId));`, "db.select()"),
    error(`export const f = (orgIds: string[]) => db.delete(invoices).where(notInArray(invoices.orgId, orgIds));`, "db.delete"),
    error(`export const f = (a: OrgContext, b: OrgContext) => db.query.invoices.findMany({ where: or(eq(invoices.orgId, a.orgId), eq(invoices.orgId, b.orgId)) });`, "db.query"),
    error(`export const f = (orgIds: string[]) => db.$count(invoices, inArray(invoices.orgId, orgIds));`, "db.$count"),
    error(`export const f = (org: OrgContext) => db.update(invoices).set({ status: "void" }).where(sql\`\${invoices.orgId} <> \${org.orgId}\`);`, "db.update"),
  ],
} satisfies OrmCases<"crossTenant">;
