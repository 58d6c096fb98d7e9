import { positionOf, type OrmCases } from "../../rule-tester.js";

type MessageId = "missingTenantScope" | "tenantMaybeUndefined";

const header = [
  `import { and, eq, sql, type SQL } from "drizzle-orm";`,
  `import { pgTable, text, type PgSelect } from "drizzle-orm/pg-core";`,
  `import { db } from "./db/client.js";`,
  `import { currencies, customers, invoices, notes, orgSettings } from "./db/schema.js";`,
  `import { invoiceOf, invoiceOfOptional } from "./db/scope.js";`,
  `import type { OrgContext } from "./org/org-context.js";`,
  ``,
].join("\n");

/** An invalid case whose one error starts where `at` first occurs in the code. */
function error(body: string, at: string, messageId: MessageId = "missingTenantScope") {
  const code = header + body;
  return { code, errors: [{ messageId, ...positionOf(code, at) }] };
}

/** Cases linted inside the fixture's trusted resolver directory (`src/org/**`). */
const RESOLVER_FILE = "src/org/__rule_tester__.ts";
const resolverHeader = [
  `import { eq } from "drizzle-orm";`,
  `import { db } from "../db/client.js";`,
  `import { customers } from "../db/schema.js";`,
  `import type { OrgContext } from "./org-context.js";`,
  `declare const req: { org: OrgContext | null };`,
  ``,
].join("\n");
// Resolving the tenant: the lookup that builds the tenant context runs before any tenant exists.
const resolves = resolverHeader + `export async function resolve(email: string) {\n  const [c] = await db.select().from(customers).where(eq(customers.email, email)).limit(1);\n  if (c) req.org = { orgId: c.orgId, memberId: c.id };\n}`;
// In a resolver file, but the function builds no tenant context: an ordinary unscoped read.
const notResolving = resolverHeader + `export const list = () => db.select().from(customers);`;
// Bookkeeping on the row a resolver read (its last contact) is part of resolving; a delete is not.
const touches = resolverHeader + `export const touch = (email: string) => db.update(customers).set({ name: "seen" }).where(eq(customers.email, email));`;
const deletes = resolverHeader + `export const purge = (email: string) => db.delete(customers).where(eq(customers.email, email));`;

