#!/usr/bin/env node
// pnpm bench:perf — how fast tenant-lint is on a realistic multi-tenant monorepo.
//
// Generates a TypeScript monorepo (2,000+ files: a shared platform package with Knex, Kysely,
// Drizzle and TypeORM schemas, and four services of controller/service/repository modules, some
// with deliberate tenant bugs) in a temp dir, then times, each in a fresh process:
//   tsc --noEmit                      vs  tenant-lint check           (target ≤ 1.00x)
//   eslint, typed parser, no rules    vs  eslint + plugin recommended (target ≤ 1.10x)
//   tenant-lint check (full)          vs  check --changed-since HEAD on one changed file (≤ 0.10x)
// and prints wall times, ratios and peak resident memory. tenant-lint's commands are measured as
// a developer's repeated runs, which the daemon serves, and in a process of their own, as in CI.
//
// The commands run in rounds, each command once per round, so a ratio compares runs made side by
// side: on a shared machine the speed available drifts over minutes, which ratios of runs made far
// apart would mix in. Each ratio printed is the median of the rounds' ratios.
//
// Options: --modules N (modules per service, default 64), --runs N (rounds, default 3),
// --keep (leave the generated repo in place), --only-generate DIR (write the repo to DIR and stop),
// --cpu-prof DIR (write a V8 CPU profile of every measured command under DIR), --no-breakdown
// (skip the phase-by-phase account of where tenant-lint's time goes).
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

const root = path.resolve(import.meta.dirname, "..");
const require = createRequire(path.join(root, "package.json"));
const args = parseArgs(process.argv.slice(2));

// ---------------------------------------------------------------------------------------------
// The generated monorepo

/** The four services, one ORM each, and the nouns their modules are about. */
const SERVICES = [
  { name: "billing", orm: "knex", nouns: ["invoice", "payment", "refund", "coupon", "subscription", "plan", "credit", "tax-rate"] },
  { name: "projects", orm: "kysely", nouns: ["project", "task", "milestone", "comment", "label", "board", "sprint", "attachment"] },
  { name: "crm", orm: "drizzle", nouns: ["customer", "contact", "deal", "lead", "note", "pipeline", "activity", "segment"] },
  { name: "admin", orm: "typeorm", nouns: ["account", "role", "audit-entry", "api-key", "webhook", "setting", "team", "invite"] },
];

/** One module of a service: a table/entity and the files around it. */
function modulesOf(service, count) {
  return Array.from({ length: count }, (_, i) => {
    const noun = service.nouns[i % service.nouns.length];
    const slug = `${noun}-${i}`;
    const pascal = slug.split("-").map((part) => part[0].toUpperCase() + part.slice(1)).join("");
    return {
      index: i,
      slug,
      pascal,
      camel: pascal[0].toLowerCase() + pascal.slice(1),
      table: slug.replace(/-/g, "_"),
      // Roughly one module in five carries a tenant bug, of a kind that depends on the index.
      bug: i % 10 === 3 ? "unscoped-read" : i % 10 === 7 ? "client-tenant" : i % 25 === 11 ? "raw-sql" : undefined,
    };
  });
}

function generateRepo(dir, modulesPerService) {
  const files = new Map();
  const put = (file, text) => files.set(file, text.replace(/^\n/, ""));
  const platform = "packages/platform/src";
  const services = SERVICES.map((service) => ({ ...service, modules: modulesOf(service, modulesPerService) }));

  put("package.json", JSON.stringify({ name: "acme-platform", private: true, type: "module" }, null, 2) + "\n");
  put(
    "tsconfig.json",
    JSON.stringify(
      {
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          skipLibCheck: true,
          noEmit: true,
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
          types: ["node"],
          paths: { "@acme/platform/*": ["./packages/platform/src/*"] },
        },
        include: ["packages/*/src"],
      },
      null,
      2,
    ) + "\n",
  );
  put(
    "tenant-lint.config.json",
    JSON.stringify({ tenantKeys: ["tenantId", "tenant_id"], contextTypes: ["TenantContext"], trustedResolvers: ["packages/platform/src/tenancy/**"] }, null, 2) + "\n",
  );
  put(".gitignore", "node_modules\n");
  generatePlatform(put, platform, services);
  for (const service of services) generateService(put, service);

  for (const [file, text] of files) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  // The ORM and framework types come from the fixtures' real packages.
  fs.symlinkSync(path.join(root, "fixtures", "node_modules"), path.join(dir, "node_modules"), "dir");
  return { fileCount: [...files.keys()].filter((f) => f.endsWith(".ts")).length, services };
}

