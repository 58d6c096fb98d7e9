import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import { CompiledQuery, sql } from "kysely";\nimport { db } from "./db/kysely.js";\nimport type { WorkspaceContext } from "./workspace/context.js";\n`;

// Conditions joined into the statement with `sql.join(list, separator)`.
const joinedConditions = (first: string) =>
  header +
  `export function f(ws: WorkspaceContext, name?: string) {\n  const conds = [${first}, ...(name ? [sql\`p.name = \${name}\`] : [])];\n  return sql\`select p.id from projects p where \${sql.join(conds, sql\` and \`)}\`.execute(db);\n}`;
const joinedWithoutTenant = joinedConditions("sql`p.archived = false`");

export default {
  fixture: "kysely-fastify",
  valid: [
    joinedConditions("sql`p.workspace_id = ${ws.workspaceId}`"),
    header + `export const f = (ws: WorkspaceContext) => sql<{ n: number }>\`select count(*) as n from projects where workspace_id = \${ws.workspaceId}\`.execute(db);`,
    header +
      `export function f(ws: WorkspaceContext) {\n  const scope = sql<boolean>\`d.workspace_id = \${ws.workspaceId}\`;\n  return sql\`select d.title from documents d where \${scope}\`.execute(db);\n}`,
    header + `export const f = (ws: WorkspaceContext) => sql\`update \${sql.table("projects")} set archived = true where \${sql.ref("workspace_id")} = \${ws.workspaceId}\`.execute(db);`,
    header + `export const f = () => sql\`select slug from workspaces\`.execute(db);`,
    header + `export const f = (ws: WorkspaceContext) => db.executeQuery(CompiledQuery.raw("select id from projects where workspace_id = $1", [ws.workspaceId]));`,
    // A fragment inside a query builder names no table.
    header + `export const f = (ws: WorkspaceContext) => db.selectFrom("projects").select(sql<number>\`count(*)\`.as("n")).where("workspace_id", "=", ws.workspaceId).execute();`,
    header + `const text = (s: TemplateStringsArray) => s.join("");\nexport const f = () => text\`select * from projects\`;`,
  ],
  invalid: [
    { code: joinedWithoutTenant, errors: [{ messageId: "unscopedRawSql", ...positionOf(joinedWithoutTenant, "sql`select p.id") }] },
    {
      code: header + `export const f = (projectId: string) => sql\`select * from documents where project_id = \${projectId}\`.execute(db);`,
      errors: [{ messageId: "unscopedRawSql", line: 4, column: 41, endLine: 4, endColumn: 101 }],
    },
    {
      code: header + `export const f = () => sql.raw("delete from audit_events where created_at < now()").execute(db);`,
      errors: [{ messageId: "unscopedRawSql", line: 4, column: 24 }],
    },
    {
      code: header + `export const f = () => db.executeQuery(CompiledQuery.raw("select id from projects where archived"));`,
      errors: [{ messageId: "unscopedRawSql", line: 4, column: 40 }],
    },
    {
      code: header + `export const f = () => sql\`delete from \${sql.table("documents")} where title = ''\`.execute(db);`,
      errors: [{ messageId: "unscopedRawSql", line: 4, column: 24 }],
    },
  ],
} satisfies OrmCases<"unscopedRawSql">;
