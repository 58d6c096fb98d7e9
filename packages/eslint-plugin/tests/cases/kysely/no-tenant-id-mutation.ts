import type { OrmCases } from "../../rule-tester.js";

const header = `import { db } from "./db/kysely.js";\nimport type { ProjectUpdate } from "./db/schema.js";\nimport type { WorkspaceContext } from "./workspace/context.js";\n`;

export default {
  fixture: "kysely-fastify",
  valid: [
    header + `export const f = (ws: WorkspaceContext, id: string) => db.updateTable("projects").set("name", "x").where("workspace_id", "=", ws.workspaceId).where("id", "=", id).execute();`,
    header + `export const f = (ws: WorkspaceContext, id: string, name: string) => db.updateTable("projects").set({ name }).where("workspace_id", "=", ws.workspaceId).where("id", "=", id).execute();`,
    // Every column of Updateable<...> is optional: the type does not say the tenant key is written.
    header + `export const f = (ws: WorkspaceContext, id: string, patch: ProjectUpdate) => db.updateTable("projects").set(patch).where("workspace_id", "=", ws.workspaceId).where("id", "=", id).execute();`,
    header + `export const f = (ws: WorkspaceContext, name: string) => db.insertInto("projects").values({ workspace_id: ws.workspaceId, name }).execute();`,
    header +
      `export const f = (ws: WorkspaceContext, value: string) => db.insertInto("project_settings").values({ workspace_id: ws.workspaceId, project_id: "p", key: "k", value }).onConflict((oc) => oc.columns(["workspace_id", "project_id", "key"]).doUpdateSet({ value })).execute();`,
  ],
  invalid: [
    {
      // A table named by a value typed as a union of table names: each of them is written.
      code:
        header +
        `export async function f(from: string, to: string) {\n  for (const table of ["projects", "documents"] as const) {\n    await db.updateTable(table).set({ workspace_id: to }).where("workspace_id", "=", from).execute();\n  }\n}`,
      errors: [{ messageId: "tenantKeyWritten", line: 6, column: 11 }],
    },
    {
      // `set(column, value)` writes the one column it names.
      code: header + `export const f = (ws: WorkspaceContext, id: string, target: string) => db.updateTable("projects").set("workspace_id", target).where("workspace_id", "=", ws.workspaceId).where("id", "=", id).execute();`,
      errors: [{ messageId: "tenantKeyWritten", line: 4, column: 72 }],
    },
    {
      code: header + `export const f = (ws: WorkspaceContext, id: string, target: string) => db.updateTable("projects").set({ workspace_id: target }).where("workspace_id", "=", ws.workspaceId).where("id", "=", id).execute();`,
      errors: [{ messageId: "tenantKeyWritten", line: 4, column: 72 }],
    },
    {
      code:
        header +
        `export const f = (ws: WorkspaceContext, id: string, target: string) => db.updateTable("documents").set((eb) => ({ workspace_id: target, title: eb.ref("title") })).where("workspace_id", "=", ws.workspaceId).where("id", "=", id).execute();`,
      errors: [{ messageId: "tenantKeyWritten", line: 4, column: 72 }],
    },
    {
      code:
        header +
        `export const f = (ws: WorkspaceContext, value: string) => db.insertInto("project_settings").values({ workspace_id: ws.workspaceId, project_id: "p", key: "k", value }).onConflict((oc) => oc.columns(["workspace_id", "project_id", "key"]).doUpdateSet({ value, workspace_id: ws.workspaceId })).execute();`,
      errors: [{ messageId: "tenantKeyWritten", line: 4, column: 59 }],
    },
  ],
} satisfies OrmCases<"tenantKeyWritten">;
