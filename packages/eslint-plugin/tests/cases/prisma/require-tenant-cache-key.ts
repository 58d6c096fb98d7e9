import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import { Redis } from "ioredis";\nimport type { TenantContext } from "./tenancy/context.js";\nconst redis = new Redis();\nconst cache = new Map<string, string>();\n`;
const redisGet = header + "export const f = (ctx: TenantContext, id: string) => redis.get(`summary:${id}`);";
const mapSet = header + "export const f = (ctx: TenantContext, id: string) => cache.set(id, ctx.slug);";
const viaLocal = header + "export async function f(req: { tenant: TenantContext }, id: string) {\n  const ctx = req.tenant;\n  return redis.del(`report:${id}`);\n}";

export default {
  fixture: "prisma-express",
  valid: [
    header + "export const f = (ctx: TenantContext, id: string) => redis.get(`tenant:${ctx.tenantId}:summary:${id}`);",
    header + "export const f = (ctx: TenantContext, id: string) => { const key = `t:${ctx.tenantId}:${id}`; return redis.set(key, \"v\"); };",
    header + "const keyOf = (ctx: TenantContext, id: string) => `${ctx.tenantId}:${id}`;\nexport const f = (ctx: TenantContext, id: string) => cache.get(keyOf(ctx, id));",
    header + 'export const f = () => redis.get("exchange-rates");',
    header + "export const f = (tenantId: string, name: string) => cache.set(tenantId, name);",
  ],
  invalid: [
    { code: redisGet, errors: [{ messageId: "cacheKeyWithoutTenant", ...positionOf(redisGet, "redis.get") }] },
    { code: mapSet, errors: [{ messageId: "cacheKeyWithoutTenant", ...positionOf(mapSet, "cache.set") }] },
    { code: viaLocal, errors: [{ messageId: "cacheKeyWithoutTenant", ...positionOf(viaLocal, "redis.del") }] },
  ],
} satisfies OrmCases<"cacheKeyWithoutTenant">;
