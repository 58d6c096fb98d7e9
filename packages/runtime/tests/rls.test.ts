import { randomUUID } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTenantContext,
  generateRlsSql,
  NotATenantContextError,
  SET_TENANT_SQL,
  tenantSettingQuery,
  withTenantPoolTransaction,
  withTenantTransaction,
} from "../src/index.js";
import { createServerSchema, serverUrl, type ServerSchema } from "./support/db.js";

describe("generateRlsSql", () => {
  it("enables and forces RLS and creates a re-runnable policy reading app.tenant_id", () => {
    expect(generateRlsSql([{ table: "projects", tenantColumn: "tenant_id" }])).toBe(
      [
        `ALTER TABLE "projects" ENABLE ROW LEVEL SECURITY;`,
        `ALTER TABLE "projects" FORCE ROW LEVEL SECURITY;`,
        `DROP POLICY IF EXISTS "projects_tenant_isolation" ON "projects";`,
        `CREATE POLICY "projects_tenant_isolation" ON "projects"`,
        `  USING ("tenant_id" = NULLIF(current_setting('app.tenant_id', true), ''))`,
        `  WITH CHECK ("tenant_id" = NULLIF(current_setting('app.tenant_id', true), ''));`,
        ``,
      ].join("\n"),
    );
  });

  it("casts the setting to the column type, qualifies schemas and takes a policy name", () => {
    const sql = generateRlsSql([{ table: "billing.invoices", tenantColumn: "orgId", columnType: "uuid", policyName: "invoices_by_org" }]);
    expect(sql).toContain(`ALTER TABLE "billing"."invoices" FORCE ROW LEVEL SECURITY;`);
    expect(sql).toContain(`CREATE POLICY "invoices_by_org" ON "billing"."invoices"`);
    expect(sql).toContain(`USING ("orgId" = NULLIF(current_setting('app.tenant_id', true), '')::uuid)`);
  });

  it("emits one block per table", () => {
    const sql = generateRlsSql([
      { table: "a", tenantColumn: "t" },
      { table: "b", tenantColumn: "t" },
    ]);
    expect(sql.match(/CREATE POLICY/g)).toHaveLength(2);
    expect(sql.match(/FORCE ROW LEVEL SECURITY/g)).toHaveLength(2);
  });

  it("quotes identifiers so names cannot inject SQL", () => {
    const sql = generateRlsSql([{ table: 'evil"; DROP TABLE x; --', tenantColumn: "t" }]);
    expect(sql).toContain(`ALTER TABLE "evil""; DROP TABLE x; --" ENABLE ROW LEVEL SECURITY;`);
  });

  it.each([
    ["no tables", []],
    ["a column type with punctuation", [{ table: "a", tenantColumn: "t", columnType: "uuid); DROP TABLE a; --" }]],
    ["a three-part table name", [{ table: "db.s.t", tenantColumn: "t" }]],
    ["an empty column name", [{ table: "a", tenantColumn: "" }]],
  ])("rejects %s", (_label, tables) => {
    expect(() => generateRlsSql(tables as never)).toThrow(TypeError);
  });
});

describe("tenantSettingQuery", () => {
  it("is the transaction-local set_config with the tenant id as a bound value", () => {
    const ctx = createTenantContext({ tenantId: "t-1" });
    expect(tenantSettingQuery(ctx)).toEqual({ text: "SELECT set_config('app.tenant_id', $1, true)", values: ["t-1"] });
    expect(SET_TENANT_SQL).toBe("SELECT set_config('app.tenant_id', $1, true)");
  });

  it("refuses a forged context", () => {
    expect(() => tenantSettingQuery({ tenantId: "t-1" } as never)).toThrow(NotATenantContextError);
  });
});

const a = createTenantContext({ tenantId: randomUUID() });
const b = createTenantContext({ tenantId: randomUUID() });
const DOCS_SQL = `
CREATE TABLE docs (id serial PRIMARY KEY, tenant_id uuid NOT NULL, title text NOT NULL);
CREATE TABLE docs_not_forced (id serial PRIMARY KEY, tenant_id uuid NOT NULL, title text NOT NULL);
${generateRlsSql([{ table: "docs", tenantColumn: "tenant_id", columnType: "uuid" }])}
-- Same policy without FORCE: shows what FORCE is for (the owner would bypass it).
ALTER TABLE docs_not_forced ENABLE ROW LEVEL SECURITY;
CREATE POLICY docs_not_forced_isolation ON docs_not_forced
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
`;

