import type { OrmCases } from "../../rule-tester.js";

const header = `import { db } from "./db/kysely.js";\nimport type { WorkspaceContext } from "./workspace/context.js";\n`;

export default {
  fixture: "kysely-fastify",
  valid: [
    header + `export const f = (ws: WorkspaceContext, ids: string[]) => db.selectFrom("projects").selectAll().where("workspace_id", "=", ws.workspaceId).where("id", "in", ids).execute();`,
    header +
      `export const f = (ws: WorkspaceContext, a: string, b: string) => db.selectFrom("documents").selectAll().where((eb) => eb.and([eb("workspace_id", "=", ws.workspaceId), eb.or([eb("project_id", "=", a), eb("project_id", "=", b)])])).execute();`,
    header + `export const f = (ws: WorkspaceContext) => db.selectFrom("documents").selectAll().where((eb) => eb.or([eb("workspace_id", "=", ws.workspaceId), eb("workspace_id", "=", ws.workspaceId)])).execute();`,
    // A trusted resolver reads a user's memberships across tenants to decide the request's tenant.
    { code: header + `export const f = (userId: string) => db.selectFrom("memberships").selectAll().where("user_id", "=", userId).where("workspace_id", "in", ["a", "b"]).execute();`, filename: "src/workspace/resolve.ts" },
    // A global table may be read across tenants.
    header + `export const f = (keys: string[]) => db.selectFrom("feature_flags").selectAll().where("key", "in", keys).execute();`,
  ],
  invalid: [
    {
      code: header + `export const f = (ids: string[]) => db.selectFrom("projects").selectAll().where("workspace_id", "in", ids).execute();`,
      errors: [{ messageId: "crossTenant", line: 3, column: 37, endLine: 3, endColumn: 117 }],
    },
    {
      code: header + `export const f = (ws: WorkspaceContext) => db.deleteFrom("documents as d").where("d.workspace_id", "<>", ws.workspaceId).execute();`,
      errors: [{ messageId: "crossTenant", line: 3, column: 44 }],
    },
    {
      code:
        header +
        `export const f = (a: WorkspaceContext, b: WorkspaceContext) => db.selectFrom("documents").selectAll().where(({ eb, or }) => or([eb("workspace_id", "=", a.workspaceId), eb("workspace_id", "=", b.workspaceId)])).execute();`,
      errors: [{ messageId: "crossTenant", line: 3, column: 64 }],
    },
    {
      code:
        header +
        `export const f = (userId: string) => db.selectFrom("projects").selectAll().where("workspace_id", "in", (eb) => eb.selectFrom("memberships").select("workspace_id").where("user_id", "=", userId)).execute();`,
      errors: [{ messageId: "crossTenant", line: 3, column: 38 }],
    },
  ],
} satisfies OrmCases<"crossTenant">;
