import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import { Any, DataSource, EntityManager, In, Not, Repository } from "typeorm";
import { Invoice } from "./entities/invoice.entity.js";
import { Project } from "./entities/project.entity.js";
import type { TenantContext } from "./tenancy/tenant-context.js";
declare const projects: Repository<Project>;
declare const invoices: Repository<Invoice>;
declare const manager: EntityManager;
declare const dataSource: DataSource;
`;

function reported(code: string, snippet: string) {
  return { code: header + code, errors: [{ messageId: "crossTenant" as const, ...positionOf(header + code, snippet) }] };
}

export default {
  fixture: "typeorm-nestjs",
  valid: [
    header + `export const f = (ctx: TenantContext, ids: string[]) => projects.find({ where: { tenantId: ctx.tenantId, id: In(ids) } });`,
    header + `export const f = (ctx: TenantContext, ids: number[]) => manager.softDelete(Invoice, { id: In(ids), tenantId: ctx.tenantId });`,
    header +
      `export const f = (ctx: TenantContext, ids: number[]) => invoices.createQueryBuilder("i").where("i.tenantId = :tenantId AND i.id IN (:...ids)", { tenantId: ctx.tenantId, ids }).getMany();`,
    header + `export const f = (ctx: TenantContext, a: string, b: string) => projects.findBy([{ tenantId: ctx.tenantId, name: a }, { tenantId: ctx.tenantId, name: b }]);`,
    // Ids of rows, not of tenants.
    header + `export const f = (ids: number[]) => invoices.createQueryBuilder("i").where("i.id IN (:...ids)", { ids }).andWhere("i.tenantId = :t", { t: "x" }).getMany();`,
  ],
  invalid: [
    reported(`export const f = (tenantIds: string[]) => projects.findBy({ tenantId: In(tenantIds) });`, "projects.findBy"),
    reported(`export const f = (ctx: TenantContext) => projects.count({ where: { tenantId: Not(ctx.tenantId) } });`, "projects.count"),
    reported(`export const f = (a: string, b: string) => projects.find({ where: [{ tenantId: a }, { tenantId: b }] });`, "projects.find"),
    reported(`export const f = (tenantIds: string[]) => manager.update(Invoice, { tenantId: Any(tenantIds) }, { status: "void" });`, "manager.update"),
    reported(
      `export const f = (tenantIds: string[]) => invoices.createQueryBuilder("i").where("i.tenantId IN (:...tenantIds)", { tenantIds }).getRawMany();`,
      "invoices.createQueryBuilder",
    ),
    reported(`export const f = (tenantIds: string[]) => dataSource.getRepository(Project).delete({ tenantId: In(tenantIds), archived: true });`, "dataSource.getRepository"),
  ],
} satisfies OrmCases<"crossTenant">;
