import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = [
  `import { sql } from "drizzle-orm";`,
  `import { integer, sqliteTable, text, type BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";`,
  `import { db } from "./db/client.js";`,
  `import { invoices, notes } from "./db/schema.js";`,
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
  return { code, errors: [{ messageId: "unscopedRawSql" as const, ...positionOf(code, at) }] };
}

export default {
  fixture: "drizzle-hono",
  valid: [
    header + `export const f = (org: OrgContext) => db.execute(sql\`select id from invoices where org_id = \${org.orgId}\`);`,
    // Interpolated tables and columns read as their database names.
    header + `export const f = (org: OrgContext) => db.execute(sql\`select \${invoices.id} from \${invoices} where \${invoices.orgId} = \${org.orgId}\`);`,
    header + `export function f(org: OrgContext) {\n  const query = sql\`delete from notes where org_id = \${org.orgId} and pinned = false\`;\n  return db.execute(query);\n}`,
    header + `export const f = () => db.execute(sql\`select code, symbol from currencies\`);`,
    header + `export const f = (org: OrgContext) => db.execute(sql\`insert into notes (id, org_id, body) values (gen_random_uuid(), \${org.orgId}, 'hi')\`);`,
    // A template that is only built, or sent by something that is not a Drizzle database.
    header + `export const f = () => sql\`select * from invoices\`;`,
    header + `interface Pool { execute(q: string): Promise<unknown> }\nexport const f = (pool: Pool) => pool.execute("select * from invoices");`,
    header + sqlite + `export const f = (org: OrgContext) => local.all(sql\`select * from \${tasks} where \${tasks.orgId} = \${org.orgId}\`);`,
  ],
  invalid: [
    error(`export const f = (status: string) => db.execute(sql\`select id from invoices where status = \${status}\`);`, "db.execute"),
    error(`export const f = () => db.execute(sql\`update \${notes} set \${notes.pinned} = false\`);`, "db.execute"),
    error(`export const f = (id: string) => db.execute(sql.raw(\`delete from notes where invoice_id = '\${id}'\`));`, "db.execute"),
    error(`export const f = () => db.execute("select count(*) from invoices");`, "db.execute"),
    error(`export const f = () => db.transaction((tx) => tx.execute(sql\`delete from invoices where status = 'draft'\`));`, "tx.execute"),
    error(sqlite + `export const f = () => local.run(sql\`delete from \${tasks} where title = ''\`);`, "local.run"),
  ],
} satisfies OrmCases<"unscopedRawSql">;