export default {
  fixture: "drizzle-hono",
  valid: [
    // The rows an update in scope returns are the tenant's, and so are their children.
    header +
      `export async function f(org: OrgContext, id: string) {\n  const [customer] = await db.update(customers).set({ name: "x" }).where(and(eq(customers.id, id), eq(customers.orgId, org.orgId))).returning();\n  if (!customer) return;\n  await db.update(invoices).set({ status: "void" }).where(eq(invoices.customerId, customer.id));\n}`,
    // A helper returning the first row of a scoped list read (`const [row] = ...; return row ?? null`),
    // checked for presence, then updated by its id.
    header +
      `async function findInvoice(org: OrgContext, id: string) {\n  const [invoice] = await db.select().from(invoices).where(and(eq(invoices.id, id), eq(invoices.orgId, org.orgId))).limit(1);\n  return invoice ?? null;\n}\n` +
      `export async function f(org: OrgContext, id: string) {\n  const invoice = await findInvoice(org, id);\n  if (!invoice) throw new Error("not found");\n  await db.update(invoices).set({ status: "void" }).where(eq(invoices.id, invoice.id));\n}`,
    // A scope helper generic over the table it is given: the column is the one its property names.
    header +
      `const inOrg = <T extends { orgId: Parameters<typeof eq>[0] }>(table: T, org: OrgContext) => eq(table.orgId, org.orgId);\n` +
      `export const f = (org: OrgContext, id: string) => db.select().from(invoices).where(and(inOrg(invoices, org), eq(invoices.id, id)));`,
    { code: resolves, filename: RESOLVER_FILE },
    // Any read in a trusted resolver looks up identities and tenants (here, what a user may switch to).
    { code: notResolving, filename: RESOLVER_FILE },
    { code: touches, filename: RESOLVER_FILE },
    // A row a transaction's callback loads in scope and returns is the tenant's.
    header +
      `async function claim(org: OrgContext) {\n  return db.transaction(async (tx) => {\n    const [row] = await tx.select().from(invoices).where(eq(invoices.orgId, org.orgId)).limit(1);\n    if (!row) return undefined;\n    return row;\n  });\n}\n` +
      `export async function f(org: OrgContext) {\n  const row = await claim(org);\n  if (!row) return;\n  await db.update(invoices).set({ status: "paid" }).where(eq(invoices.id, row.id));\n}`,
    header + `export const f = (org: OrgContext) => db.select().from(invoices).where(eq(invoices.orgId, org.orgId));`,
    // A condition list spread into and(...): the tenant condition is always pushed, or in the initializer.
    header +
      `export function f(org: OrgContext, status?: string) {\n  const conditions: SQL[] = [];\n  conditions.push(eq(invoices.orgId, org.orgId));\n  if (status) conditions.push(eq(invoices.status, status));\n  return db.select().from(invoices).where(and(...conditions));\n}`,
    header +
      `export function f(org: OrgContext, status?: string) {\n  const conditions: SQL[] = [eq(invoices.orgId, org.orgId)];\n  if (status) conditions.push(eq(invoices.status, status));\n  return db.select().from(invoices).where(and(...conditions));\n}`,
    // Pushed on some paths only: the list may hold the tenant filter where it matters, so no claim.
    header +
      `export function f(org: OrgContext | undefined) {\n  const conditions: SQL[] = [];\n  if (org) conditions.push(eq(invoices.orgId, org.orgId));\n  return db.select().from(invoices).where(and(...conditions));\n}`,
    header + `export const f = (org: OrgContext, id: string) => db.select().from(invoices).where(and(invoiceOf(org), eq(invoices.id, id)));`,
    header + `export const f = (org: OrgContext) => db.select().from(invoices).where((t) => eq(t.orgId, org.orgId));`,
    header + `export const f = (org: OrgContext) => db.query.invoices.findMany({ where: (t, { eq }) => eq(t.orgId, org.orgId) });`,
    header + `export const f = (org: OrgContext, id: string) => db.query.invoices.findFirst({ where: and(eq(invoices.id, id), invoiceOf(org)) });`,
    header + `export const f = (org: OrgContext, min: number) => db.select().from(invoices).where(sql\`\${invoices.orgId} = \${org.orgId} and \${invoices.amountCents} > \${min}\`);`,
    header + `export const f = (org: OrgContext) => db.$count(invoices, invoiceOf(org));`,
    header + `export const f = (org: OrgContext) => db.update(notes).set({ pinned: false }).where(eq(notes.orgId, org.orgId)).returning();`,
    header + `export const f = (org: OrgContext) => db.transaction((tx) => tx.delete(notes).where(eq(notes.orgId, org.orgId)));`,
    // A filtering join pins the tenant of the rows it joins.
    header +
      `export const f = (org: OrgContext) => db.select().from(currencies).innerJoin(invoices, and(eq(invoices.currency, currencies.code), invoiceOf(org)));`,
    // Loaded by id, then checked against the request's organisation before use.
    header +
      `export async function f(org: OrgContext, id: string) {\n  const invoice = await db.query.invoices.findFirst({ where: eq(invoices.id, id) });\n  if (!invoice || invoice.orgId !== org.orgId) throw new Error("not found");\n  return invoice;\n}`,
    header +
      `export async function f(org: OrgContext, id: string) {\n  const [invoice] = await db.select().from(invoices).where(eq(invoices.id, id)).limit(1);\n  if (!invoice || invoice.orgId !== org.orgId) return undefined;\n  return invoice;\n}`,
    // Upserts that can only collide with (or only update) rows of the inserting organisation.
    header +
      `export const f = (org: OrgContext, key: string, value: string) => db.insert(orgSettings).values({ orgId: org.orgId, key, value }).onConflictDoUpdate({ target: [orgSettings.orgId, orgSettings.key], set: { value } });`,
    header +
      `export const f = (org: OrgContext, id: string, name: string) => db.insert(customers).values({ id, orgId: org.orgId, name, email: "" }).onConflictDoUpdate({ target: customers.id, set: { name }, setWhere: eq(customers.orgId, org.orgId) });`,
    // `sql` predicates, on their own, inside a top-level `and(...)`, or returned by a helper.
    header + `export const f = (org: OrgContext, id: string) => db.select().from(invoices).where(and(eq(invoices.id, id), sql\`\${invoices.orgId} = \${org.orgId}\`));`,
    header + `const owned = (org: OrgContext) => sql\`\${invoices.orgId} = \${org.orgId}\`;\nexport const f = (org: OrgContext) => db.delete(invoices).where(owned(org));`,
    // A query kept in a variable is judged where it is finished.
    header + `export function f(org: OrgContext) {\n  const base = db.select().from(invoices);\n  return base.where(invoiceOf(org));\n}`,
    // Conditions the analysis cannot see (a parameter, a list built at run time) make no claim.
    header + `export const f = (where: SQL) => db.select().from(invoices).where(where);`,
    header +
      `export function f(org: OrgContext, status?: "open") {\n  const conditions: SQL[] = [invoiceOf(org)];\n  if (status) conditions.push(eq(invoices.status, status));\n  return db.select().from(invoices).where(and(...conditions));\n}`,
    header + `export const f = (options: Parameters<typeof db.query.invoices.findMany>[0]) => db.query.invoices.findMany(options);`,
    header +
      `const scoped = <T extends PgSelect>(query: T, org: OrgContext) => query.where(invoiceOf(org));\nexport const f = (org: OrgContext) => scoped(db.select().from(invoices).$dynamic(), org);`,
    // Global tables have no tenant column.
    header + `export const f = () => db.select().from(currencies);`,
    header + `export const f = (code: string) => db.query.currencies.findFirst({ where: eq(currencies.code, code) });`,
    // Look-alikes: not a Drizzle database.
    header + `const cache = new Map<string, string>();\nexport const f = (id: string) => cache.delete(id);`,
    header +
      `interface Warehouse { select(): { from(t: string): { where(c: object): Promise<unknown> } } }\nexport const f = (w: Warehouse) => w.select().from("invoices").where({});`,
  ],
  invalid: [
    { code: deletes, filename: RESOLVER_FILE, errors: [{ messageId: "missingTenantScope", ...positionOf(deletes, "db.delete(") }] },
    // The same lookup outside the trusted resolvers is not a resolution.
    error(`declare const req: { org: OrgContext | null };\n` + resolves.slice(resolverHeader.length), "db.select()"),
    error(
      `export function f(status?: string, search?: string) {\n  const conditions: SQL[] = [];\n  if (status) conditions.push(eq(invoices.status, status));\n  if (search) conditions.push(eq(invoices.number, search));\n  return db.select().from(invoices).where(and(...conditions));\n}`,
      "db.select()",
    ),
    error(`export const f = () => db.select().from(invoices).where(eq(invoices.status, "open"));`, "db.select()"),
    error(`export const f = () => db.select({ id: invoices.id }).from(invoices);`, "db.select("),
    error(`export const f = (id: string) => db.query.invoices.findFirst({ where: eq(invoices.id, id) });`, "db.query"),
    error(`export const f = () => db.query.invoices.findMany();`, "db.query"),
    error(`export const f = (id: string) => db.query.notes.findMany({ where: (n, { eq }) => eq(n.invoiceId, id) });`, "db.query"),
    error(`export const f = (id: string) => db.update(invoices).set({ status: "void" }).where(eq(invoices.id, id)).returning();`, "db.update"),
    error(`export const f = (id: string) => db.delete(invoices).where(eq(invoices.id, id));`, "db.delete"),
    error(`export const f = () => db.$count(invoices);`, "db.$count"),
    error(`export const f = (min: number) => db.select().from(invoices).where(sql\`\${invoices.amountCents} > \${min}\`);`, "db.select()"),
    error(`export const f = (id: string) => db.transaction(async (tx) => tx.delete(notes).where(eq(notes.id, id)));`, "tx.delete"),
    // Loaded by id without a check, or with a check that does not stop the request.
    error(`export async function f(id: string) {\n  const [invoice] = await db.select().from(invoices).where(eq(invoices.id, id));\n  return invoice;\n}`, "db.select()"),
    // A global table joined to a tenant-scoped one reads the tenant-scoped rows of every organisation.
    error(`export const f = () => db.select().from(currencies).leftJoin(invoices, eq(invoices.currency, currencies.code));`, "db.select()"),
    // A collision on the primary key alone updates whichever organisation owns the row.
    error(
      `export const f = (org: OrgContext, id: string, name: string) => db.insert(customers).values({ id, orgId: org.orgId, name, email: "" }).onConflictDoUpdate({ target: customers.id, set: { name } });`,
      "db.insert",
    ),
    error(`export function f() {\n  const base = db.select().from(invoices);\n  return base.limit(10);\n}`, "base.limit"),
    error(
      `export const f = (org: OrgContext | undefined) => db.select().from(invoices).where(and(org ? eq(invoices.orgId, org.orgId) : undefined, eq(invoices.status, "open")));`,
      "db.select()",
      "tenantMaybeUndefined",
    ),
    error(`export const f = (org?: OrgContext) => db.query.invoices.findMany({ where: invoiceOfOptional(org) });`, "db.query", "tenantMaybeUndefined"),
    // A column is the tenant column by its database name too.
    error(
      `const documents = pgTable("documents", { id: text("id").primaryKey(), owner: text("org_id").notNull() });\nexport const f = () => db.select().from(documents);`,
      "db.select()",
    ),
  ],
} satisfies OrmCases<MessageId>;
