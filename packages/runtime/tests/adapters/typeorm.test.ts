import type { EventEmitter } from "node:events";
import { afterAll, beforeAll, describe } from "vitest";
import { DataSource, EntitySchema } from "typeorm";
import { getPGliteInstance, PGliteDriver } from "typeorm-pglite";
import { typeormTenantAdapter, withTypeormTenantTransaction } from "../../src/adapters/typeorm.js";
import { TenantScopedRepository } from "../../src/index.js";
import { describeTenantIsolationContract } from "../../src/testing/index.js";
import { createServerSchema, preparePglite, projectRows, rlsBackstopTests, serverUrl, type RlsHarness, type ServerSchema } from "../support/db.js";

interface Project {
  id: string;
  tenantId: string;
  key: string;
  name: string;
}
interface Note {
  id: string;
  tenantId: string;
  body: string;
}

// EntitySchema rather than decorators: the same mapping, without depending on decorator emit settings.
const ProjectEntity = new EntitySchema<Project>({
  name: "Project",
  tableName: "projects",
  columns: {
    id: { type: "uuid", primary: true, generated: "uuid" },
    tenantId: { type: "uuid", name: "tenant_id" },
    key: { type: "text" },
    name: { type: "text" },
  },
});
const NoteEntity = new EntitySchema<Note>({
  name: "Note",
  tableName: "notes",
  columns: {
    id: { type: "uuid", primary: true, generated: "uuid" },
    tenantId: { type: "uuid", name: "tenant_id" },
    body: { type: "text" },
  },
});

function contractSubject(dataSource: DataSource) {
  return {
    repository: new TenantScopedRepository(typeormTenantAdapter(dataSource.getRepository(ProjectEntity))),
    ...projectRows,
  };
}

function rlsHarness(dataSource: DataSource): RlsHarness {
  const tenantIds = (rows: Note[]) => rows.map((row) => row.tenantId);
  return {
    insertNote: (ctx, body) =>
      withTypeormTenantTransaction(dataSource, ctx, async (manager) => void (await manager.getRepository(NoteEntity).insert({ tenantId: ctx.tenantId, body }))),
    insertNoteAs: (ctx, tenantId) =>
      withTypeormTenantTransaction(dataSource, ctx, async (manager) => void (await manager.getRepository(NoteEntity).insert({ tenantId, body: "x" }))),
    unfilteredTenantIds: (ctx) =>
      withTypeormTenantTransaction(dataSource, ctx, async (manager) => tenantIds(await manager.getRepository(NoteEntity).find())),
    unfilteredTenantIdsWithoutTenant: async () => tenantIds(await dataSource.getRepository(NoteEntity).find()),
    roleFlags: async () => (await dataSource.query("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"))[0],
  };
}

describe("typeorm adapter on PGlite (typeorm-pglite)", () => {
  let dataSource: DataSource;
  beforeAll(async () => {
    const driver = new PGliteDriver().driver;
    // typeorm-pglite keeps one PGlite per process; prepare it before TypeORM connects.
    await preparePglite(await getPGliteInstance());
    // installExtensions: false — the app role may not CREATE EXTENSION, and the tables use gen_random_uuid().
    dataSource = await new DataSource({ type: "postgres", driver, installExtensions: false, entities: [ProjectEntity, NoteEntity] }).initialize();
    // typeorm-pglite hands the same pool object out as every connection, and TypeORM adds an error
    // listener per connection in use: the concurrency test legitimately has more than 10 at once.
    (dataSource.driver as unknown as { master: EventEmitter }).master.setMaxListeners(64);
  });
  afterAll(async () => {
    await dataSource?.destroy();
  });

  describeTenantIsolationContract("typeorm on PGlite", () => contractSubject(dataSource));
  describe("RLS backstop", () => rlsBackstopTests(() => rlsHarness(dataSource)));
});

describe.runIf(serverUrl)("typeorm adapter on the PostgreSQL server", () => {
  let dataSource: DataSource;
  let schema: ServerSchema;
  beforeAll(async () => {
    schema = await createServerSchema("typeorm");
    dataSource = await new DataSource({
      type: "postgres",
      url: serverUrl,
      schema: schema.schema,
      poolSize: 4,
      installExtensions: false,
      entities: [ProjectEntity, NoteEntity],
    }).initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await schema?.drop();
  });

  describeTenantIsolationContract("typeorm on PostgreSQL", () => contractSubject(dataSource));
  describe("RLS backstop", () => rlsBackstopTests(() => rlsHarness(dataSource)));
});
