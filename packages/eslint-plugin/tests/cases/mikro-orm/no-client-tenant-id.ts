import { positionOf, type OrmCases } from "../../rule-tester.js";

// A tRPC instance whose context carries a header: `createContext` reads it, resolvers use `ctx`.
const context = (setByMiddleware: boolean) =>
  [
    `import type { IncomingMessage } from "node:http";`,
    `import type { EntityManager } from "@mikro-orm/postgresql";`,
    `import { initTRPC } from "@trpc/server";`,
    `import { Customer } from "./entities/customer.entity.js";`,
    `declare const em: EntityManager;`,
    `declare function verifiedTenant(userTenant: string | undefined): string;`,
    `export function createContext({ req }: { req: IncomingMessage }) {`,
    `  const requested = req.headers["x-tenant-id"];`,
    `  return { tenantId: Array.isArray(requested) ? requested[0] : requested };`,
    `}`,
    `const t = initTRPC.context<Awaited<ReturnType<typeof createContext>>>().create();`,
    setByMiddleware
      ? `const procedure = t.procedure.use(({ ctx, next }) => next({ ctx: { tenantId: verifiedTenant(ctx.tenantId) } }));`
      : `const procedure = t.procedure;`,
    ``,
  ].join("\n");
const fromHeader = context(false) + `export const router = t.router({ list: procedure.query(({ ctx }) => em.find(Customer, { tenantId: ctx.tenantId })) });`;

// A criteria object given the tenant key after it is built (`where.tenantId = ...`).
const writtenLater =
  context(false) +
  `export const router = t.router({\n  count: procedure.input((raw) => raw as { tenant?: string }).query(({ input }) => {\n    const where: { tenantId?: string; name?: string } = { name: "x" };\n    where.tenantId = input.tenant;\n    return em.count(Customer, where);\n  }),\n});`;

export default {
  fixture: "mikroorm-trpc",
  valid: [
    // A middleware replaces the context's tenant with a verified one.
    context(true) + `export const router = t.router({ list: procedure.query(({ ctx }) => em.find(Customer, { tenantId: ctx.tenantId })) });`,
  ],
  invalid: [
    { code: fromHeader, errors: [{ messageId: "clientTenantId", ...positionOf(fromHeader, "em.find(") }] },
    { code: writtenLater, errors: [{ messageId: "clientTenantId", ...positionOf(writtenLater, "em.count(") }] },
  ],
} satisfies OrmCases<"clientTenantId">;