function generatePlatform(put, platform, services) {
  put(
    `${platform}/tenancy/context.ts`,
    `
/** The verified tenant of a request, set by the tenancy middleware. */
export interface TenantContext {
  readonly tenantId: string;
  readonly userId: string;
  readonly roles: readonly string[];
}

export function tenantScope(ctx: TenantContext) {
  return { tenantId: ctx.tenantId };
}
`,
  );
  put(
    `${platform}/tenancy/resolve.ts`,
    `
import type { NextFunction, Request, Response } from "express";
import type { TenantContext } from "./context.js";

// Trusted resolver: the tenant is the one the signed-in user belongs to, never the client's choice.
export function resolveTenant(req: Request, res: Response, next: NextFunction) {
  const requested = req.header("x-tenant-id");
  if (!req.user || !requested || !req.user.tenantIds.includes(requested)) return void res.status(403).end();
  req.tenant = { tenantId: requested, userId: req.user.id, roles: req.user.roles };
  next();
}

export function tenantOf(req: Request): TenantContext {
  if (!req.tenant) throw new Error("tenant context missing");
  return req.tenant;
}
`,
  );
  put(
    `${platform}/http/express.d.ts`,
    `
import type { TenantContext } from "../tenancy/context.js";

declare global {
  namespace Express {
    interface Request {
      user?: { id: string; tenantIds: string[]; roles: string[] };
      tenant?: TenantContext;
    }
  }
}

export {};
`,
  );
  put(
    `${platform}/http/errors.ts`,
    `
export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export class NotFoundError extends HttpError {
  constructor(what: string, id: string) {
    super(404, \`\${what} \${id} not found\`);
  }
}

export class ForbiddenError extends HttpError {
  constructor(action: string) {
    super(403, \`not allowed to \${action}\`);
  }
}
`,
  );
  put(
    `${platform}/events/bus.ts`,
    `
export interface DomainEvent<Type extends string = string, Payload = unknown> {
  readonly type: Type;
  readonly tenantId: string;
  readonly occurredAt: Date;
  readonly payload: Payload;
}

type Listener = (event: DomainEvent) => void | Promise<void>;
const listeners = new Map<string, Listener[]>();

export function subscribe(type: string, listener: Listener): () => void {
  const list = listeners.get(type) ?? [];
  list.push(listener);
  listeners.set(type, list);
  return () => listeners.set(type, (listeners.get(type) ?? []).filter((l) => l !== listener));
}

export async function publish<Type extends string, Payload>(event: DomainEvent<Type, Payload>): Promise<void> {
  for (const listener of listeners.get(event.type) ?? []) await listener(event);
}
`,
  );
  put(
    `${platform}/validation.ts`,
    `
export type Issue = { readonly path: string; readonly message: string };

export class ValidationError extends Error {
  constructor(readonly issues: readonly Issue[]) {
    super(issues.map((i) => \`\${i.path}: \${i.message}\`).join("; "));
  }
}

export function requireString(value: unknown, path: string, issues: Issue[]): string {
  if (typeof value !== "string" || value.length === 0) issues.push({ path, message: "expected a non-empty string" });
  return typeof value === "string" ? value : "";
}

export function requireInteger(value: unknown, path: string, issues: Issue[]): number {
  if (typeof value !== "number" || !Number.isInteger(value)) issues.push({ path, message: "expected an integer" });
  return typeof value === "number" ? value : 0;
}

export function objectOf(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}
`,
  );

  const byOrm = Object.fromEntries(services.map((s) => [s.orm, s.modules]));

  // Knex: one row interface per table, declared to Knex by augmenting its Tables interface.
  for (const m of byOrm.knex) {
    put(
      `${platform}/db/knex/rows/${m.slug}.ts`,
      `
export interface ${m.pascal}Row {
  id: string;
  tenant_id: string;
  name: string;
  status: "active" | "archived";
  amount_cents: number;
  created_at: Date;
}
`,
    );
  }
  put(
    `${platform}/db/knex/tables.ts`,
    byOrm.knex.map((m) => `import type { ${m.pascal}Row } from "./rows/${m.slug}.js";`).join("\n") +
      `\n\ndeclare module "knex/types/tables.js" {\n  interface Tables {\n` +
      byOrm.knex.map((m) => `    ${m.table}: ${m.pascal}Row;`).join("\n") +
      `\n  }\n}\n\nexport {};\n`,
  );
  put(
    `${platform}/db/knex/client.ts`,
    `
import knexFactory from "knex";
import "./tables.js";

export const knex = knexFactory({ client: "pg", connection: process.env.DATABASE_URL });
`,
  );

  // Kysely: one table interface per file, collected in the Database interface.
  for (const m of byOrm.kysely) {
    put(
      `${platform}/db/kysely/tables/${m.slug}.ts`,
      `
import type { Generated, Insertable, Selectable } from "kysely";

export interface ${m.pascal}Table {
  id: Generated<string>;
  tenant_id: string;
  name: string;
  status: "active" | "archived";
  amount_cents: number;
  created_at: Generated<Date>;
}

export type ${m.pascal} = Selectable<${m.pascal}Table>;
export type New${m.pascal} = Insertable<${m.pascal}Table>;
`,
    );
  }
  put(
    `${platform}/db/kysely/database.ts`,
    byOrm.kysely.map((m) => `import type { ${m.pascal}Table } from "./tables/${m.slug}.js";`).join("\n") +
      `\n\nexport interface Database {\n` +
      byOrm.kysely.map((m) => `  ${m.table}: ${m.pascal}Table;`).join("\n") +
      `\n}\n`,
  );
  put(
    `${platform}/db/kysely/client.ts`,
    `
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Database } from "./database.js";

export const db = new Kysely<Database>({
  dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: process.env.DATABASE_URL }) }),
});
`,
  );

  // Drizzle: one pgTable per file, re-exported as the schema the client is built with.
  for (const m of byOrm.drizzle) {
    put(
      `${platform}/db/drizzle/schema/${m.slug}.ts`,
      `
import { integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const ${m.camel} = pgTable("${m.table}", {
  id: uuid("id").primaryKey().defaultRandom(),
  tenantId: text("tenant_id").notNull(),
  name: text("name").notNull(),
  status: text("status", { enum: ["active", "archived"] }).notNull().default("active"),
  amountCents: integer("amount_cents").notNull().default(0),
  createdAt: timestamp("created_at").notNull().defaultNow(),
});

export type ${m.pascal} = typeof ${m.camel}.$inferSelect;
export type New${m.pascal} = typeof ${m.camel}.$inferInsert;
`,
    );
  }
  put(`${platform}/db/drizzle/schema/index.ts`, byOrm.drizzle.map((m) => `export * from "./${m.slug}.js";`).join("\n") + "\n");
  put(
    `${platform}/db/drizzle/client.ts`,
    `
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import * as schema from "./schema/index.js";

export const db = drizzle(new pg.Pool({ connectionString: process.env.DATABASE_URL }), { schema });
`,
  );

  // TypeORM: one decorated entity class per file, registered with the data source.
  for (const m of byOrm.typeorm) {
    put(
      `${platform}/db/typeorm/entities/${m.slug}.entity.ts`,
      `
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from "typeorm";

@Entity("${m.table}")
export class ${m.pascal} {
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @Column({ name: "tenant_id" })
  tenantId!: string;

  @Column()
  name!: string;

  @Column({ type: "varchar", default: "active" })
  status!: "active" | "archived";

  @Column({ name: "amount_cents", type: "integer", default: 0 })
  amountCents!: number;

  @CreateDateColumn({ name: "created_at" })
  createdAt!: Date;
}
`,
    );
  }
  put(
    `${platform}/db/typeorm/data-source.ts`,
    `import "reflect-metadata";\nimport { DataSource } from "typeorm";\n` +
      byOrm.typeorm.map((m) => `import { ${m.pascal} } from "./entities/${m.slug}.entity.js";`).join("\n") +
      `\n\nexport const dataSource = new DataSource({\n  type: "postgres",\n  url: process.env.DATABASE_URL,\n  entities: [${byOrm.typeorm.map((m) => m.pascal).join(", ")}],\n});\n`,
  );
}

