import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import { Kysely, sql, type Expression, type ExpressionBuilder, type SqlBool } from "kysely";\nimport { db, type Tx } from "./db/kysely.js";\nimport type { Database } from "./db/schema.js";\nimport type { WorkspaceContext } from "./workspace/context.js";\n`;

// A repository base: `table()` returns a builder that never runs (no `execute()`), and `scoped()`
// adds the tenant to it; each query is judged where a method finishes it.
const repository =
  `abstract class Repository {\n  constructor(protected readonly db: Kysely<Database>) {}\n  protected table() {\n    return this.db.selectFrom("projects");\n  }\n` +
  `  protected scoped(ws: WorkspaceContext) {\n    return this.table().where("workspace_id", "=", ws.workspaceId);\n  }\n` +
  `  protected whereFor(ws: WorkspaceContext, name: string) {\n    return { workspace_id: ws.workspaceId, name };\n  }\n}\n`;
const unscopedThroughHelper = header + repository + `export class Projects extends Repository {\n  byName(name: string) {\n    return this.table().selectAll().where("name", "=", name).executeTakeFirst();\n  }\n}`;

// From a table with no tenant key, joined to a tenant-scoped one: the joined rows are what is read.
const joinedUnscoped = header + `export const f = (key: string) => db.selectFrom("feature_flags as f").innerJoin("projects as p", "p.id", "f.key").select(["p.name", "f.enabled"]).where("f.key", "=", key).execute();`;

export default {
  fixture: "kysely-fastify",
  valid: [
    header +
      `export const f = (ws: WorkspaceContext, key: string) => db.selectFrom("feature_flags as f").innerJoin("projects as p", "p.id", "f.key").select(["p.name", "f.enabled"]).where("p.workspace_id", "=", ws.workspaceId).where("f.key", "=", key).execute();`,
    header + repository + `export class Projects extends Repository {\n  byId(ws: WorkspaceContext, id: string) {\n    return this.scoped(ws).selectAll().where("id", "=", id).executeTakeFirst();\n  }\n}`,
    // A filter object a helper returns, combined by `eb.and(...)`.
    header +
      repository +
      `export class Projects extends Repository {\n  search(ws: WorkspaceContext, name: string) {\n    const where = this.whereFor(ws, name);\n    return this.table().selectAll().where((eb) => eb.and(where)).execute();\n  }\n}`,
    header + `export const f = (ws: WorkspaceContext) => db.selectFrom("projects").selectAll().where("workspace_id", "=", ws.workspaceId).execute();`,
    header + `export const f = (ws: WorkspaceContext) => db.selectFrom("projects as p").select("p.id").where("p.workspace_id", "=", ws.workspaceId).execute();`,
    header +
      `export const f = (ws: WorkspaceContext) => db.selectFrom(["feature_flags as f", "projects as p"]).select(["p.id", "f.key"]).where("p.workspace_id", "=", ws.workspaceId).execute();`,
    header + `export const f = (ws: WorkspaceContext) => db.selectFrom("projects").selectAll().where((eb) => eb.and({ workspace_id: ws.workspaceId, archived: false })).execute();`,
    header + `export const f = (ws: WorkspaceContext) => db.selectFrom("projects").selectAll().where((eb) => eb.eb("workspace_id", "=", ws.workspaceId)).execute();`,
    header +
      `const inWorkspace = (ws: WorkspaceContext) => (eb: ExpressionBuilder<Database, "projects">) => eb("workspace_id", "=", ws.workspaceId);\nexport const f = (ws: WorkspaceContext) => db.selectFrom("projects").selectAll().where(inWorkspace(ws)).execute();`,
    header +
      `export const f = (ws: WorkspaceContext, id: string) => db.transaction().execute((trx) => trx.deleteFrom("projects").where("workspace_id", "=", ws.workspaceId).where("id", "=", id).execute());`,
    header +
      `export async function f(ws: WorkspaceContext, id: string) {\n  const project = await db.selectFrom("projects").selectAll().where("id", "=", id).executeTakeFirst();\n  if (!project || project.workspace_id !== ws.workspaceId) throw new Error("not found");\n  return project;\n}`,
    header + `export const f = (ws: WorkspaceContext) => db.withSchema("app").selectFrom("projects").selectAll().where("workspace_id", "=", ws.workspaceId).execute();`,
    header +
      `export function f(ws: WorkspaceContext, name: string) {\n  const scoped = db.selectFrom("projects").selectAll().where("workspace_id", "=", ws.workspaceId);\n  return scoped.where("name", "=", name).execute();\n}`,
    header + `export const f = (ws: WorkspaceContext, id: string) => db.updateTable("documents").set({ title: "x" }).where(sql<boolean>\`workspace_id = \${ws.workspaceId}\`).where("id", "=", id).execute();`,
    header +
      `export const f = (ws: WorkspaceContext, name: string) => db.insertInto("project_settings").values({ workspace_id: ws.workspaceId, project_id: "p", key: "k", value: name }).onConflict((oc) => oc.columns(["workspace_id", "project_id", "key"]).doUpdateSet({ value: name })).execute();`,
    // The conflict target is a named constraint the code does not spell out: no claim about the upsert's scope.
    header +
      `export const f = (ws: WorkspaceContext, id: string) => db.insertInto("projects").values({ id, workspace_id: ws.workspaceId, name: "x" }).onConflict((oc) => oc.constraint("projects_pkey").doUpdateSet({ name: "x" })).execute();`,
    // A list of conditions that starts with the tenant filter; the others are pushed when present.
    header +
      `export const f = (ws: WorkspaceContext, name?: string) =>\n  db.selectFrom("projects").selectAll().where((eb) => {\n    const conds: Expression<SqlBool>[] = [eb("workspace_id", "=", ws.workspaceId)];\n    if (name) conds.push(eb("name", "=", name));\n    return eb.and(conds);\n  }).execute();`,
    // Joined on the project's key: each document has one project, whose workspace is pinned.
    header +
      `export const f = (ws: WorkspaceContext) => db.selectFrom("documents as d").innerJoin("projects as p", "p.id", "d.project_id").where("p.workspace_id", "=", ws.workspaceId).select("d.title").execute();`,
    // A condition the analysis cannot read (a parameter) makes no claim.
    header + `export const f = (filter: Expression<SqlBool>) => db.selectFrom("projects").selectAll().where(filter).execute();`,
    header + `export const f = () => db.selectFrom("feature_flags").selectAll().execute();`,
    header + `export const f = () => db.selectFrom("workspaces").select(["id", "slug"]).execute();`,
    header + `const drafts = new Map<string, { workspace_id: string }>();\nexport const f = (id: string) => drafts.delete(id);`,
    header +
      `class Rows { selectFrom(_t: string) { return { selectAll: () => ({ execute: async () => [] as { workspace_id: string }[] }) }; } }\nexport const f = (rows: Rows) => rows.selectFrom("projects").selectAll().execute();`,
    // A column key qualified by its table in Kysely's object form.
    header + `export const f = (ws: WorkspaceContext) => db.selectFrom("projects").selectAll().where((eb) => eb.and({ "projects.workspace_id": ws.workspaceId })).execute();`,
    // A row read through a helper's scoped builder, one created with the tenant's key, and the rows
    // that reference a verified row, are the tenant's.
    header +
      `function scopedProjects(ws: WorkspaceContext) {\n  return db.selectFrom("projects").where("workspace_id", "=", ws.workspaceId);\n}\n` +
      `export async function f(ws: WorkspaceContext, id: string) {\n  const project = await scopedProjects(ws).select(["id"]).where("id", "=", id).executeTakeFirst();\n  if (!project) throw new Error("not found");\n` +
      `  await db.deleteFrom("documents").where("project_id", "=", project.id).execute();\n  await db.deleteFrom("projects").where("id", "=", project.id).execute();\n}`,
    header +
      `export async function f(ws: WorkspaceContext) {\n  const project = await db.insertInto("projects").values({ workspace_id: ws.workspaceId, name: "new" }).returning(["id"]).executeTakeFirstOrThrow();\n` +
      `  await db.updateTable("projects").set({ name: "renamed" }).where("id", "=", project.id).execute();\n}`,
  ],
  invalid: [
    { code: joinedUnscoped, errors: [{ messageId: "missingTenantScope", ...positionOf(joinedUnscoped, `db.selectFrom("feature_flags as f")`) }] },
    { code: unscopedThroughHelper, errors: [{ messageId: "missingTenantScope", ...positionOf(unscopedThroughHelper, `this.table().selectAll()`) }] },
    {
      // A row of another workspace's project is not the tenant's for being referenced.
      code:
        header +
        `export async function f(id: string) {\n  const project = await db.selectFrom("projects").select(["id"]).where("id", "=", id).executeTakeFirst();\n  if (!project) return;\n  await db.deleteFrom("documents").where("project_id", "=", project.id).execute();\n}`,
      errors: [
        { messageId: "missingTenantScope", line: 6, column: 25 },
        { messageId: "missingTenantScope", line: 8, column: 9 },
      ],
    },
    {
      // Documents joined to projects by name: many projects, of any workspace, can share a name.
      code:
        header +
        `export const f = (ws: WorkspaceContext, title: string) =>\n  db.selectFrom("documents").innerJoin("projects", "projects.name", "documents.title").where("projects.workspace_id", "=", ws.workspaceId).where("documents.title", "=", title).selectAll("documents").execute();`,
      errors: [{ messageId: "missingTenantScope", line: 6, column: 3 }],
    },
    {
      code:
        header +
        `export const f = (name?: string) =>\n  db.selectFrom("projects").selectAll().where((eb) => {\n    const conds: Expression<SqlBool>[] = [];\n    if (name) conds.push(eb("name", "=", name));\n    return eb.and(conds);\n  }).execute();`,
      errors: [{ messageId: "missingTenantScope", line: 6, column: 3 }],
    },
    {
      // The tenant filter may be removed again before the list is combined: not provably scoped.
      code:
        header +
        `export const f = (ws: WorkspaceContext, all: boolean) =>\n  db.selectFrom("projects").selectAll().where((eb) => {\n    const conds: Expression<SqlBool>[] = [eb("workspace_id", "=", ws.workspaceId)];\n    if (all) conds.shift();\n    return eb.and(conds);\n  }).execute();`,
      errors: [{ messageId: "missingTenantScope", line: 6, column: 3 }],
    },
    {
      code: header + `export const f = () => db.selectFrom("projects").selectAll().execute();`,
      errors: [{ messageId: "missingTenantScope", line: 5, column: 24, endLine: 5, endColumn: 71 }],
    },
    {
      code: header + `export const f = (ws?: WorkspaceContext) => db.selectFrom("projects").selectAll().where((eb) => eb.and({ workspace_id: ws?.workspaceId })).execute();`,
      errors: [{ messageId: "tenantMaybeUndefined", line: 5, column: 45 }],
    },
    {
      code: header + `export const f = (id: string) => db.transaction().execute((trx) => trx.updateTable("projects").set({ archived: true }).where("id", "=", id).execute());`,
      errors: [{ messageId: "missingTenantScope", line: 5, column: 68 }],
    },
    {
      code: header + `export const f = (trx: Tx, id: string) => trx.selectFrom("documents").select("title").where("id", "=", id).execute();`,
      errors: [{ messageId: "missingTenantScope", line: 5, column: 43 }],
    },
    {
      code: header + `class AppDb extends Kysely<Database> {}\nexport const f = (appDb: AppDb, id: string) => appDb.deleteFrom("documents").where("id", "=", id).execute();`,
      errors: [{ messageId: "missingTenantScope", line: 6, column: 48 }],
    },
    {
      code: header + `export function f(name: string) {\n  const base = db.selectFrom("projects").selectAll();\n  return base.where("name", "=", name).execute();\n}`,
      errors: [{ messageId: "missingTenantScope", line: 7, column: 10 }],
    },
    {
      code:
        header +
        `export const f = (ws: WorkspaceContext, id: string) => db.selectFrom("projects").selectAll().where("workspace_id", "=", ws.workspaceId).clearWhere().where("id", "=", id).execute();`,
      errors: [{ messageId: "missingTenantScope", line: 5, column: 56 }],
    },
    {
      code: header + `export const f = (ws?: WorkspaceContext) => db.selectFrom("projects").selectAll().$if(!!ws, (qb) => qb.where("workspace_id", "=", ws!.workspaceId)).execute();`,
      errors: [{ messageId: "missingTenantScope", line: 5, column: 45 }],
    },
    {
      code: header + `export const f = (ws: WorkspaceContext, id: string) => db.selectFrom("projects").selectAll().where((eb) => eb.or({ workspace_id: ws.workspaceId, id })).execute();`,
      errors: [{ messageId: "missingTenantScope", line: 5, column: 56 }],
    },
    {
      code:
        header +
        `export const f = (ws: WorkspaceContext, id: string) => db.insertInto("projects").values({ id, workspace_id: ws.workspaceId, name: "x" }).onConflict((oc) => oc.column("id").doUpdateSet({ name: "x" })).execute();`,
      errors: [{ messageId: "missingTenantScope", line: 5, column: 56 }],
    },
    {
      code: header + `export const f = () => db.with("live", (qc) => qc.selectFrom("projects").select("id").where("archived", "=", false)).selectFrom("live").selectAll().execute();`,
      errors: [{ messageId: "missingTenantScope", line: 5, column: 48 }],
    },
  ],
} satisfies OrmCases<"missingTenantScope" | "tenantMaybeUndefined">;