describe("withTenantTransaction on PGlite as a non-superuser table owner", () => {
  let db: PGlite;
  const titles = async (table: string) => (await db.query<{ title: string }>(`SELECT title FROM ${table} ORDER BY title`)).rows.map((row) => row.title);

  beforeAll(async () => {
    db = new PGlite();
    await db.exec(`
      CREATE ROLE docs_owner NOSUPERUSER NOBYPASSRLS;
      GRANT USAGE, CREATE ON SCHEMA public TO docs_owner;
      SET ROLE docs_owner;
      ${DOCS_SQL}`);
    for (const [ctx, title] of [[a, "a-report"], [a, "a-plan"], [b, "b-secret"]] as const) {
      await withTenantTransaction(db, ctx, async (tx) => {
        await tx.query("INSERT INTO docs (tenant_id, title) VALUES ($1, $2)", [ctx.tenantId, title]);
        await tx.query("INSERT INTO docs_not_forced (tenant_id, title) VALUES ($1, $2)", [ctx.tenantId, title]);
      });
    }
  });
  afterAll(async () => {
    await db?.close();
  });

  it("a query without any tenant filter sees only the transaction's tenant", async () => {
    const seen = await withTenantTransaction(db, a, async (tx) => (await tx.query<{ title: string }>("SELECT title FROM docs ORDER BY title")).rows);
    expect(seen.map((row) => row.title)).toEqual(["a-plan", "a-report"]);
  });

  it("an update without a tenant filter changes only the transaction's tenant's rows", async () => {
    const titlesIn = (ctx: typeof a) =>
      withTenantTransaction(db, ctx, async (tx) => (await tx.query<{ title: string }>("SELECT title FROM docs ORDER BY title")).rows.map((row) => row.title));
    await withTenantTransaction(db, b, async (tx) => {
      await tx.query("UPDATE docs SET title = title || '!'");
    });
    expect(await titlesIn(b)).toEqual(["b-secret!"]);
    expect(await titlesIn(a)).toEqual(["a-plan", "a-report"]);
    await withTenantTransaction(db, b, async (tx) => {
      await tx.query("UPDATE docs SET title = 'b-secret'");
    });
  });

  it("outside a tenant transaction the forced table shows nothing, also after one ran", async () => {
    expect(await titles("docs")).toEqual([]);
  });

  it("without FORCE the owning role bypasses the policy (why generateRlsSql forces it)", async () => {
    expect(await titles("docs_not_forced")).toEqual(["a-plan", "a-report", "b-secret"]);
  });

  it("a superuser bypasses even FORCE: the app must not connect as one", async () => {
    await db.exec("RESET ROLE");
    try {
      expect(await titles("docs")).toEqual(["a-plan", "a-report", "b-secret"]);
    } finally {
      await db.exec("SET ROLE docs_owner");
    }
  });

  it("rolls back and rethrows when the work fails", async () => {
    await expect(
      withTenantTransaction(db, a, async (tx) => {
        await tx.query("INSERT INTO docs (tenant_id, title) VALUES ($1, 'a-draft')", [a.tenantId]);
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    const seen = await withTenantTransaction(db, a, async (tx) => (await tx.query<{ title: string }>("SELECT title FROM docs")).rows);
    expect(seen.map((row) => row.title)).not.toContain("a-draft");
  });

  it("refuses a forged context before touching the database", async () => {
    await expect(withTenantTransaction(db, { tenantId: a.tenantId } as never, async () => "ran")).rejects.toBeInstanceOf(NotATenantContextError);
  });
});

describe.runIf(serverUrl)("withTenantPoolTransaction with a pg.Pool on the PostgreSQL server", () => {
  let pool: pg.Pool;
  let schema: ServerSchema;
  const countDocs = async () => Number((await pool.query<{ n: string }>("SELECT count(*) AS n FROM docs")).rows[0]!.n);

  beforeAll(async () => {
    schema = await createServerSchema("rls", DOCS_SQL);
    // One connection: every query below reuses the connection the tenant transactions ran on.
    pool = new pg.Pool({ connectionString: serverUrl, options: schema.searchPathOption, max: 1 });
    for (const [ctx, title] of [[a, "a-report"], [b, "b-secret"]] as const) {
      await withTenantPoolTransaction(pool, ctx, async (client: pg.PoolClient) => {
        await client.query("INSERT INTO docs (tenant_id, title) VALUES ($1, $2)", [ctx.tenantId, title]);
      });
    }
  });
  afterAll(async () => {
    await pool?.end();
    await schema?.drop();
  });

  it("connects as a role RLS binds (not superuser, no BYPASSRLS)", async () => {
    const { rows } = await pool.query("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user");
    expect(rows[0]).toEqual({ rolsuper: false, rolbypassrls: false });
  });

  it("a query without any tenant filter sees only the transaction's tenant", async () => {
    const titles = await withTenantPoolTransaction(pool, b, async (client: pg.PoolClient) => (await client.query<{ title: string }>("SELECT title FROM docs")).rows);
    expect(titles).toEqual([{ title: "b-secret" }]);
  });

  it("the setting does not outlive the transaction on the pooled connection", async () => {
    await withTenantPoolTransaction(pool, a, async (client: pg.PoolClient) => client.query("SELECT 1"));
    expect(await countDocs()).toBe(0);
    const { rows } = await pool.query("SELECT current_setting('app.tenant_id', true) AS value");
    expect(rows[0].value ?? "").toBe("");
  });

  it("rolls back, rethrows and returns the connection to the pool when the work fails", async () => {
    await expect(
      withTenantPoolTransaction(pool, a, async (client: pg.PoolClient) => {
        await client.query("INSERT INTO docs (tenant_id, title) VALUES ($1, 'a-draft')", [a.tenantId]);
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    const titles = await withTenantPoolTransaction(pool, a, async (client: pg.PoolClient) => (await client.query<{ title: string }>("SELECT title FROM docs")).rows);
    expect(titles).toEqual([{ title: "a-report" }]);
  });
});
