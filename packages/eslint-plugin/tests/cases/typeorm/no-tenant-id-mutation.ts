import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import { DataSource, EntityManager, Repository } from "typeorm";
import { Invoice } from "./entities/invoice.entity.js";
import { Project } from "./entities/project.entity.js";
import type { RenameProjectDto } from "./projects/project.dto.js";
import type { TenantContext } from "./tenancy/tenant-context.js";
declare const projects: Repository<Project>;
declare const invoices: Repository<Invoice>;
declare const manager: EntityManager;
declare const dataSource: DataSource;
`;

function reported(code: string, snippet: string, messageId: "tenantKeyWritten" | "loadedRowTenantKeyWritten" = "tenantKeyWritten") {
  return { code: header + code, errors: [{ messageId, ...positionOf(header + code, snippet) }] };
}

const load = `const project = await projects.findOneByOrFail({ id, tenantId: ctx.tenantId });`;

export default {
  fixture: "typeorm-nestjs",
  valid: [
    header + `export const f = (ctx: TenantContext, id: string, name: string) => projects.update({ id, tenantId: ctx.tenantId }, { name });`,
    header + `export const f = (ctx: TenantContext, id: number) => invoices.createQueryBuilder().update().set({ status: "paid" }).where({ id, tenantId: ctx.tenantId }).execute();`,
    header + `export async function f(ctx: TenantContext, id: string, dto: RenameProjectDto) {\n  ${load}\n  Object.assign(project, dto);\n  return projects.save(project);\n}`,
    header + `export async function f(ctx: TenantContext, id: string) {\n  ${load}\n  project.archived = true;\n  return projects.save(project);\n}`,
    // The tenant key among save/upsert values is the key the row is looked up by, not a change to it.
    header + `export const f = (ctx: TenantContext, id: string, name: string) => projects.save({ id, tenantId: ctx.tenantId, name });`,
    header + `export const f = (ctx: TenantContext, name: string) => projects.upsert({ tenantId: ctx.tenantId, name }, ["tenantId", "name"]);`,
    header + `export const f = (ctx: TenantContext, name: string) => projects.save(projects.create({ tenantId: ctx.tenantId, name }));`,
    // A row built here gets its tenant once, before it is first saved.
    header + `export function f(ctx: TenantContext, name: string) {\n  const project = projects.create({ name });\n  project.tenantId = ctx.tenantId;\n  return projects.save(project);\n}`,
  ],
  invalid: [
    reported(`export const f = (ctx: TenantContext, id: string, target: string) => projects.update({ id, tenantId: ctx.tenantId }, { tenantId: target });`, "projects.update"),
    // The assignment itself is reported; the save adds no second finding.
    reported(`export async function f(ctx: TenantContext, id: string, target: string) {\n  ${load}\n  project.tenantId = target;\n  return projects.save(project);\n}`, "project.tenantId", "loadedRowTenantKeyWritten"),
    reported(`export async function f(ctx: TenantContext, id: string, target: string) {\n  ${load}\n  Object.assign(project, { tenantId: target });\n  await manager.save(project);\n}`, "manager.save"),
    reported(`export async function f(ctx: TenantContext, id: string, target: string) {\n  ${load}\n  projects.merge(project, { tenant: { id: target } });\n  await projects.save(project);\n}`, "projects.save"),
    reported(
      `export const f = (ctx: TenantContext, id: number, target: string) => invoices.createQueryBuilder().update().set({ tenantId: target }).where({ id, tenantId: ctx.tenantId }).execute();`,
      "invoices.createQueryBuilder",
    ),
    reported(`export const f = (ctx: TenantContext, id: number, target: string) => manager.update(Invoice, { id, tenantId: ctx.tenantId }, { tenantId: target });`, "manager.update"),
    reported(
      `export const f = (ctx: TenantContext, target: string) => dataSource.createQueryBuilder().update(Invoice, { tenantId: target }).where("tenantId = :t", { t: ctx.tenantId }).execute();`,
      "dataSource.createQueryBuilder",
    ),
  ],
} satisfies OrmCases<"tenantKeyWritten" | "loadedRowTenantKeyWritten">;
