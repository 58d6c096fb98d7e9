import { readFileSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { eq, getTableColumns } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drizzleTenantStore, tenants } from "../src/adapters/drizzle.js";
import { headerResolver, subdomainResolver } from "../src/index.js";

const tenantSql = readFileSync(path.join(import.meta.dirname, "..", "schema", "tenant.sql"), "utf8");

describe("reference tenant schema (schema/tenant.sql) and the Drizzle tenants table", () => {
  let pglite: PGlite;
  const db = () => drizzle(pglite);

  beforeAll(async () => {
    pglite = new PGlite();
    await pglite.exec(tenantSql);
    await pglite.exec(tenantSql); // IF NOT EXISTS everywhere: applying it twice is harmless
  });
  afterAll(async () => {
    await pglite?.close();
  });

  it("creates the primary key, the unique slug index and the is_active index", async () => {
    const { rows } = await pglite.query<{ indexname: string; indexdef: string }>(
      "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'tenants' ORDER BY indexname",
    );
    expect(rows.map((row) => row.indexname)).toEqual(["tenants_is_active_idx", "tenants_pkey", "tenants_slug_key"]);
    expect(rows.find((row) => row.indexname === "tenants_slug_key")?.indexdef).toMatch(/CREATE UNIQUE INDEX .* \(slug\)/);
  });

  it("declares the same columns, nullability and defaults as the Drizzle table", async () => {
    const { rows } = await pglite.query<{ column_name: string; is_nullable: string; column_default: string | null }>(
      "SELECT column_name, is_nullable, column_default FROM information_schema.columns WHERE table_name = 'tenants' ORDER BY column_name",
    );
    const drizzleColumns = Object.values(getTableColumns(tenants))
      .map((column) => ({ column_name: column.name, is_nullable: column.notNull ? "NO" : "YES", hasDefault: column.hasDefault }))
      .sort((x, y) => x.column_name.localeCompare(y.column_name));
    expect(rows.map(({ column_name, is_nullable, column_default }) => ({ column_name, is_nullable, hasDefault: column_default !== null }))).toEqual(
      drizzleColumns,
    );
  });

  it("rejects a duplicate slug and a slug that is not a lowercase DNS label", async () => {
    await db().insert(tenants).values({ name: "Unique", slug: "unique" });
    await expect(db().insert(tenants).values({ name: "Again", slug: "unique" })).rejects.toThrow();
    for (const slug of ["Upper", "-dash", "dash-", "has space", "a".repeat(64)]) {
      await expect(db().insert(tenants).values({ name: "Bad", slug }), slug).rejects.toThrow();
    }
  });

  it("drizzleTenantStore finds tenants by id and slug and feeds the resolvers", async () => {
    const [created] = await db().insert(tenants).values({ name: "Acme", slug: "acme" }).returning();
    const store = drizzleTenantStore(db());
    expect(await store.findBySlug("acme")).toEqual(created);
    expect(await store.findById(created!.id)).toEqual(created);
    expect(await store.findById("not-a-uuid")).toBeNull();

    const bySubdomain = subdomainResolver({ store, authorize: () => true, mainDomain: "example.com" });
    const request = { host: "acme.example.com", path: "/", header: () => undefined };
    expect((await bySubdomain.resolve(request))?.tenantId).toBe(created!.id);
    const byHeader = headerResolver({ store, authorize: () => true });
    await expect(byHeader.resolve({ ...request, header: () => "junk" })).rejects.toMatchObject({ code: "tenant_not_found" });
  });

  it("$onUpdate refreshes updatedAt on Drizzle updates", async () => {
    const [created] = await db().insert(tenants).values({ name: "Clock", slug: "clock", updatedAt: new Date("2020-01-01T00:00:00Z") }).returning();
    const [updated] = await db().update(tenants).set({ name: "Clock 2" }).where(eq(tenants.id, created!.id)).returning();
    expect(updated!.updatedAt.getTime()).toBeGreaterThan(created!.updatedAt.getTime());
  });
});
