import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prismaTenantAdapter, withPrismaTenantTransaction } from "../../src/adapters/prisma.js";
import { TenantScopedRepository } from "../../src/index.js";
import { describeTenantIsolationContract } from "../../src/testing/index.js";
import { createServerSchema, preparePglite, projectRows, rlsBackstopTests, serverUrl, type RlsHarness, type ServerSchema } from "../support/db.js";
import type { Note, PrismaClient, Project } from "../prisma/generated/client/client.js";

const tenantSql = readFileSync(path.join(import.meta.dirname, "..", "..", "schema", "tenant.sql"), "utf8");

// The client is generated from tests/prisma/main.prisma + schema/tenant.prisma before it is imported.
async function loadPrismaClientClass(): Promise<typeof PrismaClient> {
  execFileSync(process.execPath, [path.join(import.meta.dirname, "..", "prisma", "generate.mjs")], { stdio: "ignore" });
  return (await import("../prisma/generated/client/client.js")).PrismaClient;
}

function contractSubject(prisma: PrismaClient) {
  return {
    repository: new TenantScopedRepository<Project>(prismaTenantAdapter<Project>(prisma.project)),
    ...projectRows,
  };
}

function rlsHarness(prisma: PrismaClient): RlsHarness {
  const tenantIds = (rows: Note[]) => rows.map((row) => row.tenantId);
  return {
    insertNote: (ctx, body) => withPrismaTenantTransaction(prisma, ctx, async (tx) => void (await tx.note.create({ data: { tenantId: ctx.tenantId, body } }))),
    insertNoteAs: (ctx, tenantId) => withPrismaTenantTransaction(prisma, ctx, async (tx) => void (await tx.note.create({ data: { tenantId, body: "x" } }))),
    unfilteredTenantIds: (ctx) => withPrismaTenantTransaction(prisma, ctx, async (tx) => tenantIds(await tx.note.findMany())),
    unfilteredTenantIdsWithoutTenant: async () => tenantIds(await prisma.note.findMany()),
    roleFlags: async () =>
      (await prisma.$queryRawUnsafe<{ rolsuper: boolean; rolbypassrls: boolean }[]>("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"))[0]!,
  };
}

function tenantModelTests(prisma: () => PrismaClient): void {
  it("schema/tenant.prisma maps onto the table schema/tenant.sql creates", async () => {
    const slug = `t${Date.now().toString(36)}`;
    const created = await prisma().tenant.create({ data: { name: "Acme", slug } });
    expect(created).toMatchObject({ name: "Acme", slug, isActive: true });
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(await prisma().tenant.findUnique({ where: { slug } })).toEqual(created);
    await expect(prisma().tenant.create({ data: { name: "Copy", slug } })).rejects.toThrow(/Unique constraint/);
  });
}

describe("prisma adapter on PGlite (pglite-prisma-adapter)", () => {
  let prisma: PrismaClient;
  beforeAll(async () => {
    const Client = await loadPrismaClientClass();
    const pglite = new PGlite();
    await preparePglite(pglite);
    await pglite.exec(tenantSql);
    prisma = new Client({ adapter: new PrismaPGlite(pglite) });
  });
  afterAll(async () => {
    await prisma?.$disconnect();
  });

  describeTenantIsolationContract("prisma on PGlite", () => contractSubject(prisma));
  describe("RLS backstop", () => rlsBackstopTests(() => rlsHarness(prisma)));
  describe("reference Tenant model", () => tenantModelTests(() => prisma));
});

describe.runIf(serverUrl)("prisma adapter on the PostgreSQL server (@prisma/adapter-pg)", () => {
  let prisma: PrismaClient;
  let schema: ServerSchema;
  beforeAll(async () => {
    const Client = await loadPrismaClientClass();
    schema = await createServerSchema("prisma", tenantSql);
    prisma = new Client({ adapter: new PrismaPg({ connectionString: serverUrl, max: 4 }, { schema: schema.schema }) });
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await schema?.drop();
  });

  describeTenantIsolationContract("prisma on PostgreSQL", () => contractSubject(prisma));
  describe("RLS backstop", () => rlsBackstopTests(() => rlsHarness(prisma)));
  describe("reference Tenant model", () => tenantModelTests(() => prisma));
});
