import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import { Body, Controller, Post } from "@nestjs/common";
import { InjectRepository } from "@nestjs/typeorm";
import { Repository } from "typeorm";
import { Project } from "./entities/project.entity.js";
import type { TenantContext } from "./tenancy/tenant-context.js";
interface ProjectInput { tenantId: string; name: string }
interface NameInput { name: string }
export class Service {
  constructor(@InjectRepository(Project) private readonly projects: Repository<Project>) {}
  add(input: ProjectInput) { return this.projects.insert({ ...input, archived: false }); }
  addNamed(input: NameInput & { tenantId?: string }, ctx: TenantContext) { return this.projects.insert({ ...input, tenantId: ctx.tenantId }); }
}
declare const ctx: TenantContext;
@Controller("projects")
export class ProjectsController {
  constructor(private readonly service: Service) {}
`;

// A client body spread into an object passed on whole: the object carries the body's tenant key.
const spreadBody = header + `  @Post() add(@Body() dto: ProjectInput) { return this.service.add({ ...dto, name: dto.name.trim() }); }\n}`;

export default {
  fixture: "typeorm-nestjs",
  valid: [
    // A tenant key written after the spread replaces the client's.
    header + `  @Post() add(@Body() dto: ProjectInput) { return this.service.add({ ...dto, tenantId: ctx.tenantId }); }\n}`,
    // The spread's type has no tenant key.
    header + `  @Post() add(@Body() dto: NameInput) { return this.service.add({ ...dto, tenantId: ctx.tenantId, name: dto.name }); }\n}`,
    header + `  @Post() add(@Body() dto: NameInput) { return this.service.addNamed({ ...dto }, ctx); }\n}`,
  ],
  invalid: [{ code: spreadBody, errors: [{ messageId: "clientTenantId", ...positionOf(spreadBody, "this.service.add(") }] }],
} satisfies OrmCases<"clientTenantId">;
