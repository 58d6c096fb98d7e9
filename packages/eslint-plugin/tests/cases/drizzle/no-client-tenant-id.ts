import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = [
  `import { Hono } from "hono";`,
  `import { getCookie } from "hono/cookie";`,
  `import { eq } from "drizzle-orm";`,
  `import { db } from "./db/client.js";`,
  `import { customers } from "./db/schema.js";`,
  `import type { OrgContext } from "./org/org-context.js";`,
  `export const app = new Hono<{ Variables: { org: OrgContext } }>();`,
  ``,
].join("\n");

// Hono's cookie helper reads what the client sent, like `c.req.header(...)`.
const fromCookie = header + `app.get("/c", async (c) => c.json(await db.select().from(customers).where(eq(customers.orgId, getCookie(c, "org") ?? ""))));`;

export default {
  fixture: "drizzle-hono",
  valid: [header + `app.get("/c", async (c) => c.json(await db.select().from(customers).where(eq(customers.orgId, c.get("org").orgId))));`],
  invalid: [{ code: fromCookie, errors: [{ messageId: "clientTenantId", ...positionOf(fromCookie, "db.select()") }] }],
} satisfies OrmCases<"clientTenantId">;
