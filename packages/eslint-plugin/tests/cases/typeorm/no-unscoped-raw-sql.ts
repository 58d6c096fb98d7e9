import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import { DataSource, EntityManager, Repository, type QueryRunner } from "typeorm";
import { Project } from "./entities/project.entity.js";
import { Repository as MemoryRepository } from "./lookalikes/not-orm.js";
import type { TenantContext } from "./tenancy/tenant-context.js";
declare const projects: Repository<Project>;
declare const manager: EntityManager;
declare const dataSource: DataSource;
declare const runner: QueryRunner;
`;

function reported(code: string, snippet: string) {
  return { code: header + code, errors: [{ messageId: "unscopedRawSql" as const, ...positionOf(header + code, snippet) }] };
}

export default {
  fixture: "typeorm-nestjs",
  valid: [
    // `@Entity("projects")` with `@Column({ name: "tenant_id" })`.
    header + "export const f = (ctx: TenantContext) => dataSource.query(`SELECT id FROM projects WHERE tenant_id = $1`, [ctx.tenantId]);",
    // `@Entity()` on `Invoice`: table `invoice`, column `tenantId` (or `tenant_id` under a snake-case naming strategy).
    header + 'export const f = (ctx: TenantContext) => manager.query(`SELECT id FROM invoice WHERE "tenantId" = $1`, [ctx.tenantId]);',
    header + "export const f = (ctx: TenantContext) => manager.query(`SELECT id FROM invoice WHERE tenant_id = $1`, [ctx.tenantId]);",
    // A relation's default join column: `tenant` -> `tenantId`.
    header + 'export const f = (ctx: TenantContext) => runner.query(`DELETE FROM audit_events WHERE "tenantId" = $1`, [ctx.tenantId]);',
    header + "export const f = (ctx: TenantContext, name: string) => projects.query(`INSERT INTO projects (tenant_id, name) VALUES ($1, $2)`, [ctx.tenantId, name]);",
    header + "export const f = (ctx: TenantContext) => dataSource.sql`SELECT id FROM labels WHERE tenant_id = ${ctx.tenantId}`;",
    header + "export const f = () => dataSource.query(`SELECT code FROM currencies`);",
    header + "export const f = (repo: MemoryRepository<Project>) => repo.query(`DELETE FROM projects`);",
  ],
  invalid: [
    reported("export const f = () => dataSource.query(`SELECT id, name FROM projects`);", "dataSource.query"),
    reported("export const f = (status: string) => projects.query(`SELECT id FROM invoice WHERE status = $1`, [status]);", "projects.query"),
    reported("export const f = () => runner.query(`DELETE FROM audit_events WHERE at < now() - interval '90 days'`);", "runner.query"),
    reported("export const f = (color: string) => manager.query(`UPDATE labels SET color = $1`, [color]);", "manager.query"),
    reported("export const f = () => dataSource.sql`SELECT count(*) FROM projects`;", "dataSource.sql"),
    // Without `@Entity("name")`, the class name is accepted as the table's name as well.
    reported('export const f = () => dataSource.query(`SELECT id FROM "Invoice" WHERE status = \'open\'`);', "dataSource.query"),
    reported("const sql = `SELECT p.name FROM projects p`;\nexport const f = () => dataSource.manager.query(sql);", "dataSource.manager.query"),
  ],
} satisfies OrmCases<"unscopedRawSql">;
