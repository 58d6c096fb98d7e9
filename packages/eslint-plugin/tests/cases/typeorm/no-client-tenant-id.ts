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
  findFor(input: ProjectInput) { const where = { tenantId: input.tenantId, archived: false }; return this.projects.find({ where }); }
  scope(ctx: TenantContext) { return { tenantId: ctx.tenantId }; }
  findScoped(input: ProjectInput, ctx: TenantContext) { return this.projects.find({ where: { ...input, ...this.scope(ctx) } }); }
}
declare const ctx: TenantContext;
@Controller("projects")
export class ProjectsController {
  constructor(private readonly service: Service) {}
`;

// A client body spread into an object passed on whole: the object carries the body's tenant key.
const spreadBody = header + `  @Post() add(@Body() dto: ProjectInput) { return this.service.add({ ...dto, name: dto.name.trim() }); }\n}`;

// Custom parameter decorators: what their factory returns is what the parameter holds.
const decorators = `import { createParamDecorator, Get, type ExecutionContext } from "@nestjs/common";
import type { Request } from "express";
const TenantHint = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const req = context.switchToHttp().getRequest<Request>();
  return req.header("x-tenant-id") ?? "";
});
const ResolvedTenant = createParamDecorator((_data: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<Request & { tenantId: string }>().tenantId);
`;
// A criteria object named by a shorthand (`find({ where })`) carries the tenant it is built with.
const shorthandWhere = header + `  @Post() list(@Body() dto: ProjectInput) { return this.service.findFor(dto); }\n}`;
const hintedTenant = decorators + header + `  @Get() add(@TenantHint() tenantId: string) { return this.service.add({ tenantId, name: "x" }); }\n}`;

export default {
  fixture: "typeorm-nestjs",
  valid: [
    // A tenant key written after the spread replaces the client's.
    header + `  @Post() add(@Body() dto: ProjectInput) { return this.service.add({ ...dto, tenantId: ctx.tenantId }); }\n}`,
    // The spread's type has no tenant key.
    header + `  @Post() add(@Body() dto: NameInput) { return this.service.add({ ...dto, tenantId: ctx.tenantId, name: dto.name }); }\n}`,
    header + `  @Post() add(@Body() dto: NameInput) { return this.service.addNamed({ ...dto }, ctx); }\n}`,
    // A later spread that sets the tenant key (from a helper) replaces the client's.
    header + `  @Post() list(@Body() dto: ProjectInput) { return this.service.findScoped(dto, ctx); }\n}`,
    // A decorator returning what the request's resolver stored, not request input.
    decorators + header + `  @Get() add(@ResolvedTenant() tenantId: string) { return this.service.add({ tenantId, name: "x" }); }\n}`,
  ],
  invalid: [
    { code: spreadBody, errors: [{ messageId: "clientTenantId", ...positionOf(spreadBody, "this.service.add(") }] },
    { code: hintedTenant, errors: [{ messageId: "clientTenantId", ...positionOf(hintedTenant, "this.service.add(") }] },
    { code: shorthandWhere, errors: [{ messageId: "clientTenantId", ...positionOf(shorthandWhere, "this.service.findFor(") }] },
  ],
} satisfies OrmCases<"clientTenantId">;
