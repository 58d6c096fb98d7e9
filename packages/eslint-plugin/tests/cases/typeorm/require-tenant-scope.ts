import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import { Brackets, DataSource, EntityManager, Repository, type FindManyOptions, type FindOptionsWhere } from "typeorm";
import { AuditEvent } from "./entities/audit-event.entity.js";
import { Currency } from "./entities/currency.entity.js";
import { Invoice } from "./entities/invoice.entity.js";
import { Project } from "./entities/project.entity.js";
import type { TenantContext } from "./tenancy/tenant-context.js";
declare const projects: Repository<Project>;
declare const invoices: Repository<Invoice>;
declare const events: Repository<AuditEvent>;
declare const manager: EntityManager;
declare const dataSource: DataSource;
`;

const laterWhere = `export const f = (ctx: TenantContext) => invoices.createQueryBuilder("i").where("i.tenantId = :t", { t: ctx.tenantId }).where("i.status = 'open'").getMany();`;

/** An invalid case reported once, at `snippet` (the start of the ORM call). */
function reported(code: string, snippet: string, messageId: "missingTenantScope" | "tenantMaybeUndefined" = "missingTenantScope") {
  return { code: header + code, errors: [{ messageId, ...positionOf(header + code, snippet) }] };
}

export default {
  fixture: "typeorm-nestjs",
  valid: [
    // The row a verified row references (`shipment.projectId`) is the same tenant's.
    header +
      `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";\n@Entity()\nclass Shipment {\n  @PrimaryGeneratedColumn("uuid") id!: string;\n  @Column() tenantId!: string;\n  @Column() projectId!: string;\n}\ndeclare const shipments: Repository<Shipment>;\n` +
      `export async function f(ctx: TenantContext, id: string) {\n  const shipment = await shipments.findOneByOrFail({ id, tenantId: ctx.tenantId });\n  await projects.update({ id: shipment.projectId }, { archived: true });\n}`,
    // A row a generic base repository loads in scope (`Repository<T>`) is the tenant's, whichever entity T is.
    header +
      `abstract class Owned<T extends { id: string; tenantId: string }> {\n  constructor(protected readonly repo: Repository<T>) {}\n` +
      `  async getOrThrow(ctx: TenantContext, id: string): Promise<T> {\n    const row = await this.repo.findOne({ where: { id, tenantId: ctx.tenantId } as FindOptionsWhere<T> });\n    if (!row) throw new Error("not found");\n    return row;\n  }\n}\n` +
      `export class Projects extends Owned<Project> {\n  async archive(ctx: TenantContext, id: string) {\n    const project = await this.getOrThrow(ctx, id);\n    await this.repo.update({ id: project.id }, { archived: true });\n  }\n}`,
    header + `export const f = (ctx: TenantContext) => projects.find({ where: { tenantId: ctx.tenantId, archived: false } });`,
    header + `export const f = (ctx: TenantContext, id: string) => projects.findOneBy({ id, tenantId: ctx.tenantId });`,
    header + `export const f = (ctx: TenantContext) => projects.findBy({ tenant: { id: ctx.tenantId } });`,
    header + `export const f = (ctx: TenantContext, a: string, b: string) => projects.find({ where: [{ tenantId: ctx.tenantId, name: a }, { tenantId: ctx.tenantId, name: b }] });`,
    header +
      `export async function f(ctx: TenantContext, id: string) {\n  const project = await projects.findOne({ where: { id } });\n  if (!project || project.tenantId !== ctx.tenantId) throw new Error("not found");\n  return project;\n}`,
    header + `export const f = (ctx: TenantContext, id: number) => manager.delete(Invoice, { id, tenantId: ctx.tenantId });`,
    header + `export const f = (ctx: TenantContext) => manager.count(Invoice, { where: { tenantId: ctx.tenantId } });`,
    header + `export const f = (ctx: TenantContext, name: string) => projects.upsert({ tenantId: ctx.tenantId, name }, ["tenantId", "name"]);`,
    header + `export const f = (ctx: TenantContext) => dataSource.getRepository(Invoice).sum("totalCents", { tenantId: ctx.tenantId });`,
    header + `export const f = (code: string) => manager.delete(Currency, code);`,
    header + `export const f = () => dataSource.getRepository(Currency).find();`,
    // Builders: scoped by a predicate string, extended by conditional narrowing statements, or built by a helper.
    header +
      `export function f(ctx: TenantContext, status?: string) {\n  const qb = invoices.createQueryBuilder("i").where("i.tenantId = :tenantId", { tenantId: ctx.tenantId });\n  if (status) qb.andWhere("i.status = :status", { status });\n  return qb.getMany();\n}`,
    header +
      `export function f(ctx: TenantContext) {\n  const qb = invoices.createQueryBuilder("i");\n  qb.where({ tenantId: ctx.tenantId });\n  return qb.getCount();\n}`,
    header +
      `const scoped = (ctx: TenantContext) => invoices.createQueryBuilder("i").where("i.tenantId = :tenantId", { tenantId: ctx.tenantId });\nexport const f = (ctx: TenantContext) => scoped(ctx).andWhere("i.status = 'open'").getMany();`,
    header +
      `export const f = (ctx: TenantContext, id: number) => dataSource.createQueryBuilder().update(Invoice).set({ status: "void" }).where("id = :id AND tenantId = :tenantId", { id, tenantId: ctx.tenantId }).execute();`,
    // Through the tenant relation: `t.id` of the joined tenant is the row's tenant key.
    header + `export const f = (ctx: TenantContext) => events.createQueryBuilder("e").innerJoin("e.tenant", "t").where("t.id = :id", { id: ctx.tenantId }).getMany();`,
    header + `export const f = (ctx: TenantContext) => events.createQueryBuilder("e").innerJoinAndSelect("e.tenant", "t", "t.id = :id", { id: ctx.tenantId }).getMany();`,
    // Every branch of an `orWhere` in scope: `(A AND B) OR (C AND D)`.
    header +
      `export const f = (ctx: TenantContext, n: string) => invoices.createQueryBuilder("i").where("i.tenantId = :t", { t: ctx.tenantId }).andWhere("i.status = 'open'").orWhere("i.tenantId = :t", { t: ctx.tenantId }).andWhere("i.number = :n", { n }).getMany();`,
    // What the analysis cannot read makes no claim: Brackets, a builder handed to a helper, unreadable options.
    header + `export const f = () => invoices.createQueryBuilder("i").where(new Brackets((qb) => qb.where("i.status = 'open'"))).getMany();`,
    header +
      `declare function applyFilters(qb: unknown): void;\nexport function f() {\n  const qb = invoices.createQueryBuilder("i");\n  applyFilters(qb);\n  return qb.getMany();\n}`,
    header + `export const f = (options: FindManyOptions<Project>) => projects.find(options);`,
    // Saving an entity loaded (and scoped) before is not a new query to scope.
    header +
      `export async function f(ctx: TenantContext, id: string) {\n  const project = await projects.findOneByOrFail({ id, tenantId: ctx.tenantId });\n  project.archived = true;\n  return projects.save(project);\n}`,
    header + `export const f = (ctx: TenantContext, id: string, name: string) => projects.save({ id, tenantId: ctx.tenantId, name });`,
    header + `export const repo = projects.extend({ mine(ctx: TenantContext) { return this.findBy({ tenantId: ctx.tenantId }); } });`,
    header + `const m = new Map<string, Project>();\nexport const f = (id: string) => m.delete(id);`,
    header + `export const f = (name: string) => projects.create({ name });`,
  ],
  invalid: [
    reported(`export const f = () => projects.find();`, "projects.find"),
    reported(`export const f = () => projects.count({ where: { archived: true } });`, "projects.count"),
    reported(`export const f = (id: string) => projects.delete(id);`, "projects.delete"),
    reported(`export const f = (a: string, b: string) => projects.update([a, b], { archived: true });`, "projects.update"),
    reported(`export const f = (id: string) => projects.findOneBy({ id });`, "projects.findOneBy"),
    reported(`export const f = (ctx: TenantContext | undefined) => projects.findBy({ tenantId: ctx?.tenantId });`, "projects.findBy", "tenantMaybeUndefined"),
    reported(`export const f = (id: string) => manager.findOneBy(Project, { id });`, "manager.findOneBy"),
    reported(`export const f = (id: number) => manager.transaction((em) => em.softDelete(Invoice, id));`, "em.softDelete"),
    reported(`export const f = () => projects.clear();`, "projects.clear"),
    reported(`export const f = (id: string, name: string) => projects.save({ id, name });`, "projects.save"),
    reported(`export const f = (status: "open") => dataSource.getRepository(Invoice).findAndCountBy({ status });`, "dataSource.getRepository"),
    // A later `where` replaces the tenant condition instead of adding to it; the suggested fix adds it back after that `where`.
    {
      code: header + laterWhere,
      errors: [
        {
          messageId: "missingTenantScope",
          ...positionOf(header + laterWhere, "invoices.createQueryBuilder"),
          suggestions: [
            {
              messageId: "addTenantFilter",
              data: { value: "ctx.tenantId" },
              output: header + laterWhere.replace(".getMany()", `.andWhere("i.tenantId = :tenantId", { tenantId: ctx.tenantId }).getMany()`),
            },
          ],
        },
      ],
    },
    reported(`export const f = (id: number) => dataSource.createQueryBuilder().delete().from(Invoice).where("id = :id", { id }).execute();`, "dataSource.createQueryBuilder"),
    // TypeORM writes `A OR B` without parentheses: an `orWhere` branch without the tenant escapes it.
    reported(`export const f = (tenantId: string) => invoices.createQueryBuilder("i").where("i.tenantId = :t", { t: tenantId }).orWhere("i.status = 'open'").getMany();`, "invoices.createQueryBuilder"),
    // On a builder without an entity the target class names it (TypeORM types this chain `UpdateQueryBuilder<any>`).
    reported(`export const f = (id: number) => dataSource.createQueryBuilder().update(Invoice).set({ status: "void" }).where("id = :id", { id }).execute();`, "dataSource.createQueryBuilder"),
    reported(`export const f = (ids: number[]) => invoices.createQueryBuilder("i").whereInIds(ids).getMany();`, "invoices.createQueryBuilder"),
    reported(`export function f(status?: string) {\n  const qb = invoices.createQueryBuilder("i");\n  if (status) qb.andWhere("i.status = :status", { status });\n  return qb.getMany();\n}`, "qb.getMany"),
    reported(`const base = () => invoices.createQueryBuilder("i");\nexport const f = () => base().andWhere("i.status = 'open'").getOne();`, "base()"),
    // A left join's condition only decides which tenant rows are joined, not which events are read.
    reported(
      `export const f = (ctx: TenantContext) => events.createQueryBuilder("e").leftJoinAndSelect("e.tenant", "t", "t.id = :id", { id: ctx.tenantId }).getMany();`,
      "events.createQueryBuilder",
    ),
    reported(`export class Repo extends Repository<Project> {\n  stale() {\n    return this.find({ where: { archived: true } });\n  }\n}`, "this.find"),
    reported(`export const repo = projects.extend({ named(name: string) { return this.findOneBy({ name }); } });`, "this.findOneBy"),
  ],
} satisfies OrmCases<"missingTenantScope" | "tenantMaybeUndefined" | "addTenantFilter">;
