import type { OrmCases } from "../../rule-tester.js";

const header = `import { db } from "./db/kysely.js";\nimport type { NewDocument } from "./db/schema.js";\nimport type { WorkspaceContext } from "./workspace/context.js";\n`;

export default {
  fixture: "kysely-fastify",
  valid: [
    header + `export const f = (ws: WorkspaceContext, projectId: string) => db.insertInto("documents").values({ workspace_id: ws.workspaceId, project_id: projectId, title: "t", body: "" }).execute();`,
    header +
      `export const f = (ws: WorkspaceContext, titles: string[]) => db.insertInto("documents").values(titles.map((title) => ({ title, body: "", project_id: "p", workspace_id: ws.workspaceId }))).execute();`,
    // Insertable<...> keeps the tenant key as an optional property: the value may well carry it.
    header + `export const f = (doc: NewDocument) => db.insertInto("documents").values(doc).execute();`,
    header + `export const f = (ws: WorkspaceContext, userId: string) => db.transaction().execute((trx) => trx.insertInto("audit_events").values({ workspace_id: ws.workspaceId, actor_id: userId, action: "x" }).execute());`,
    header + `export const f = () => db.insertInto("feature_flags").values({ key: "beta", enabled: true }).execute();`,
  ],
  invalid: [
    {
      code: header + `export const f = (projectId: string) => db.insertInto("documents").values({ project_id: projectId, title: "t", body: "" }).execute();`,
      errors: [{ messageId: "missingTenantOnCreate", line: 4, column: 41 }],
    },
    {
      code: header + `export const f = (userId: string) => db.insertInto("audit_events").values({ actor_id: userId, action: "login" }).returning("id").executeTakeFirst();`,
      errors: [{ messageId: "missingTenantOnCreate", line: 4, column: 38 }],
    },
    {
      code:
        header +
        `export const f = (ws: WorkspaceContext) => db.insertInto("documents").values([{ workspace_id: ws.workspaceId, project_id: "p", title: "a", body: "" }, { project_id: "p", title: "b", body: "" }]).execute();`,
      errors: [{ messageId: "missingTenantOnCreate", line: 4, column: 44 }],
    },
  ],
} satisfies OrmCases<"missingTenantOnCreate">;
