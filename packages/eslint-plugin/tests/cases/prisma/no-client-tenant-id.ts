import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import { Router } from "express";\nimport { prisma } from "./db.js";\nimport { tenantOf } from "./tenancy/resolve.js";\nimport { TaskService } from "./task.service.js";\nimport type { TenantContext } from "./tenancy/context.js";\nexport const r = Router();\nconst tasks = new TaskService();\n`;
const bodyCreate = header + `r.post("/", async (req) => {\n  const { tenantId } = req.body;\n  await prisma.task.create({ data: { tenantId, projectId: "p", title: "t" } });\n});`;
const params = header + `r.get("/:t", async (req, res) => {\n  res.json(await prisma.task.findMany({ where: { tenantId: req.params.t } }));\n});`;
const crossFile = header + `r.get("/", async (req, res) => {\n  const t = String(req.query.tenant);\n  res.json(await tasks.listForTenant(t));\n});`;
const wholeBody =
  header +
  `export async function POST(request: Request) {\n  const payload = (await request.json()) as { tenantId: string; projectId: string; title: string };\n  return prisma.task.create({ data: payload });\n}`;
const forwardedHeaders =
  header +
  `import type { IncomingHttpHeaders } from "node:http";\nexport const f = (ctx: { headers: IncomingHttpHeaders }) => prisma.task.count({ where: { tenantId: String(ctx.headers["x-tenant"]) } });`;
// The callee is reached under other names than its own: a property of an object, then a destructured alias.
const listByTenant = `function listIt(t: string) {\n  return prisma.task.findMany({ where: { tenantId: t } });\n}\nconst handlers = { byTenant: listIt };\nconst { byTenant: fetchRows } = handlers;\n`;
const throughProperty = header + listByTenant + `r.get("/", async (req, res) => {\n  res.json(await handlers.byTenant(String(req.query.t)));\n});`;
const throughAlias = header + listByTenant + `r.get("/", async (req, res) => {\n  res.json(await fetchRows(String(req.query.t)));\n});`;
const context = header + `r.get("/", async (req, res) => {\n  const ctx: TenantContext = { tenantId: req.header("x-tenant") ?? "", slug: "" };\n  res.json(await tasks.listFor(ctx));\n});`;

// A cookie parsed by hand: each step (a loop over the parts, destructuring, string methods) keeps the client's value.
const parsedCookie =
  header +
  `function readCookie(cookies: string | undefined, name: string): string | undefined {\n  for (const part of (cookies ?? "").split(";")) {\n    const [key, ...rest] = part.trim().split("=");\n    if (key === name) return decodeURIComponent(rest.join("="));\n  }\n  return undefined;\n}\n` +
  `r.get("/", async (req, res) => {\n  const tenantId = readCookie(req.headers.cookie, "tenant") ?? "";\n  res.json(await prisma.task.findMany({ where: { tenantId } }));\n});`;

export default {
  fixture: "prisma-express",
  valid: [
    header + `r.get("/", async (req, res) => {\n  res.json(await tasks.listFor(tenantOf(req)));\n});`,
    header + `r.get("/", async (req, res) => {\n  res.json(await tasks.listForTenant(req.user!.tenantId));\n});`,
    header + `r.get("/:id", async (req, res) => {\n  const ctx = tenantOf(req);\n  res.json(await prisma.task.findFirst({ where: { id: req.params.id, tenantId: ctx.tenantId } }));\n});`,
    header +
      `r.post("/batch", async (req) => {\n  const ctx = tenantOf(req);\n  const rows = (req.body as { title: string }[]).map((t) => ({ tenantId: ctx.tenantId, projectId: "p", title: t.title }));\n  await prisma.task.createMany({ data: rows });\n});`,
    header +
      `export async function POST(request: Request, ctx: TenantContext) {\n  const payload = (await request.json()) as { title: string };\n  return prisma.task.create({ data: { ...payload, tenantId: ctx.tenantId, projectId: "p" } });\n}`,
    header + `r.post("/", async (req) => {\n  await prisma.country.create({ data: { code: req.body.code, name: req.body.name } });\n});`,
  ],
  invalid: [
    { code: bodyCreate, errors: [{ messageId: "clientTenantId", ...positionOf(bodyCreate, "prisma.task.create") }] },
    { code: params, errors: [{ messageId: "clientTenantId", ...positionOf(params, "prisma.task.findMany") }] },
    { code: crossFile, errors: [{ messageId: "clientTenantId", ...positionOf(crossFile, "tasks.listForTenant(t)") }] },
    { code: wholeBody, errors: [{ messageId: "clientTenantId", ...positionOf(wholeBody, "prisma.task.create") }] },
    { code: forwardedHeaders, errors: [{ messageId: "clientTenantId", ...positionOf(forwardedHeaders, "prisma.task.count") }] },
    { code: throughProperty, errors: [{ messageId: "clientTenantId", ...positionOf(throughProperty, "handlers.byTenant(") }] },
    { code: throughAlias, errors: [{ messageId: "clientTenantId", ...positionOf(throughAlias, "fetchRows(String") }] },
    { code: context, errors: [{ messageId: "clientTenantId", ...positionOf(context, "{ tenantId: req") }] },
    { code: parsedCookie, errors: [{ messageId: "clientTenantId", ...positionOf(parsedCookie, "prisma.task.findMany") }] },
  ],
} satisfies OrmCases<"clientTenantId">;
