import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import { DataSource, EntityManager, Repository, type DeepPartial } from "typeorm";
import { AuditEvent } from "./entities/audit-event.entity.js";
import { Invoice } from "./entities/invoice.entity.js";
import { Project } from "./entities/project.entity.js";
import type { CreateProjectDto } from "./projects/project.dto.js";
import type { TenantContext } from "./tenancy/tenant-context.js";
declare const projects: Repository<Project>;
declare const manager: EntityManager;
declare const dataSource: DataSource;
`;

function reported(code: string, snippet: string) {
  return { code: header + code, errors: [{ messageId: "missingTenantOnCreate" as const, ...positionOf(header + code, snippet) }] };
}

export default {
  fixture: "typeorm-nestjs",
  valid: [
    header + `export const f = (ctx: TenantContext, dto: CreateProjectDto) => projects.save(projects.create({ ...dto, tenantId: ctx.tenantId }));`,
    header + `export const f = (ctx: TenantContext, name: string) => projects.insert({ tenantId: ctx.tenantId, name });`,
    header + `export const f = (ctx: TenantContext, name: string) => projects.save({ name, tenant: { id: ctx.tenantId } });`,
    header + `export const f = (ctx: TenantContext, action: string) => manager.insert(AuditEvent, { tenant: { id: ctx.tenantId }, action });`,
    header + `export const f = (ctx: TenantContext, dto: CreateProjectDto) => manager.save(Project, { ...dto, tenantId: ctx.tenantId });`,
    header +
      `export const f = (ctx: TenantContext, n: string) => dataSource.createQueryBuilder().insert().into(Invoice).values({ tenantId: ctx.tenantId, number: n, totalCents: 0 }).execute();`,
    header + `export function f(ctx: TenantContext, dto: CreateProjectDto) {\n  const project = projects.create(dto);\n  project.tenantId = ctx.tenantId;\n  return projects.save(project);\n}`,
    header + `export function f(ctx: TenantContext, name: string) {\n  const project = new Project();\n  project.name = name;\n  project.tenantId = ctx.tenantId;\n  return projects.save(project);\n}`,
    // Set by a function the row is handed to, which the analysis does not follow.
    header + `declare function stamp(row: Project): void;\nexport function f(dto: CreateProjectDto) {\n  const project = projects.create(dto);\n  stamp(project);\n  return projects.save(project);\n}`,
    // May carry a primary key (an update) and may carry the tenant: no claim.
    header + `export const f = (data: DeepPartial<Project>) => projects.save(data);`,
    // A row a helper loads (awaited: a row, not a promise) is saved back, not created.
    header +
      `declare function loadProject(ctx: TenantContext, id: string): Promise<Project>;\nexport async function f(ctx: TenantContext, id: string, name: string) {\n  const project = await loadProject(ctx, id);\n  Object.assign(project, { name });\n  return projects.save(project);\n}`,
    // Built in memory only.
    header + `export const f = (name: string) => projects.create({ name });`,
  ],
  invalid: [
    reported(`export const f = (name: string) => projects.save({ name });`, "projects.save"),
    reported(`export const f = () => projects.insert([{ name: "a" }, { name: "b" }]);`, "projects.insert"),
    reported(`export const f = (dto: CreateProjectDto) => projects.save(dto);`, "projects.save"),
    reported(`export function f(dto: CreateProjectDto) {\n  const project = projects.create(dto);\n  project.archived = false;\n  return projects.save(project);\n}`, "projects.save"),
    reported(`export const f = (a: string, b: string) => projects.save([{ name: a }, { name: b }]);`, "projects.save"),
    reported(`export function f(name: string) {\n  const project = new Project();\n  project.name = name;\n  return projects.save(project);\n}`, "projects.save"),
    reported(`export function f(name: string) {\n  const project = projects.create();\n  Object.assign(project, { name });\n  return projects.save(project);\n}`, "projects.save"),
    reported(`export const f = (name: string) => manager.save(Project, { name });`, "manager.save"),
    reported(`export const f = (name: string) => manager.save(manager.create(Project, { name }));`, "manager.save"),
    reported(`export const f = (action: string) => manager.insert(AuditEvent, { action });`, "manager.insert"),
    reported(`export const f = (n: string) => dataSource.createQueryBuilder().insert().into(Invoice).values({ number: n, totalCents: 0 }).execute();`, "dataSource.createQueryBuilder"),
  ],
} satisfies OrmCases<"missingTenantOnCreate">;