/** The repository of one module, in its service's ORM. `R` is the row type's name. */
const REPOSITORIES = {
  knex: (m) => ({
    imports: `import { knex } from "@acme/platform/db/knex/client.js";\nimport type { ${m.pascal}Row } from "@acme/platform/db/knex/rows/${m.slug}.js";`,
    row: `${m.pascal}Row`,
    body: `
  list(ctx: TenantContext, status: ${m.pascal}Row["status"]) {
    return knex("${m.table}").where({ tenant_id: ctx.tenantId, status }).orderBy("created_at", "desc");
  }

  byId(ctx: TenantContext, id: string) {
    return knex("${m.table}").where({ tenant_id: ctx.tenantId, id }).first();
  }

  listForTenant(tenantId: string) {
    return knex("${m.table}").where({ tenant_id: tenantId, status: "active" });
  }

  async create(ctx: TenantContext, input: { name: string; amountCents: number }) {
    const [row] = await knex("${m.table}")
      .insert({ id: crypto.randomUUID(), tenant_id: ctx.tenantId, name: input.name, status: "active", amount_cents: input.amountCents, created_at: new Date() })
      .returning("*");
    return row;
  }

  rename(ctx: TenantContext, id: string, name: string) {
    return knex("${m.table}").where({ tenant_id: ctx.tenantId, id }).update({ name });
  }

  remove(ctx: TenantContext, id: string) {
    return knex("${m.table}").where("tenant_id", ctx.tenantId).andWhere("id", id).del();
  }

  total(ctx: TenantContext) {
    return knex("${m.table}").where({ tenant_id: ctx.tenantId }).sum("amount_cents as total").first();
  }
${m.bug === "unscoped-read" ? `
  byIdForSupport(id: string) {
    return knex("${m.table}").where({ id }).first();
  }
` : ""}${m.bug === "raw-sql" ? `
  countByStatus(status: string) {
    return knex.raw("select count(*) from ${m.table} where status = ?", [status]);
  }
` : ""}`,
  }),
  kysely: (m) => ({
    imports: `import { db } from "@acme/platform/db/kysely/client.js";\nimport type { ${m.pascal} } from "@acme/platform/db/kysely/tables/${m.slug}.js";`,
    row: m.pascal,
    body: `
  list(ctx: TenantContext, status: ${m.pascal}["status"]) {
    return db
      .selectFrom("${m.table}")
      .selectAll()
      .where("tenant_id", "=", ctx.tenantId)
      .where("status", "=", status)
      .orderBy("created_at", "desc")
      .execute();
  }

  byId(ctx: TenantContext, id: string) {
    return db.selectFrom("${m.table}").selectAll().where("tenant_id", "=", ctx.tenantId).where("id", "=", id).executeTakeFirst();
  }

  listForTenant(tenantId: string) {
    return db.selectFrom("${m.table}").selectAll().where("tenant_id", "=", tenantId).where("status", "=", "active").execute();
  }

  create(ctx: TenantContext, input: { name: string; amountCents: number }) {
    return db
      .insertInto("${m.table}")
      .values({ tenant_id: ctx.tenantId, name: input.name, status: "active", amount_cents: input.amountCents })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  rename(ctx: TenantContext, id: string, name: string) {
    return db.updateTable("${m.table}").set({ name }).where("tenant_id", "=", ctx.tenantId).where("id", "=", id).execute();
  }

  remove(ctx: TenantContext, id: string) {
    return db.deleteFrom("${m.table}").where("tenant_id", "=", ctx.tenantId).where("id", "=", id).execute();
  }

  total(ctx: TenantContext) {
    return db
      .selectFrom("${m.table}")
      .select((eb) => eb.fn.sum<number>("amount_cents").as("total"))
      .where("tenant_id", "=", ctx.tenantId)
      .executeTakeFirst();
  }
${m.bug === "unscoped-read" ? `
  byIdForSupport(id: string) {
    return db.selectFrom("${m.table}").selectAll().where("id", "=", id).executeTakeFirst();
  }
` : ""}${m.bug === "raw-sql" ? `
  countByStatus(status: string) {
    return sql<{ count: number }>\`select count(*) from ${m.table} where status = \${status}\`.execute(db);
  }
` : ""}`,
    extraImports: m.bug === "raw-sql" ? `import { sql } from "kysely";` : "",
  }),
  drizzle: (m) => ({
    imports: `import { and, desc, eq, sum } from "drizzle-orm";\nimport { db } from "@acme/platform/db/drizzle/client.js";\nimport { ${m.camel}, type ${m.pascal} } from "@acme/platform/db/drizzle/schema/${m.slug}.js";`,
    row: m.pascal,
    body: `
  list(ctx: TenantContext, status: ${m.pascal}["status"]) {
    return db
      .select()
      .from(${m.camel})
      .where(and(eq(${m.camel}.tenantId, ctx.tenantId), eq(${m.camel}.status, status)))
      .orderBy(desc(${m.camel}.createdAt));
  }

  async byId(ctx: TenantContext, id: string) {
    const [row] = await db.select().from(${m.camel}).where(and(eq(${m.camel}.tenantId, ctx.tenantId), eq(${m.camel}.id, id)));
    return row;
  }

  listForTenant(tenantId: string) {
    return db.select().from(${m.camel}).where(and(eq(${m.camel}.tenantId, tenantId), eq(${m.camel}.status, "active")));
  }

  async create(ctx: TenantContext, input: { name: string; amountCents: number }) {
    const [row] = await db.insert(${m.camel}).values({ tenantId: ctx.tenantId, name: input.name, amountCents: input.amountCents }).returning();
    return row;
  }

  rename(ctx: TenantContext, id: string, name: string) {
    return db.update(${m.camel}).set({ name }).where(and(eq(${m.camel}.tenantId, ctx.tenantId), eq(${m.camel}.id, id)));
  }

  remove(ctx: TenantContext, id: string) {
    return db.delete(${m.camel}).where(and(eq(${m.camel}.tenantId, ctx.tenantId), eq(${m.camel}.id, id)));
  }

  async total(ctx: TenantContext) {
    const [row] = await db.select({ total: sum(${m.camel}.amountCents) }).from(${m.camel}).where(eq(${m.camel}.tenantId, ctx.tenantId));
    return row;
  }
${m.bug === "unscoped-read" ? `
  async byIdForSupport(id: string) {
    const [row] = await db.select().from(${m.camel}).where(eq(${m.camel}.id, id));
    return row;
  }
` : ""}${m.bug === "raw-sql" ? `
  countByStatus(status: string) {
    return db.execute(sql\`select count(*) from ${m.table} where status = \${status}\`);
  }
` : ""}`,
    extraImports: m.bug === "raw-sql" ? `import { sql } from "drizzle-orm";` : "",
  }),
  typeorm: (m) => ({
    imports: `import { dataSource } from "@acme/platform/db/typeorm/data-source.js";\nimport { ${m.pascal} } from "@acme/platform/db/typeorm/entities/${m.slug}.entity.js";`,
    row: m.pascal,
    body: `
  private readonly repo = dataSource.getRepository(${m.pascal});

  list(ctx: TenantContext, status: ${m.pascal}["status"]) {
    return this.repo.find({ where: { tenantId: ctx.tenantId, status }, order: { createdAt: "DESC" } });
  }

  byId(ctx: TenantContext, id: string) {
    return this.repo.findOneBy({ id, tenantId: ctx.tenantId });
  }

  listForTenant(tenantId: string) {
    return this.repo.find({ where: { tenantId, status: "active" } });
  }

  create(ctx: TenantContext, input: { name: string; amountCents: number }) {
    return this.repo.save(this.repo.create({ tenantId: ctx.tenantId, name: input.name, amountCents: input.amountCents }));
  }

  rename(ctx: TenantContext, id: string, name: string) {
    return this.repo.update({ id, tenantId: ctx.tenantId }, { name });
  }

  remove(ctx: TenantContext, id: string) {
    return this.repo.delete({ id, tenantId: ctx.tenantId });
  }

  total(ctx: TenantContext) {
    return this.repo.sum("amountCents", { tenantId: ctx.tenantId });
  }
${m.bug === "unscoped-read" ? `
  byIdForSupport(id: string) {
    return this.repo.findOneBy({ id });
  }
` : ""}${m.bug === "raw-sql" ? `
  countByStatus(status: string) {
    return dataSource.query("select count(*) from ${m.table} where status = $1", [status]);
  }
` : ""}`,
  }),
};

function generateService(put, service) {
  const src = `packages/${service.name}/src`;
  for (const m of service.modules) {
    const dir = `${src}/${m.slug}`;
    const repo = REPOSITORIES[service.orm](m);
    put(
      `${dir}/${m.slug}.repository.ts`,
      `
${[repo.extraImports, repo.imports].filter(Boolean).join("\n")}
import type { TenantContext } from "@acme/platform/tenancy/context.js";

export type ${m.pascal}Record = ${repo.row};

export class ${m.pascal}Repository {${repo.body}}
`,
    );
    put(
      `${dir}/${m.slug}.dto.ts`,
      `
import { objectOf, requireInteger, requireString, ValidationError, type Issue } from "@acme/platform/validation.js";

export interface ${m.pascal}Dto {
  readonly id: string;
  readonly name: string;
  readonly status: "active" | "archived";
  readonly amount: { readonly cents: number; readonly formatted: string };
}

export interface Create${m.pascal}Input {
  readonly name: string;
  readonly amountCents: number;
}

export function parseCreate${m.pascal}(body: unknown): Create${m.pascal}Input {
  const issues: Issue[] = [];
  const raw = objectOf(body);
  const input = { name: requireString(raw.name, "name", issues), amountCents: requireInteger(raw.amountCents, "amountCents", issues) };
  if (issues.length) throw new ValidationError(issues);
  return input;
}

export function parseRename${m.pascal}(body: unknown): string {
  const issues: Issue[] = [];
  const name = requireString(objectOf(body).name, "name", issues);
  if (issues.length) throw new ValidationError(issues);
  return name;
}
`,
    );
    put(
      `${dir}/${m.slug}.mapper.ts`,
      `
import type { ${m.pascal}Dto } from "./${m.slug}.dto.js";
import type { ${m.pascal}Record } from "./${m.slug}.repository.js";

const money = new Intl.NumberFormat("en", { style: "currency", currency: "EUR" });

export function to${m.pascal}Dto(row: ${m.pascal}Record): ${m.pascal}Dto {
  const cents = Number(${service.orm === "knex" || service.orm === "kysely" ? "row.amount_cents" : "row.amountCents"});
  return { id: row.id, name: row.name, status: row.status, amount: { cents, formatted: money.format(cents / 100) } };
}
`,
    );
    put(
      `${dir}/${m.slug}.policy.ts`,
      `
import { ForbiddenError } from "@acme/platform/http/errors.js";
import type { TenantContext } from "@acme/platform/tenancy/context.js";

export type ${m.pascal}Action = "read" | "write" | "delete";

const REQUIRED_ROLE: Record<${m.pascal}Action, string> = { read: "member", write: "editor", delete: "admin" };

export function can${m.pascal}(ctx: TenantContext, action: ${m.pascal}Action): boolean {
  return ctx.roles.includes(REQUIRED_ROLE[action]) || ctx.roles.includes("owner");
}

export function assertCan${m.pascal}(ctx: TenantContext, action: ${m.pascal}Action): void {
  if (!can${m.pascal}(ctx, action)) throw new ForbiddenError(\`\${action} ${m.slug}\`);
}
`,
    );
    put(
      `${dir}/${m.slug}.events.ts`,
      `
import { publish, type DomainEvent } from "@acme/platform/events/bus.js";
import type { TenantContext } from "@acme/platform/tenancy/context.js";

export type ${m.pascal}Event = DomainEvent<"${m.slug}.created" | "${m.slug}.renamed" | "${m.slug}.removed", { id: string }>;

export function emit${m.pascal}(ctx: TenantContext, type: ${m.pascal}Event["type"], id: string): Promise<void> {
  return publish({ type, tenantId: ctx.tenantId, occurredAt: new Date(), payload: { id } });
}
`,
    );
    put(
      `${dir}/${m.slug}.service.ts`,
      `
import { NotFoundError } from "@acme/platform/http/errors.js";
import type { TenantContext } from "@acme/platform/tenancy/context.js";
import type { Create${m.pascal}Input, ${m.pascal}Dto } from "./${m.slug}.dto.js";
import { emit${m.pascal} } from "./${m.slug}.events.js";
import { to${m.pascal}Dto } from "./${m.slug}.mapper.js";
import { assertCan${m.pascal} } from "./${m.slug}.policy.js";
import { ${m.pascal}Repository } from "./${m.slug}.repository.js";

export class ${m.pascal}Service {
  constructor(private readonly repository = new ${m.pascal}Repository()) {}

  async list(ctx: TenantContext): Promise<${m.pascal}Dto[]> {
    assertCan${m.pascal}(ctx, "read");
    const rows = await this.repository.list(ctx, "active");
    return rows.map(to${m.pascal}Dto);
  }

  async get(ctx: TenantContext, id: string): Promise<${m.pascal}Dto> {
    assertCan${m.pascal}(ctx, "read");
    const row = await this.repository.byId(ctx, id);
    if (!row) throw new NotFoundError("${m.slug}", id);
    return to${m.pascal}Dto(row);
  }

  async listForTenant(tenantId: string): Promise<${m.pascal}Dto[]> {
    const rows = await this.repository.listForTenant(tenantId);
    return rows.map(to${m.pascal}Dto);
  }

  async create(ctx: TenantContext, input: Create${m.pascal}Input) {
    assertCan${m.pascal}(ctx, "write");
    const row = await this.repository.create(ctx, input);
    if (row) await emit${m.pascal}(ctx, "${m.slug}.created", row.id);
    return row && to${m.pascal}Dto(row);
  }

  async rename(ctx: TenantContext, id: string, name: string): Promise<void> {
    assertCan${m.pascal}(ctx, "write");
    await this.repository.rename(ctx, id, name);
    await emit${m.pascal}(ctx, "${m.slug}.renamed", id);
  }

  async remove(ctx: TenantContext, id: string): Promise<void> {
    assertCan${m.pascal}(ctx, "delete");
    await this.repository.remove(ctx, id);
    await emit${m.pascal}(ctx, "${m.slug}.removed", id);
  }
}
`,
    );
    put(
      `${dir}/${m.slug}.controller.ts`,
      `
import { Router } from "express";
import { tenantOf } from "@acme/platform/tenancy/resolve.js";
import { parseCreate${m.pascal}, parseRename${m.pascal} } from "./${m.slug}.dto.js";
import { ${m.pascal}Service } from "./${m.slug}.service.js";

const service = new ${m.pascal}Service();

export const ${m.camel}Routes = Router();

${m.camel}Routes.get("/${m.slug}", async (req, res) => {
  res.json(await service.list(tenantOf(req)));
});

${m.camel}Routes.get("/${m.slug}/:id", async (req, res) => {
  res.json(await service.get(tenantOf(req), req.params.id));
});

${m.camel}Routes.post("/${m.slug}", async (req, res) => {
  res.status(201).json(await service.create(tenantOf(req), parseCreate${m.pascal}(req.body)));
});

${m.camel}Routes.patch("/${m.slug}/:id", async (req, res) => {
  await service.rename(tenantOf(req), req.params.id, parseRename${m.pascal}(req.body));
  res.sendStatus(204);
});

${m.camel}Routes.delete("/${m.slug}/:id", async (req, res) => {
  await service.remove(tenantOf(req), req.params.id);
  res.sendStatus(204);
});
${m.bug === "client-tenant" ? `
${m.camel}Routes.get("/tenants/:tenantId/${m.slug}", async (req, res) => {
  res.json(await service.listForTenant(req.params.tenantId));
});
` : ""}`,
    );
    put(
      `${dir}/index.ts`,
      `
export { ${m.camel}Routes } from "./${m.slug}.controller.js";
export { ${m.pascal}Service } from "./${m.slug}.service.js";
export type { ${m.pascal}Dto } from "./${m.slug}.dto.js";
`,
    );
  }
  put(
    `${src}/app.ts`,
    `import express from "express";\nimport { resolveTenant } from "@acme/platform/tenancy/resolve.js";\n` +
      service.modules.map((m) => `import { ${m.camel}Routes } from "./${m.slug}/index.js";`).join("\n") +
      `\n\nexport const app = express();\napp.use(express.json());\napp.use(resolveTenant);\n` +
      service.modules.map((m) => `app.use(${m.camel}Routes);`).join("\n") +
      "\n",
  );
}

// ---------------------------------------------------------------------------------------------
// Measuring

/**
 * Runs a Node script once in a fresh process: wall time (s), CPU time (user + system, s) and peak
 * resident memory (MB). CPU time is kept too because this machine may be shared: other processes
 * stretch wall time, much less the CPU a run needs.
 */
/**
 * Measures one command. A run the daemon serves is timed end to end by the caller's clock, its CPU
 * time is the binary's and the daemon's during the run, and its memory the daemon's peak.
 */
async function measureCommand(command) {
  const options = { cwd: repoDir, env: command.env };
  if (!command.daemon) return measure(command.label, command.script, command.args, options);
  const before = await daemonClient.daemonStatus(typescriptFile);
  const run = measure(command.label, command.script, command.args, options);
  const after = await daemonClient.daemonStatus(typescriptFile);
  if (!before || !after || after.pid !== before.pid || after.runs !== before.runs + 1) throw new Error(`bench:perf: ${command.label} was not served by the daemon`);
  return { ...run, cpu: run.cpu + (after.cpuSeconds - before.cpuSeconds), rssMb: after.peakRssMb };
}

function measure(label, script, scriptArgs, options = {}) {
  // With --cpu-prof, each command's profile goes to its own folder (timings then include the profiler).
  const nodeArgs = args.cpuProf ? ["--cpu-prof", `--cpu-prof-dir=${path.join(args.cpuProf, label.replace(/[^\w]+/g, "-"))}`] : [];
  return measureOnce(script, scriptArgs, { ...options, nodeArgs });
}

/** The middle value (the mean of the two middle values for an even count). */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const timeBinary = fs.existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

// Without GNU time: a wrapper runs the script in its own process and reports that process's
// resource usage on exit (peak RSS and CPU are the script's, as the wrapper adds only its startup).
const USAGE_WRAPPER = `
const { pathToFileURL } = require("node:url");
// node -e WRAPPER script args...: process.argv is already [node, script, args...], as the script expects.
const script = process.argv[1];
process.on("exit", () => {
  const u = process.resourceUsage();
  process.stderr.write("\\nbench-perf-usage " + JSON.stringify({ maxRSS: u.maxRSS, cpu: (u.userCPUTime + u.systemCPUTime) / 1e6 }) + "\\n");
});
import(pathToFileURL(script).href);
`;

function measureOnce(script, scriptArgs, { cwd, nodeArgs, env, expectStatus = [0, 1] }) {
  const started = process.hrtime.bigint();
  let run;
  let rssMb;
  let cpu;
  if (timeBinary) {
    run = spawnSync(timeBinary, ["-v", process.execPath, ...nodeArgs, script, ...scriptArgs], { cwd, env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 1 << 28 });
    const field = (name) => Number(new RegExp(`${name}: ([\\d.]+)`).exec(run.stderr)?.[1]);
    rssMb = field("Maximum resident set size \\(kbytes\\)") / 1024;
    cpu = field("User time \\(seconds\\)") + field("System time \\(seconds\\)");
  } else {
    run = spawnSync(process.execPath, [...nodeArgs, "-e", USAGE_WRAPPER, script, ...scriptArgs], { cwd, env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 1 << 28 });
    const usage = JSON.parse(/bench-perf-usage (\{.*\})/.exec(run.stderr)?.[1] ?? "{}");
    rssMb = usage.maxRSS / 1024;
    cpu = usage.cpu;
  }
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (!expectStatus.includes(run.status)) {
    console.error(`bench:perf: ${script} ${scriptArgs.join(" ")} exited ${run.status}\n${run.stdout.slice(-4000)}\n${run.stderr.slice(-4000)}`);
    process.exit(2);
  }
  return { wall, cpu, rssMb, status: run.status };
}

/** The median over the rounds of `a`'s time over `b`'s, wall and CPU, against the target. */
function ratioLine(label, a, b, target) {
  const wall = median(a.map((run, i) => run.wall / b[i].wall));
  const cpu = median(a.map((run, i) => run.cpu / b[i].cpu));
  const verdict = wall <= target ? "ok" : cpu <= target ? "ok on CPU time, missed on wall time" : "MISSED";
  return `  ${label.padEnd(48)} wall ${wall.toFixed(2)}x  cpu ${cpu.toFixed(2)}x  (target ≤ ${target.toFixed(2)}x) ${verdict}`;
}

/**
 * Where a run's CPU time goes, phase by phase, each measured in a fresh process with the CLI's and
 * the core's own functions (and, like the CLI, one TypeScript compiled from the code cache): reading and parsing the program,
 * binding it (creating the checker), and the rules, which include the type checking their queries
 * need and the ORM tables raw SQL names (tsc's check phase checks everything instead).
 */
const BREAKDOWN_SCRIPT = `
const [cliDist, coreDist, dir, file] = process.argv.slice(1);
const { installCompileCache, isCompilerFile } = await import(cliDist + "/compile-cache.js");
installCompileCache(isCompilerFile);
const { useBundledTypeScript } = await import(cliDist + "/one-typescript.js");
useBundledTypeScript();
const { loadProject } = await import(cliDist + "/project.js");
const { getAnalyzer } = await import(coreDist + "/index.js");
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const phases = [];
let last = cpu();
const phase = (name) => { const now = cpu(); phases.push([name, now - last]); last = now; };
// One changed file: the program the CLI builds for it (the file, its imports, the global declarations).
const project = loadProject(dir, file ? { only: (f) => f === file } : {});
phase(\`read + parse (\${project.program.getSourceFiles().length} files)\`);
const checker = project.program.getTypeChecker();
phase("bind");
const analyzer = getAnalyzer(project.program, { config: project.config, rootDir: project.dir });
for (const sf of file ? [project.program.getSourceFile(file)] : project.sourceFiles) analyzer.findings(sf);
phase(file ? "rules on the file" : "rules");
console.log(JSON.stringify(phases));
`;

function printBreakdown() {
  const cliDist = pathToFileURL(path.join(root, "packages", "cli", "dist")).href;
  const coreDist = pathToFileURL(path.join(root, "packages", "core", "dist")).href;
  const phasesOf = (...extra) => {
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", BREAKDOWN_SCRIPT, cliDist, coreDist, repoDir, ...extra], { encoding: "utf8", maxBuffer: 1 << 26 });
    if (child.status !== 0) throw new Error(`breakdown failed: ${child.stderr}`);
    return JSON.parse(child.stdout.trim().split("\n").at(-1));
  };
  const line = (phases) => phases.map(([name, s]) => `${name} ${s.toFixed(1)} s`).join(", ");
  console.log("\nwhere the CPU time goes (one fresh process each, without a startup snapshot):");
  console.log(`  full check:         ${line(phasesOf())}`);
  console.log(`  one changed file:   ${line(phasesOf(changedFile))}`);
}

function git(cwd, ...gitArgs) {
  return execFileSync("git", gitArgs, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function parseArgs(argv) {
  const out = { modules: 64, runs: 3, keep: false, onlyGenerate: undefined, cpuProf: undefined, breakdown: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--modules") out.modules = Number(argv[++i]);
    else if (arg === "--runs") out.runs = Number(argv[++i]);
    else if (arg === "--keep") out.keep = true;
    else if (arg === "--only-generate") out.onlyGenerate = path.resolve(argv[++i]);
    else if (arg === "--cpu-prof") out.cpuProf = path.resolve(argv[++i]);
    else if (arg === "--no-breakdown") out.breakdown = false;
    else {
      console.error(`bench:perf: unknown option ${arg}`);
      process.exit(2);
    }
  }
  if (!(out.modules > 0) || !(out.runs > 0)) {
    console.error("bench:perf: --modules and --runs take a positive number");
    process.exit(2);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

const cliBin = path.join(root, "packages", "cli", "bin", "tenant-lint.js");
const pluginEntry = path.join(root, "packages", "eslint-plugin", "dist", "index.js");
if (!fs.existsSync(path.join(root, "packages", "cli", "dist", "main.js")) || !fs.existsSync(pluginEntry)) {
  execFileSync("pnpm", ["build"], { cwd: root, stdio: "inherit" });
}

const repoDir = args.onlyGenerate ?? fs.mkdtempSync(path.join(os.tmpdir(), "tenant-lint-bench-"));
fs.mkdirSync(repoDir, { recursive: true });
const { fileCount } = generateRepo(repoDir, args.modules);
console.log(`bench:perf: generated ${fileCount} TypeScript files (${args.modules} modules x ${SERVICES.length} services) in ${repoDir}`);
if (args.onlyGenerate) process.exit(0);

// Two ESLint configs over the same typed parser: without rules (the cost of typed parsing) and
// with the plugin's recommended rules.
const parserUrl = pathToFileURL(require.resolve("@typescript-eslint/parser")).href;
const pluginUrl = pathToFileURL(pluginEntry).href;
const eslintConfig = (withPlugin) => `
import parser from ${JSON.stringify(parserUrl)};
${withPlugin ? `import tenantLint from ${JSON.stringify(pluginUrl)};` : ""}
export default [
  { files: ["**/*.ts"], languageOptions: { parser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } } },
  ${withPlugin ? "tenantLint.configs.recommended," : ""}
];
`;
fs.writeFileSync(path.join(repoDir, "eslint.typed.config.mjs"), eslintConfig(false));
fs.writeFileSync(path.join(repoDir, "eslint.plugin.config.mjs"), eslintConfig(true));

git(repoDir, "init", "--quiet", "--initial-branch=main");
git(repoDir, "add", "-A");
git(repoDir, "-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "--quiet", "-m", "generated monorepo");

const tscBin = require.resolve("typescript/bin/tsc");
const eslintBin = path.join(path.dirname(require.resolve("eslint/package.json")), "bin", "eslint.js");

// One changed file, uncommitted: a new unscoped query in one repository, the typical size of a pull
// request. Every command runs on this same tree.
const service = SERVICES[0];
const changedModule = modulesOf(service, args.modules)[0];
const changedFile = path.join(repoDir, "packages", service.name, "src", changedModule.slug, `${changedModule.slug}.repository.ts`);
fs.writeFileSync(
  changedFile,
  fs.readFileSync(changedFile, "utf8").replace(/\n}\n$/, `\n  everyRow() {\n    return knex("${changedModule.table}").select("id", "name");\n  }\n}\n`),
);

// A developer's repeated runs are served by the daemon (docs/cli.md, "Speed"), and CI's are not:
// each tenant-lint command is measured both ways.
const NO_DAEMON = { TENANT_LINT_NO_DAEMON: "1" };
const checkArgs = (output) => ["check", ".", "--format", "json", "--output", output];
const changedArgs = (output) => ["check", ".", "--changed-since", "HEAD", "--format", "json", "--output", output];
const COMMANDS = [
  { key: "tsc", label: "tsc --noEmit", script: tscBin, args: ["--noEmit", "-p", "tsconfig.json"] },
  { key: "check", label: "tenant-lint check (daemon)", script: cliBin, args: checkArgs("findings.json"), daemon: true },
  { key: "checkOwn", label: "tenant-lint check (own process, as in CI)", script: cliBin, args: checkArgs("findings-own.json"), env: NO_DAEMON },
  { key: "eslintTyped", label: "eslint, typed parser, no rules", script: eslintBin, args: ["-c", "eslint.typed.config.mjs", "packages"] },
  { key: "eslintPlugin", label: "eslint + @tenant-lint recommended", script: eslintBin, args: ["-c", "eslint.plugin.config.mjs", "-f", "json", "-o", "eslint-findings.json", "packages"] },
  { key: "changed", label: "check --changed-since HEAD, 1 file (daemon)", script: cliBin, args: changedArgs("changed-findings.json"), daemon: true },
  { key: "changedOwn", label: "check --changed-since HEAD, 1 file (own process)", script: cliBin, args: changedArgs("changed-findings-own.json"), env: NO_DAEMON },
];
// tenant-lint keeps a code cache and, per command line, a startup snapshot, both made by earlier
// runs, and a developer's second run starts the daemon: the bench gives them a cache and a runtime
// directory of their own, runs each tenant-lint command three times unmeasured, and waits for the
// snapshots that builds in the background, so every measured run is a repeated run, as in CI with
// a cache or on a developer's machine.
const cacheHome = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-lint-bench-cache-"));
const runtimeDir = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-lint-bench-run-"));
process.env.XDG_CACHE_HOME = cacheHome;
process.env.XDG_RUNTIME_DIR = runtimeDir;
delete process.env.TENANT_LINT_NO_DAEMON;
delete process.env.CI;
const daemonClient = await import(pathToFileURL(path.join(root, "packages", "cli", "dist", "daemon.js")).href);
const typescriptFile = (await import(pathToFileURL(path.join(root, "packages", "cli", "dist", "one-typescript.js")).href)).bundledTypeScriptFile();
const snapshotDir = path.join(cacheHome, "tenant-lint", "v8");
const warmUp = COMMANDS.filter((c) => c.script === cliBin);
const warmStarted = Date.now();
// Three times: a command line's second run has its snapshot built, and starts the daemon, which the third finds ready.
for (let run = 0; run < 3; run++) for (const command of warmUp) measureOnce(command.script, command.args, { cwd: repoDir, nodeArgs: [], env: command.env });
const building = () => (fs.existsSync(snapshotDir) ? fs.readdirSync(snapshotDir).filter((name) => name.endsWith(".lock")) : []);
while (building().length > 0 && Date.now() - warmStarted < 600_000) spawnSync("sleep", ["0.5"]);
const snapshots = fs.existsSync(snapshotDir) ? fs.readdirSync(snapshotDir).filter((name) => /^startup-\w+\.blob$/.test(name)).length : 0;
if (!(await daemonClient.daemonStatus(typescriptFile))) {
  console.error("bench:perf: the daemon did not start (see the log in " + runtimeDir + ")");
  process.exit(2);
}
console.log(`\nbench:perf: warm-up runs of the ${warmUp.length} tenant-lint commands, ${((Date.now() - warmStarted) / 1000).toFixed(1)} s with the startup snapshot builds (${snapshots} built)`);

const runs = Object.fromEntries(COMMANDS.map((c) => [c.key, []]));
console.log(`\nbench:perf: ${args.runs} round(s) of ${COMMANDS.length} commands (${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}, Node ${process.version})`);
for (let round = 1; round <= args.runs; round++) {
  for (const command of COMMANDS) runs[command.key].push(await measureCommand(command));
  console.log(`  round ${round}: ` + COMMANDS.map((c) => `${c.key} ${runs[c.key].at(-1).wall.toFixed(2)} s`).join(", "));
}

console.log(`\n${"".padEnd(58)}   wall      cpu   peak RSS   (medians of ${args.runs} round(s))`);
for (const command of COMMANDS) {
  const all = runs[command.key];
  const wall = median(all.map((r) => r.wall));
  const cpu = median(all.map((r) => r.cpu));
  const rss = Math.max(...all.map((r) => r.rssMb));
  console.log(`  ${command.label.padEnd(58)} ${wall.toFixed(2).padStart(7)} s  ${cpu.toFixed(2).padStart(7)} s  ${String(Math.round(rss)).padStart(6)} MB  (exit ${all.at(-1).status})`);
}

const countOf = (file) => JSON.parse(fs.readFileSync(path.join(repoDir, file), "utf8")).reduce((n, r) => n + r.messages.length, 0);
console.log(`\nfindings: tenant-lint ${countOf("findings.json")}, eslint plugin ${countOf("eslint-findings.json")}, --changed-since ${countOf("changed-findings.json")}`);
const sameReports = ["findings", "changed-findings"].every((name) => fs.readFileSync(path.join(repoDir, `${name}.json`), "utf8") === fs.readFileSync(path.join(repoDir, `${name}-own.json`), "utf8"));
console.log(`the daemon's reports and the own process's are ${sameReports ? "identical" : "DIFFERENT"}`);

console.log("\nratios, each the median of the rounds' ratios (wall time, and CPU time, which other load on the machine disturbs less):");
console.log(ratioLine("tenant-lint check / tsc --noEmit (own process)", runs.checkOwn, runs.tsc, 1.0));
console.log(ratioLine("tenant-lint check / tsc --noEmit (daemon)", runs.check, runs.tsc, 1.0));
console.log(ratioLine("eslint with rules / eslint typed parse only", runs.eslintPlugin, runs.eslintTyped, 1.1));
console.log(ratioLine("--changed-since / full check (daemon)", runs.changed, runs.check, 0.1));
console.log(ratioLine("--changed-since / full check (own process)", runs.changedOwn, runs.checkOwn, 0.1));
const peak = (key) => Math.round(Math.max(...runs[key].map((r) => r.rssMb)));
console.log("\npeak memory (a daemon-served run's is the daemon's):");
console.log(`  tenant-lint check ${peak("checkOwn")} MB (daemon ${peak("check")} MB) vs tsc ${peak("tsc")} MB; eslint + plugin ${peak("eslintPlugin")} MB vs typed parse ${peak("eslintTyped")} MB; --changed-since ${peak("changedOwn")} MB`);
if (args.breakdown) printBreakdown();
if (args.cpuProf) console.log(`\nCPU profiles in ${args.cpuProf}`);

// A startup-snapshot build the last runs started in the background may still be writing to the
// cache directory: removal retries while it finishes.
const removeAll = (dir) => fs.rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 500 });
if (args.keep) console.log(`\nkept ${repoDir}`);
else removeAll(repoDir);
await daemonClient.stopDaemons(typescriptFile);
removeAll(cacheHome);
removeAll(runtimeDir);
