import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import express from "express";
import Fastify, { type FastifyRequest } from "fastify";
import { Hono, type Context as HonoContext } from "hono";
import Koa from "koa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireTenant, tenantMiddleware as expressTenant } from "../../src/middleware/express.js";
import { requireTenant as requireFastifyTenant, tenantHook, tenantPlugin } from "../../src/middleware/fastify.js";
import { requireTenant as requireHonoTenant, tenantMiddleware as honoTenant } from "../../src/middleware/hono.js";
import { requireTenant as requireKoaTenant, tenantMiddleware as koaTenant } from "../../src/middleware/koa.js";
import { chainResolvers, headerResolver, isTenantContext, subdomainResolver, type TenantContext, type TenantStore } from "../../src/index.js";
import { get, userFromHeader } from "../support/http.js";
import { acme, countingStore, dormant, globex, memberOf } from "../support/tenants.js";

/** What every test app answers on GET /whoami. */
interface WhoAmI {
  tenantId: string;
  slug: string;
  isContext: boolean;
  /** Whether the handler managed to replace the attached tenant (must stay false). */
  replaced: boolean;
}

interface RunningApp {
  port: number;
  store: ReturnType<typeof countingStore>;
  close(): Promise<void>;
}

/** Store that fails for one slug, to check outages surface as 500s rather than tenant answers. */
function storeWithOutage(): ReturnType<typeof countingStore> {
  const store = countingStore();
  const bySlug = store.findBySlug;
  store.findBySlug = async (slug) => (slug === "explode" ? Promise.reject(new Error("store down")) : bySlug(slug));
  return store;
}

function resolverFor(store: TenantStore) {
  const deps = { store, authorize: memberOf };
  return chainResolvers([subdomainResolver({ ...deps, mainDomain: "example.com" }), headerResolver({ ...deps })]);
}

function whoAmI(tenant: TenantContext | undefined, replaced: boolean): WhoAmI {
  return { tenantId: tenant!.tenantId, slug: tenant!.slug!, isContext: isTenantContext(tenant), replaced };
}

// Tries to swap the tenant for the rest of the request; the middlewares attach it read-only.
function tryReplace(assign: () => void): boolean {
  try {
    assign();
    return true;
  } catch {
    return false;
  }
}

const impostor = { tenantId: globex.id };

