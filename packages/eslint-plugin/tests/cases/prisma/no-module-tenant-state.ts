import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import type { TenantContext } from "./tenancy/context.js";\n`;
const letId = header + `export let currentTenantId: string | undefined;`;
const letCtx = header + `let active: TenantContext | null = null;\nexport const set = (c: TenantContext) => { active = c; };\nexport const get = () => active;`;
const holder = header + `export const tenantState = { activeTenantId: "" };`;
const statics = header + `export class Holder {\n  static tenant: TenantContext | undefined;\n}`;
const globals = header + `export function use(c: TenantContext) {\n  (globalThis as Record<string, unknown>).currentTenant = c;\n}`;
const staticList = header + `export class Registry {\n  static activeTenants: string[] = [];\n}`;
const typedState = header + `export const state: { tenantId?: string } = {};`;
const singleton = header + `import { Injectable } from "@nestjs/common";\n@Injectable()\nexport class TenantService {\n  private tenantId: string | undefined;\n  use(id: string) {\n    this.tenantId = id;\n  }\n}`;
const requestScoped = header + `import { Injectable, Scope } from "@nestjs/common";\n@Injectable({ scope: Scope.REQUEST })\nexport class TenantService {\n  private tenantId: string | undefined;\n  use(id: string) {\n    this.tenantId = id;\n  }\n}`;
const als = `import { AsyncLocalStorage } from "node:async_hooks";\n${header}export const storage = new AsyncLocalStorage<TenantContext>();`;

export default {
  fixture: "prisma-express",
  valid: [
    header + `export const TENANT_HEADER = "x-tenant-id";`,
    header + `const names = new Map<string, string>();\nexport const nameOf = (c: TenantContext) => names.get(c.tenantId);`,
    header + `let requests = 0;\nexport const count = () => ++requests;`,
    header + `export class Service {\n  tenant: TenantContext | undefined;\n  static readonly header = "x-tenant-id";\n}`,
    header + `export const defaults = { tenantHeader: "x" } as const;`,
    als,
    requestScoped,
    header + `import { Injectable } from "@nestjs/common";\n@Injectable()\nexport class Service {\n  constructor(private readonly tenantId: string) {}\n}`,
    header + `export const config = { readonly: true } as { readonly tenantId?: string };`,
  ],
  invalid: [
    { code: letId, errors: [{ messageId: "moduleVariable", ...positionOf(letId, "export let") }] },
    { code: letCtx, errors: [{ messageId: "moduleVariable", ...positionOf(letCtx, "let active") }] },
    { code: holder, errors: [{ messageId: "mutableModuleObject", ...positionOf(holder, "export const tenantState") }] },
    { code: statics, errors: [{ messageId: "staticField", ...positionOf(statics, "static tenant") }] },
    { code: globals, errors: [{ messageId: "globalProperty", ...positionOf(globals, "(globalThis") }] },
    { code: staticList, errors: [{ messageId: "staticField", ...positionOf(staticList, "static activeTenants") }] },
    { code: typedState, errors: [{ messageId: "mutableModuleObject", ...positionOf(typedState, "export const state") }] },
    { code: singleton, errors: [{ messageId: "singletonField", ...positionOf(singleton, "private tenantId") }] },
    { code: als, options: [{ allowAsyncLocalStorage: false }], errors: [{ messageId: "asyncLocalStorage", ...positionOf(als, "export const storage") }] },
  ],
} satisfies OrmCases<"moduleVariable" | "mutableModuleObject" | "staticField" | "globalProperty" | "asyncLocalStorage" | "singletonField">;
