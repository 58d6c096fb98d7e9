import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import Fastify from "fastify";\nimport { sql } from "kysely";\nimport { db } from "./db/kysely.js";\nexport const app = Fastify();\n`;
// Raw SQL takes its tenant from the value interpolated after its tenant predicate.
const interpolated = header + `app.get<{ Querystring: { ws: string } }>("/", async (req) => {\n  return sql\`select id from projects where workspace_id = \${req.query.ws}\`.execute(db);\n});`;

// A helper that fills an object from a header, entry by entry (`out[name] = value`): what it returns holds the header.
const cookieHelper =
  `function parseCookies(header: string | undefined) {\n  const out: Record<string, string> = {};\n  for (const part of (header ?? "").split(";")) {\n    const [name, value] = part.split("=");\n    out[name!.trim()] = decodeURIComponent(value ?? "");\n  }\n  return out;\n}\n`;
const fromCookie =
  header + cookieHelper + `app.get("/", async (req) => {\n  const ws = parseCookies(req.headers.cookie)["ws"] ?? "";\n  return db.selectFrom("projects").selectAll().where("workspace_id", "=", ws).execute();\n});`;
// A variable declared first and assigned later (`let body; try { body = ... }`) holds what is assigned.
const assignedLater =
  `import type { FastifyRequest } from "fastify";\n` +
  header +
  `async function readBody(req: FastifyRequest) {\n  let body: unknown;\n  try {\n    body = req.body;\n  } catch {\n    body = {};\n  }\n  return body as { ws: string };\n}\n` +
  `app.post("/", async (req) => {\n  const { ws } = await readBody(req);\n  return db.selectFrom("projects").selectAll().where("workspace_id", "=", ws).execute();\n});`;

export default {
  fixture: "kysely-fastify",
  valid: [
    // The cookie names a layout, not the tenant.
    header + cookieHelper + `app.get("/", async (req) => {\n  const layout = parseCookies(req.headers.cookie)["layout"] ?? "full";\n  return db.selectFrom("projects").selectAll().where("name", "=", layout).execute();\n});`,
    header + `app.get<{ Querystring: { name: string } }>("/", async (req) => {\n  return sql\`select id from projects where name = \${req.query.name}\`.execute(db);\n});`,
  ],
  invalid: [
    { code: interpolated, errors: [{ messageId: "clientTenantId", ...positionOf(interpolated, "sql`select") }] },
    { code: fromCookie, errors: [{ messageId: "clientTenantId", ...positionOf(fromCookie, "db.selectFrom") }] },
    { code: assignedLater, errors: [{ messageId: "clientTenantId", ...positionOf(assignedLater, "db.selectFrom") }] },
  ],
} satisfies OrmCases<"clientTenantId">;