async function startExpress(): Promise<RunningApp> {
  const store = storeWithOutage();
  const options = { resolver: resolverFor(store), principal: (req: express.Request) => userFromHeader(req.headers["x-user"]) };
  const app = express();
  app.use(expressTenant(options));
  app.use(expressTenant(options)); // mounted twice on purpose: the second pass must not resolve again
  app.get("/whoami", (req, res) => {
    const replaced = tryReplace(() => Object.assign(req, { tenant: impostor }));
    res.json(whoAmI(requireTenant(req), replaced));
  });
  // Quiet 500s (the default handler prints the stack).
  app.use((_error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).send("internal error");
  });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  return { port: (server.address() as AddressInfo).port, store, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function startFastify(): Promise<RunningApp> {
  const store = storeWithOutage();
  const options = { resolver: resolverFor(store), principal: (request: { headers: Record<string, string | string[] | undefined> }) => userFromHeader(request.headers["x-user"]) };
  const app = Fastify();
  await app.register(tenantPlugin, options);
  app.addHook("onRequest", tenantHook(options)); // second registration: must not resolve again
  app.get("/whoami", async (request) => {
    const replaced = tryReplace(() => Object.assign(request, { tenant: impostor }));
    return whoAmI(requireFastifyTenant(request), replaced);
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  return { port: (app.server.address() as AddressInfo).port, store, close: () => app.close() };
}

async function startKoa(): Promise<RunningApp> {
  const store = storeWithOutage();
  const options = { resolver: resolverFor(store), principal: (ctx: Koa.Context) => userFromHeader(ctx.get("x-user") || undefined) };
  const app = new Koa();
  app.silent = true; // the outage test's 500 would otherwise be printed
  app.use(koaTenant(options));
  app.use(koaTenant(options));
  app.use(async (ctx) => {
    if (ctx.path !== "/whoami") return;
    const replaced = tryReplace(() => Object.assign(ctx.state, { tenant: impostor }));
    ctx.body = whoAmI(requireKoaTenant(ctx), replaced);
  });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  return { port: (server.address() as AddressInfo).port, store, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function startHono(): Promise<RunningApp> {
  const store = storeWithOutage();
  const options = { resolver: resolverFor(store), principal: (c: { req: { header(name: string): string | undefined } }) => userFromHeader(c.req.header("x-user")) };
  const app = new Hono(); // requireTenant works without declaring TenantEnv
  app.use("*", honoTenant(options));
  app.use("*", honoTenant(options));
  // Hono's context variables are plain storage; the read-only guarantee there is the frozen context itself.
  app.get("/whoami", (c) => c.json(whoAmI(requireHonoTenant(c), false)));
  app.onError((_error, c) => c.text("internal error", 500));
  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>((resolve) => {
    const running = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => resolve({ server: running, port: info.port }));
  });
  return { port, store, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const member = { "x-user": `${acme.id} ${globex.id} ${dormant.id}` };

describe.each([
  ["Express", startExpress],
  ["Fastify", startFastify],
  ["Koa", startKoa],
  ["Hono", startHono],
])("%s tenant middleware over HTTP", (_name, start) => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await start();
  });
  afterAll(async () => {
    await app?.close();
  });

  it("attaches the resolved, read-only TenantContext", async () => {
    const response = await get(app.port, "/whoami", { host: "acme.example.com", ...member });
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ tenantId: acme.id, slug: "acme", isContext: true, replaced: false } satisfies WhoAmI);
  });

  it("resolves once per request even when mounted twice", async () => {
    const before = app.store.lookups;
    await get(app.port, "/whoami", { host: "globex.example.com", ...member });
    expect(app.store.lookups - before).toBe(1);
  });

  it.each([
    ["no tenant in the request", { host: "example.com", ...member }, 400, "tenant_required", "This request must identify a tenant."],
    ["an unknown tenant", { host: "initech.example.com", ...member }, 404, "tenant_not_found", "The tenant does not exist."],
    ["an inactive tenant", { host: "dormant.example.com", ...member }, 403, "tenant_inactive", "The tenant is not active."],
    ["a caller who is not a member", { host: "acme.example.com", "x-user": globex.id }, 403, "tenant_forbidden", "Access to this tenant is not allowed."],
    ["an anonymous caller", { host: "acme.example.com" }, 403, "tenant_forbidden", "Access to this tenant is not allowed."],
    ["subdomain and header naming different tenants", { host: "acme.example.com", "x-tenant-id": globex.id, ...member }, 403, "tenant_forbidden", "Access to this tenant is not allowed."],
  ])("answers %s with the canonical JSON error", async (_label, headers, status, code, message) => {
    const response = await get(app.port, "/whoami", headers);
    expect(response.status).toBe(status);
    expect(response.contentType).toMatch(/^application\/json/);
    expect(response.json()).toEqual({ error: { code, message } });
  });

  it("lets a store outage fail the request with a 500, not a tenant answer", async () => {
    const response = await get(app.port, "/whoami", { host: "explode.example.com", ...member });
    expect(response.status).toBe(500);
    expect(response.text).not.toMatch(/tenant_/);
  });
});

describe("requireTenant", () => {
  const lookAlike = { tenantId: acme.id };
  it("Express: throws for a request the middleware did not handle, or one carrying a look-alike tenant", () => {
    expect(() => requireTenant({} as express.Request)).toThrow(/mount tenantMiddleware/);
    expect(() => requireTenant({ tenant: lookAlike } as unknown as express.Request)).toThrow(/mount tenantMiddleware/);
  });
  it("Fastify: throws without the hook, or for a look-alike", () => {
    expect(() => requireFastifyTenant({} as FastifyRequest)).toThrow(/mount tenantHook or tenantPlugin/);
    expect(() => requireFastifyTenant({ tenant: lookAlike } as unknown as FastifyRequest)).toThrow(/mount tenantHook or tenantPlugin/);
  });
  it("Koa: throws without the middleware, or for a look-alike in ctx.state", () => {
    expect(() => requireKoaTenant({ state: {} } as Koa.Context)).toThrow(/mount tenantMiddleware/);
    expect(() => requireKoaTenant({ state: { tenant: lookAlike } } as unknown as Koa.Context)).toThrow(/mount tenantMiddleware/);
  });
  it("Hono: throws without the middleware, or for a look-alike variable", () => {
    const contextWith = (tenant: unknown) => ({ get: (key: string) => (key === "tenant" ? tenant : undefined) }) as unknown as HonoContext;
    expect(() => requireHonoTenant(contextWith(undefined))).toThrow(/mount tenantMiddleware/);
    expect(() => requireHonoTenant(contextWith(lookAlike))).toThrow(/mount tenantMiddleware/);
  });
});
