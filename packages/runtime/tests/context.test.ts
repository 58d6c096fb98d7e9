import { describe, expect, it } from "vitest";
import { assertTenantContext, createTenantContext, isTenantContext, NotATenantContextError } from "../src/index.js";
import { acme } from "./support/tenants.js";

describe("createTenantContext", () => {
  it("carries tenantId, slug and the tenant record", () => {
    const ctx = createTenantContext({ tenantId: acme.id, tenant: acme });
    expect(ctx.tenantId).toBe(acme.id);
    expect(ctx.slug).toBe("acme");
    expect(ctx.tenant).toEqual(acme);
  });

  it("omits slug and tenant when not given", () => {
    const ctx = createTenantContext({ tenantId: "t-1" });
    expect(Object.keys(ctx)).toEqual(["tenantId"]);
  });

  it("is frozen, and so is the tenant record it carries", () => {
    const ctx = createTenantContext({ tenantId: acme.id, tenant: acme });
    expect(Object.isFrozen(ctx)).toBe(true);
    expect(Object.isFrozen(ctx.tenant)).toBe(true);
    expect(() => {
      (ctx as { tenantId: string }).tenantId = "other";
    }).toThrow(TypeError);
  });

  it("copies the tenant so later edits to the source record do not reach the context", () => {
    const source = { ...acme, createdAt: new Date(acme.createdAt) };
    const ctx = createTenantContext({ tenantId: acme.id, tenant: source });
    source.isActive = false;
    source.createdAt.setFullYear(1999);
    expect(ctx.tenant?.isActive).toBe(true);
    expect(ctx.tenant?.createdAt.getFullYear()).toBe(2026);
  });

  it.each([
    ["an empty tenantId", { tenantId: "" }],
    ["a blank tenantId", { tenantId: "   " }],
    ["a non-string tenantId", { tenantId: 42 }],
    ["an empty slug", { tenantId: "t", slug: "" }],
    ["a tenant whose id differs", { tenantId: "other", tenant: acme }],
    ["a slug that differs from the tenant's", { tenantId: acme.id, slug: "globex", tenant: acme }],
  ])("rejects %s", (_label, input) => {
    expect(() => createTenantContext(input as never)).toThrow(TypeError);
  });
});

describe("isTenantContext", () => {
  it("accepts contexts made by createTenantContext", () => {
    expect(isTenantContext(createTenantContext({ tenantId: "t-1" }))).toBe(true);
  });

  it.each([
    ["a look-alike object", Object.freeze({ tenantId: "t-1" })],
    ["a copy of a real context", { ...createTenantContext({ tenantId: "t-1" }) }],
    ["an object inheriting from a real context", Object.create(createTenantContext({ tenantId: "t-1" }))],
    ["null", null],
    ["a string", "t-1"],
  ])("rejects %s", (_label, value) => {
    expect(isTenantContext(value)).toBe(false);
  });

  it("assertTenantContext throws NotATenantContextError naming the caller", () => {
    expect(() => assertTenantContext({ tenantId: "t-1" }, "reportJob")).toThrow(NotATenantContextError);
    expect(() => assertTenantContext({ tenantId: "t-1" }, "reportJob")).toThrow(/reportJob/);
  });
});
