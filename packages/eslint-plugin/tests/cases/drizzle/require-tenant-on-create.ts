import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = [
  `import { integer, sqliteTable, text, type BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";`,
  `import { db } from "./db/client.js";`,
  `import { customers, notes } from "./db/schema.js";`,
  `import type { OrgContext } from "./org/org-context.js";`,
  ``,
].join("\n");

const sqlite = [
  `const tasks = sqliteTable("tasks", { id: integer("id").primaryKey(), orgId: text("org_id"), title: text("title").notNull() });`,
  `declare const local: BaseSQLiteDatabase<"async", unknown>;`,
  ``,
].join("\n");

function error(body: string, at: string) {
  const code = header + body;
  return { code, errors: [{ messageId: "missingTenantOnCreate" as const, ...positionOf(code, at) }] };
}

export default {
  fixture: "drizzle-hono",
  valid: [
    header + `export const f = (org: OrgContext, body: string) => db.insert(notes).values({ orgId: org.orgId, body });`,
    header + `export const f = (org: OrgContext, bodies: string[]) => db.insert(notes).values(bodies.map((body) => ({ orgId: org.orgId, body })));`,
    header + `export const f = (org: OrgContext) => db.insert(notes).values([{ orgId: org.orgId, body: "a" }, { orgId: org.orgId, body: "b" }]);`,
    header + `export function f(org: OrgContext, body: string) {\n  const row = { orgId: org.orgId, body };\n  return db.insert(notes).values(row).returning();\n}`,
    header + `export const f = (org: OrgContext, input: { name: string; email: string }) => db.insert(customers).values({ ...input, orgId: org.orgId });`,
    // A typed row whose tenant key the type declares (even as optional) is trusted to carry it.
    header + `export const f = (rows: (typeof notes.$inferInsert)[]) => db.insert(notes).values(rows);`,
    header + sqlite + `export const f = (org: OrgContext) => local.insert(tasks).values({ orgId: org.orgId, title: "t" });`,
  ],
  invalid: [
    error(`export const f = (body: string) => db.insert(notes).values({ body });`, "db.insert"),
    error(`export const f = (org: OrgContext) => db.insert(notes).values([{ orgId: org.orgId, body: "a" }, { body: "b" }]);`, "db.insert"),
    error(`export const f = (bodies: string[]) => db.insert(notes).values(bodies.map((body) => ({ body }))).returning();`, "db.insert"),
    error(`export const f = (id: string) => db.transaction((tx) => tx.insert(notes).values({ invoiceId: id, body: "b" }));`, "tx.insert"),
    error(`export const f = (org: OrgContext) => db.insert(notes).values({ orgId: undefined, body: org.memberId });`, "db.insert"),
    error(sqlite + `export const f = () => local.insert(tasks).values({ title: "t" });`, "local.insert"),
  ],
} satisfies OrmCases<"missingTenantOnCreate">;
