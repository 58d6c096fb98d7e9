import "reflect-metadata";
import type { AddressInfo } from "node:net";
import { Controller, Get, Module, UseGuards, type INestApplication } from "@nestjs/common";
import { NestFactory } from "@nestjs/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Tenant, TenantGuard, type NestHttpRequest } from "../../src/middleware/nestjs.js";
import { headerResolver, isTenantContext, pathResolver, chainResolvers, type TenantContext } from "../../src/index.js";
import { get, userFromHeader } from "../support/http.js";
import { acme, countingStore, dormant, globex, memberOf } from "../support/tenants.js";

const store = countingStore();
const deps = { store, authorize: memberOf };
const options = {
  resolver: chainResolvers([pathResolver({ ...deps, position: 1, exclude: ["public"] }), headerResolver({ ...deps })]),
  principal: (request: NestHttpRequest) => userFromHeader(request.headers["x-user"]),
};
// Two guard instances on one route: the second must reuse what the first attached.
const guard = new TenantGuard(options);
const secondGuard = new TenantGuard(options);

@Controller("t")
@UseGuards(guard, secondGuard)
class TenantController {
  @Get(":slug/whoami")
  whoAmI(@Tenant() tenant: TenantContext) {
    return { tenantId: tenant.tenantId, slug: tenant.slug, isContext: isTenantContext(tenant) };
  }
}

@Controller("unguarded")
class UnguardedController {
  @Get()
  oops(@Tenant() tenant: TenantContext) {
    return { tenantId: tenant.tenantId };
  }
}

@Module({ controllers: [TenantController, UnguardedController] })
class AppModule {}

const member = { "x-user": `${acme.id} ${globex.id} ${dormant.id}` };

describe("NestJS TenantGuard and @Tenant() over HTTP (platform-express)", () => {
  let app: INestApplication;
  let port: number;
  beforeAll(async () => {
    app = await NestFactory.create(AppModule, { logger: false });
    await app.listen(0, "127.0.0.1");
    port = (app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(async () => {
    await app?.close();
  });

  it("injects the resolved TenantContext with @Tenant()", async () => {
    const response = await get(port, "/t/acme/whoami", member);
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ tenantId: acme.id, slug: "acme", isContext: true });
  });

  it("resolves once per request even with two guards", async () => {
    const before = store.lookups;
    await get(port, "/t/globex/whoami", member);
    expect(store.lookups - before).toBe(1);
  });

  it.each([
    ["an unknown tenant", "/t/initech/whoami", member, 404, "tenant_not_found"],
    ["an inactive tenant", "/t/dormant/whoami", member, 403, "tenant_inactive"],
    ["a caller who is not a member", "/t/acme/whoami", { "x-user": globex.id }, 403, "tenant_forbidden"],
    ["path and header naming different tenants", "/t/acme/whoami", { ...member, "x-tenant-id": globex.id }, 403, "tenant_forbidden"],
    ["no tenant in the request", "/t/public/whoami", member, 400, "tenant_required"],
  ])("answers %s with the canonical JSON error", async (_label, path, headers, status, code) => {
    const response = await get(port, path, headers);
    expect(response.status).toBe(status);
    expect(response.contentType).toMatch(/^application\/json/);
    expect(response.json()).toEqual({ error: { code, message: expect.any(String) } });
  });

  it("fails a route that uses @Tenant() without the guard with a 500", async () => {
    const response = await get(port, "/unguarded", { ...member, "x-tenant-id": acme.id });
    expect(response.status).toBe(500);
    expect(response.text).not.toContain(acme.id);
  });
});
