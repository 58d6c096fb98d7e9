import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import { Redis } from "ioredis";\nimport type { TenantContext } from "./tenancy/context.js";\nconst redis = new Redis();\nconst cache = new Map<string, string>();\n`;
const redisGet = header + "export const f = (ctx: TenantContext, id: string) => redis.get(`summary:${id}`);";
const mapSet = header + "export const f = (ctx: TenantContext, id: string) => cache.set(id, ctx.slug);";
const viaLocal = header + "export async function f(req: { tenant: TenantContext }, id: string) {\n  const ctx = req.tenant;\n  return redis.del(`report:${id}`);\n}";
// A helper that passes its parameter into a cache key: its callers' keys must hold the tenant.
const viaWrapper =
  header + "async function remember(key: string, load: () => Promise<string>) {\n  return (await redis.get(`cache:${key}`)) ?? load();\n}\nexport const f = (ctx: TenantContext, days: number) => remember(`board:${days}`, async () => \"x\");";
// A callback its caller hands a tenant context, declared or not.
const inTenantCallback = header + "declare function withTenant(handler: (req: Request, ctx: TenantContext) => Promise<unknown>): void;\nwithTenant(async (req) => redis.get(`board:${req.url}`));";
const afterContextCall = header + "declare function requireTenant(req: Request): Promise<TenantContext>;\nexport async function f(req: Request) {\n  await requireTenant(req);\n  return redis.get(`board:${req.url}`);\n}";
// A context value drawn from a few literals cannot tell tenants apart.
const literalField =
  'import { Redis } from "ioredis";\nconst redis = new Redis();\ninterface TenantContext { readonly tenantId: string; readonly role: "admin" | "member" }\nexport const f = (ctx: TenantContext) => redis.get(`menu:${ctx.role}`);';

export default {
  fixture: "prisma-express",
  valid: [
    header + "export const f = (ctx: TenantContext, id: string) => redis.get(`tenant:${ctx.tenantId}:summary:${id}`);",
    header + "export const f = (ctx: TenantContext, id: string) => { const key = `t:${ctx.tenantId}:${id}`; return redis.set(key, \"v\"); };",
    header + "const keyOf = (ctx: TenantContext, id: string) => `${ctx.tenantId}:${id}`;\nexport const f = (ctx: TenantContext, id: string) => cache.get(keyOf(ctx, id));",
    header + 'export const f = () => redis.get("exchange-rates");',
    header + "export const f = (tenantId: string, name: string) => cache.set(tenantId, name);",
    header + "const remember = (ctx: TenantContext, key: string) => redis.get(`t:${ctx.tenantId}:${key}`);\nexport const f = (ctx: TenantContext, id: string) => remember(ctx, `x:${id}`);",
    header + 'declare function currentTenant(): TenantContext;\nexport function f(userId: string) {\n  cache.set(userId, "seen");\n  const ctx = currentTenant();\n  return ctx;\n}',
    header + "export const f = (ctx: TenantContext) => redis.get(`${ctx.slug}:summary`);",
  ],
  invalid: [
    { code: redisGet, errors: [{ messageId: "cacheKeyWithoutTenant", ...positionOf(redisGet, "redis.get") }] },
    { code: mapSet, errors: [{ messageId: "cacheKeyWithoutTenant", ...positionOf(mapSet, "cache.set") }] },
    { code: viaLocal, errors: [{ messageId: "cacheKeyWithoutTenant", ...positionOf(viaLocal, "redis.del") }] },
    { code: viaWrapper, errors: [{ messageId: "cacheKeyWithoutTenant", ...positionOf(viaWrapper, "remember(`board") }] },
    { code: inTenantCallback, errors: [{ messageId: "cacheKeyWithoutTenant", ...positionOf(inTenantCallback, "redis.get") }] },
    { code: afterContextCall, errors: [{ messageId: "cacheKeyWithoutTenant", ...positionOf(afterContextCall, "redis.get") }] },
    { code: literalField, errors: [{ messageId: "cacheKeyWithoutTenant", ...positionOf(literalField, "redis.get") }] },
  ],
} satisfies OrmCases<"cacheKeyWithoutTenant">;
