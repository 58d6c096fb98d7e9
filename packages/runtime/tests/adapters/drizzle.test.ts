import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import { pgTable, text, uuid } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import pg from "pg";
import { afterAll, beforeAll, describe } from "vitest";
import { drizzleTenantAdapter, withDrizzleTenantTransaction, type AnyPgDatabase } from "../../src/adapters/drizzle.js";
import { TenantScopedRepository } from "../../src/index.js";
import { describeTenantIsolationContract } from "../../src/testing/index.js";
import { createServerSchema, preparePglite, projectRows, rlsBackstopTests, serverUrl, type RlsHarness, type ServerSchema } from "../support/db.js";

const projects = pgTable("projects", {
  id: uuid("id").primaryKey().defaultRandom(),
  tenantId: uuid("tenant_id").notNull(),
  key: text("key").notNull(),
  name: text("name").notNull(),
});
const notes = pgTable("notes", {
  id: uuid("id").primaryKey().defaultRandom(),
  tenantId: uuid("tenant_id").notNull(),
  body: text("body").notNull(),
});

function contractSubject(db: AnyPgDatabase) {
  return {
    repository: new TenantScopedRepository(drizzleTenantAdapter(db, projects)),
    newRow: (key: string) => ({ ...projectRows.newRow(key), tenantId: "" }), // tenantId is overwritten from the context
    patch: projectRows.patch,
  };
}

function rlsHarness(db: AnyPgDatabase): RlsHarness {
  const tenantIds = (rows: { tenantId: string }[]) => rows.map((row) => row.tenantId);
  return {
    insertNote: (ctx, body) => withDrizzleTenantTransaction(db, ctx, async (tx) => void (await tx.insert(notes).values({ tenantId: ctx.tenantId, body }))),
    insertNoteAs: (ctx, tenantId) => withDrizzleTenantTransaction(db, ctx, async (tx) => void (await tx.insert(notes).values({ tenantId, body: "x" }))),
    unfilteredTenantIds: (ctx) => withDrizzleTenantTransaction(db, ctx, async (tx) => tenantIds(await tx.select({ tenantId: notes.tenantId }).from(notes))),
    unfilteredTenantIdsWithoutTenant: async () => tenantIds(await db.select({ tenantId: notes.tenantId }).from(notes)),
    roleFlags: async () => {
      const result = await db.execute(sql`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`);
      return (result as unknown as { rows: { rolsuper: boolean; rolbypassrls: boolean }[] }).rows[0]!;
    },
  };
}

describe("drizzle adapter on PGlite (drizzle-orm/pglite)", () => {
  let db: AnyPgDatabase;
  let pglite: PGlite;
  beforeAll(async () => {
    pglite = new PGlite();
    await preparePglite(pglite);
    db = drizzlePglite(pglite);
  });
  afterAll(async () => {
    await pglite?.close();
  });

  describeTenantIsolationContract("drizzle on PGlite", () => contractSubject(db));
  describe("RLS backstop", () => rlsBackstopTests(() => rlsHarness(db)));
});

describe.runIf(serverUrl)("drizzle adapter on the PostgreSQL server", () => {
  let db: AnyPgDatabase;
  let pool: pg.Pool;
  let schema: ServerSchema;
  beforeAll(async () => {
    schema = await createServerSchema("drizzle");
    pool = new pg.Pool({ connectionString: serverUrl, options: schema.searchPathOption, max: 4 });
    db = drizzleNodePg(pool);
  });
  afterAll(async () => {
    await pool?.end();
    await schema?.drop();
  });

  describeTenantIsolationContract("drizzle on PostgreSQL", () => contractSubject(db));
  describe("RLS backstop", () => rlsBackstopTests(() => rlsHarness(db)));
});
