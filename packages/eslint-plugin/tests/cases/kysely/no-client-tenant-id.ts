import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import Fastify from "fastify";\nimport { sql } from "kysely";\nimport { db } from "./db/kysely.js";\nexport const app = Fastify();\n`;
// Raw SQL takes its tenant from the value interpolated after its tenant predicate.
const interpolated = header + `app.get<{ Querystring: { ws: string } }>("/", async (req) => {\n  return sql\`select id from projects where workspace_id = \${req.query.ws}\`.execute(db);\n});`;

export default {
  fixture: "kysely-fastify",
  valid: [
    header + `app.get<{ Querystring: { name: string } }>("/", async (req) => {\n  return sql\`select id from projects where name = \${req.query.name}\`.execute(db);\n});`,
  ],
  invalid: [{ code: interpolated, errors: [{ messageId: "clientTenantId", ...positionOf(interpolated, "sql`select") }] }],
} satisfies OrmCases<"clientTenantId">;
