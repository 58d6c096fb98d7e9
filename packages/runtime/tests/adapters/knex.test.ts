import { PGlite } from "@electric-sql/pglite";
import knex, { type Knex } from "knex";
import ClientPgLite from "knex-pglite";
import { afterAll, beforeAll, describe } from "vitest";
import { knexTenantAdapter, withKnexTenantTransaction } from "../../src/adapters/knex.js";
import { TenantScopedRepository } from "../../src/index.js";
import { describeTenantIsolationContract } from "../../src/testing/index.js";
import { createServerSchema, preparePglite, projectRows, rlsBackstopTests, serverUrl, type RlsHarness, type ServerSchema } from "../support/db.js";

interface ProjectRow {
  id: string;
  tenant_id: string;
  key: string;
  name: string;
}

function contractSubject(db: Knex) {
  return {
    repository: new TenantScopedRepository<ProjectRow>(knexTenantAdapter<ProjectRow>(db, "projects", { tenantKey: "tenant_id" })),
    tenantKey: "tenant_id",
    ...projectRows,
  };
}

function rlsHarness(db: Knex): RlsHarness {
  const tenantIds = (rows: { tenant_id: string }[]) => rows.map((row) => row.tenant_id);
  return {
    insertNote: (ctx, body) => withKnexTenantTransaction(db, ctx, async (trx) => void (await trx("notes").insert({ tenant_id: ctx.tenantId, body }))),
    insertNoteAs: (ctx, tenantId) => withKnexTenantTransaction(db, ctx, async (trx) => void (await trx("notes").insert({ tenant_id: tenantId, body: "x" }))),
    unfilteredTenantIds: (ctx) => withKnexTenantTransaction(db, ctx, async (trx) => tenantIds(await trx("notes").select("tenant_id"))),
    unfilteredTenantIdsWithoutTenant: async () => tenantIds(await db("notes").select("tenant_id")),
    roleFlags: async () => (await db.raw("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")).rows[0],
  };
}

describe("knex adapter on PGlite (knex-pglite)", () => {
  let db: Knex;
  beforeAll(async () => {
    const pglite = new PGlite();
    await preparePglite(pglite);
    // knex-pglite accepts an existing instance; its Knex typings do not describe that option.
    db = knex({ client: ClientPgLite, dialect: "postgres", connection: { pglite } as never });
  });
  afterAll(async () => {
    await db?.destroy();
  });

  describeTenantIsolationContract("knex on PGlite", () => contractSubject(db));
  describe("RLS backstop", () => rlsBackstopTests(() => rlsHarness(db)));
});

describe.runIf(serverUrl)("knex adapter on the PostgreSQL server", () => {
  let db: Knex;
  let schema: ServerSchema;
  beforeAll(async () => {
    schema = await createServerSchema("knex");
    db = knex({ client: "pg", connection: serverUrl, searchPath: [schema.schema], pool: { min: 0, max: 4 } });
  });
  afterAll(async () => {
    await db?.destroy();
    await schema?.drop();
  });

  describeTenantIsolationContract("knex on PostgreSQL", () => contractSubject(db));
  describe("RLS backstop", () => rlsBackstopTests(() => rlsHarness(db)));
});
