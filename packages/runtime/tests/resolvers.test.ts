import jwt from "jsonwebtoken";
import { describe, expect, it, vi } from "vitest";
import {
  chainResolvers,
  customResolver,
  headerResolver,
  jwtClaimResolver,
  pathResolver,
  resolveTenantOrFail,
  subdomainResolver,
  TenantResolutionError,
  type TenantErrorCode,
  type TenantRequest,
  type TenantResolver,
} from "../src/index.js";
import { acme, dormant, globex, memberOf, tenantStore, type TestUser } from "./support/tenants.js";

const everyone: TestUser = { tenantIds: [acme.id, globex.id, dormant.id] };
const deps = { store: tenantStore(), authorize: memberOf };
const SECRET = "test-secret-of-at-least-32-characters!!";

function request(parts: { host?: string; path?: string; headers?: Record<string, string>; principal?: unknown }): TenantRequest {
  const headers = Object.fromEntries(Object.entries(parts.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    host: parts.host,
    path: parts.path ?? "/",
    header: (name) => headers[name.toLowerCase()],
    principal: "principal" in parts ? parts.principal : everyone,
  };
}

async function failureCode(resolver: TenantResolver, req: TenantRequest): Promise<TenantErrorCode | "resolved"> {
  try {
    await resolveTenantOrFail(resolver, req);
    return "resolved";
  } catch (error) {
    if (error instanceof TenantResolutionError) return error.code;
    throw error;
  }
}

describe("subdomainResolver", () => {
  const resolver = subdomainResolver({ ...deps, mainDomain: "example.com" });

  it("resolves the label left of the main domain, ignoring port and case", async () => {
    const ctx = await resolver.resolve(request({ host: "ACME.Example.com:8080" }));
    expect(ctx?.tenantId).toBe(acme.id);
    expect(ctx?.slug).toBe("acme");
    expect(ctx?.tenant?.name).toBe("Acme");
  });

  it.each([
    ["the bare main domain", "example.com"],
    ["an excluded subdomain", "www.example.com"],
    ["a nested subdomain", "eu.acme.example.com"],
    ["another domain", "acme.example.org"],
    ["a domain that only ends like the main one", "acmeexample.com"],
    ["an IPv6 literal", "[::1]:3000"],
    ["no host", undefined],
  ])("names no tenant for %s", async (_label, host) => {
    expect(await resolver.resolve(request({ host }))).toBeNull();
  });

  it("uses a custom exclusion list instead of the default one", async () => {
    const custom = subdomainResolver({ ...deps, mainDomain: "example.com", exclude: ["acme"] });
    expect(await custom.resolve(request({ host: "acme.example.com" }))).toBeNull();
    // "www" is no longer excluded, so it is looked up like any tenant slug.
    expect(await failureCode(custom, request({ host: "www.example.com" }))).toBe("tenant_not_found");
  });

  it("fails with tenant_not_found for an unknown tenant", async () => {
    expect(await failureCode(resolver, request({ host: "initech.example.com" }))).toBe("tenant_not_found");
  });
});

describe("pathResolver", () => {
  it("reads the segment at the configured position", async () => {
    const resolver = pathResolver({ ...deps, position: 1 });
    expect((await resolver.resolve(request({ path: "/t/globex/projects" })))?.tenantId).toBe(globex.id);
  });

  it("decodes percent-encoding and lower-cases slugs", async () => {
    const resolver = pathResolver({ ...deps });
    expect((await resolver.resolve(request({ path: "/%41cme/projects" })))?.tenantId).toBe(acme.id);
  });

  it.each([
    ["an excluded segment", "/health"],
    ["an excluded segment in another case", "/API/projects"],
    ["a path too short", "/"],
    ["malformed percent-encoding", "/%E0%A4%A/projects"],
  ])("names no tenant for %s", async (_label, path) => {
    const resolver = pathResolver({ ...deps, exclude: ["health", "api"] });
    expect(await resolver.resolve(request({ path }))).toBeNull();
  });

  it("rejects a negative position at construction", () => {
    expect(() => pathResolver({ ...deps, position: -1 })).toThrow(TypeError);
  });
});

describe("headerResolver", () => {
  const resolver = headerResolver({ ...deps });

  it("resolves X-Tenant-Id by id", async () => {
    expect((await resolver.resolve(request({ headers: { "X-Tenant-Id": globex.id } })))?.tenantId).toBe(globex.id);
  });

  it("resolves a custom header by slug", async () => {
    const bySlug = headerResolver({ ...deps, header: "X-Org", by: "slug" });
    expect((await bySlug.resolve(request({ headers: { "x-org": "globex" } })))?.tenantId).toBe(globex.id);
  });

  it("names no tenant when the header is missing or blank", async () => {
    expect(await resolver.resolve(request({}))).toBeNull();
    expect(await resolver.resolve(request({ headers: { "x-tenant-id": "  " } }))).toBeNull();
  });

  it("fails with tenant_forbidden when the header was sent twice (values joined by a comma)", async () => {
    const twice = request({ headers: { "x-tenant-id": `${acme.id}, ${globex.id}` } });
    expect(await failureCode(resolver, twice)).toBe("tenant_forbidden");
  });

  it("fails with tenant_not_found for oversized or control-character ids without asking the store", async () => {
    const findById = vi.fn(deps.store.findById.bind(deps.store));
    const guarded = headerResolver({ store: { ...deps.store, findById, findBySlug: deps.store.findBySlug.bind(deps.store) }, authorize: memberOf });
    expect(await failureCode(guarded, request({ headers: { "x-tenant-id": "x".repeat(201) } }))).toBe("tenant_not_found");
    expect(await failureCode(guarded, request({ headers: { "x-tenant-id": "a\u0000b" } }))).toBe("tenant_not_found");
    expect(findById).not.toHaveBeenCalled();
  });
});

describe("membership and status checks (shared by every resolver)", () => {
  const resolver = headerResolver({ ...deps });

  it("fails with tenant_inactive for an inactive tenant, even for a member", async () => {
    expect(await failureCode(resolver, request({ headers: { "x-tenant-id": dormant.id } }))).toBe("tenant_inactive");
  });

  it("fails with tenant_forbidden when authorize says no", async () => {
    const outsider = request({ headers: { "x-tenant-id": acme.id }, principal: { tenantIds: [globex.id] } });
    expect(await failureCode(resolver, outsider)).toBe("tenant_forbidden");
  });

  it("hands authorize the request principal and the tenant record", async () => {
    const authorize = vi.fn(() => true);
    const principal = { sub: "u-1" };
    await headerResolver({ store: deps.store, authorize }).resolve(request({ headers: { "x-tenant-id": acme.id }, principal }));
    expect(authorize).toHaveBeenCalledWith(principal, expect.objectContaining({ id: acme.id, slug: "acme" }));
  });

  it("denies when authorize returns a truthy value that is not true", async () => {
    const sloppy = headerResolver({ store: deps.store, authorize: (() => "yes") as never });
    expect(await failureCode(sloppy, request({ headers: { "x-tenant-id": acme.id } }))).toBe("tenant_forbidden");
  });

  it("treats a store answering with a different tenant as not found", async () => {
    const confused = headerResolver({ store: { findById: async () => globex, findBySlug: async () => globex }, authorize: memberOf });
    expect(await failureCode(confused, request({ headers: { "x-tenant-id": acme.id } }))).toBe("tenant_not_found");
  });

  it("lets store failures propagate instead of turning them into a tenant answer", async () => {
    const broken = headerResolver({
      store: { findById: async () => Promise.reject(new Error("db down")), findBySlug: async () => null },
      authorize: memberOf,
    });
    await expect(broken.resolve(request({ headers: { "x-tenant-id": acme.id } }))).rejects.toThrow("db down");
  });

  it("requires store and authorize", () => {
    expect(() => headerResolver({ store: deps.store } as never)).toThrow(/authorize/);
    expect(() => headerResolver({ authorize: memberOf } as never)).toThrow(/store/);
  });

  it("resolveTenantOrFail turns 'no tenant named' into tenant_required", async () => {
    expect(await failureCode(resolver, request({}))).toBe("tenant_required");
  });
});

describe("jwtClaimResolver", () => {
  const verify = (token: string) => jwt.verify(token, SECRET, { algorithms: ["HS256"] });
  const resolver = jwtClaimResolver({ ...deps, verify, authorize: (claims, tenant) => (claims as { tenants?: string[] }).tenants?.includes(tenant.id) === true });
  const bearer = (claims: object, secret = SECRET) => ({ authorization: `Bearer ${jwt.sign(claims, secret, { algorithm: "HS256" })}` });

  it("resolves the tenant claim of a verified token and authorizes with the claims", async () => {
    const ctx = await resolver.resolve(request({ headers: bearer({ tenant_id: acme.id, tenants: [acme.id] }), principal: undefined }));
    expect(ctx?.tenantId).toBe(acme.id);
  });

  it("fails with tenant_forbidden when the claims do not grant the tenant", async () => {
    const req = request({ headers: bearer({ tenant_id: acme.id, tenants: [globex.id] }) });
    expect(await failureCode(resolver, req)).toBe("tenant_forbidden");
  });

  it("fails with tenant_forbidden for a token signed with another key", async () => {
    const req = request({ headers: bearer({ tenant_id: acme.id, tenants: [acme.id] }, "another-secret-of-at-least-32-chars!!") });
    expect(await failureCode(resolver, req)).toBe("tenant_forbidden");
  });

  it("fails with tenant_forbidden for an expired token", async () => {
    const expired = { tenant_id: acme.id, tenants: [acme.id], exp: Math.floor(Date.now() / 1000) - 60 };
    expect(await failureCode(resolver, request({ headers: bearer(expired) }))).toBe("tenant_forbidden");
  });

  it("fails with tenant_forbidden when the claim is not a string", async () => {
    expect(await failureCode(resolver, request({ headers: bearer({ tenant_id: 7, tenants: [acme.id] }) }))).toBe("tenant_forbidden");
  });

  it("names no tenant without a bearer token or without the claim", async () => {
    expect(await resolver.resolve(request({ headers: { authorization: "Basic dXNlcjpwYXNz" } }))).toBeNull();
    expect(await resolver.resolve(request({ headers: bearer({ sub: "u-1" }) }))).toBeNull();
  });

  it("reads a custom claim by slug", async () => {
    const bySlug = jwtClaimResolver({ ...deps, verify, claim: "org", by: "slug", authorize: () => true });
    expect((await bySlug.resolve(request({ headers: bearer({ org: "globex" }) })))?.tenantId).toBe(globex.id);
  });
});

describe("customResolver", () => {
  it("looks up whatever the extract function returns", async () => {
    const resolver = customResolver({ ...deps, name: "query", extract: (req) => (req.path.startsWith("/g") ? { by: "slug", value: "globex" } : null) });
    expect(resolver.name).toBe("query");
    expect((await resolver.resolve(request({ path: "/go" })))?.tenantId).toBe(globex.id);
    expect(await resolver.resolve(request({ path: "/elsewhere" }))).toBeNull();
  });
});

describe("chainResolvers", () => {
  const chain = chainResolvers([
    subdomainResolver({ ...deps, mainDomain: "example.com" }),
    headerResolver({ ...deps }),
  ]);

  it("takes the first resolver that names a tenant", async () => {
    expect((await chain.resolve(request({ host: "acme.example.com" })))?.tenantId).toBe(acme.id);
    expect((await chain.resolve(request({ host: "www.example.com", headers: { "x-tenant-id": globex.id } })))?.tenantId).toBe(globex.id);
  });

  it("accepts two resolvers naming the same tenant (by slug and by id)", async () => {
    const req = request({ host: "acme.example.com", headers: { "x-tenant-id": acme.id } });
    expect((await chain.resolve(req))?.tenantId).toBe(acme.id);
  });

  it("fails with tenant_forbidden when two resolvers disagree", async () => {
    const req = request({ host: "acme.example.com", headers: { "x-tenant-id": globex.id } });
    expect(await failureCode(chain, req)).toBe("tenant_forbidden");
  });

  it("fails when any resolver fails, even after an earlier match", async () => {
    const req = request({ host: "acme.example.com", headers: { "x-tenant-id": "99999999-9999-4999-8999-999999999999" } });
    expect(await failureCode(chain, req)).toBe("tenant_not_found");
  });

  it("names no tenant when none of its resolvers does", async () => {
    expect(await chain.resolve(request({ host: "example.com" }))).toBeNull();
  });

  it("needs at least one resolver", () => {
    expect(() => chainResolvers([])).toThrow(TypeError);
  });
});
