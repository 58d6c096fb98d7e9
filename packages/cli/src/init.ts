import fs from "node:fs";
import path from "node:path";
import { CONFIG_FILE_NAME, parsePrismaSchema } from "@tenant-lint/core";
import { ts } from "@tenant-lint/core";
import { findRepoRoot } from "./git.js";

/** Packages that identify an ORM or a framework, by the name tenant-lint's docs use. */
const ORM_PACKAGES: Readonly<Record<string, readonly string[]>> = {
  Prisma: ["@prisma/client", "prisma"],
  TypeORM: ["typeorm", "@nestjs/typeorm"],
  Drizzle: ["drizzle-orm"],
  Knex: ["knex"],
  Kysely: ["kysely"],
  Sequelize: ["sequelize", "sequelize-typescript"],
  Mongoose: ["mongoose", "@nestjs/mongoose"],
  MikroORM: ["@mikro-orm/core", "@mikro-orm/postgresql", "@mikro-orm/mysql", "@mikro-orm/sqlite", "@mikro-orm/mongodb"],
};

const FRAMEWORK_PACKAGES: Readonly<Record<string, readonly string[]>> = {
  Express: ["express"],
  Fastify: ["fastify"],
  Koa: ["koa", "@koa/router"],
  NestJS: ["@nestjs/core", "@nestjs/common"],
  Hono: ["hono"],
  "Next.js": ["next"],
  tRPC: ["@trpc/server"],
};

/** Names that usually hold a row's tenant: tenantId, tenant_id, orgId, organizationId, workspaceId, accountId… */
const TENANT_KEY_RE = /^(?:tenant|org|organi[sz]ation|workspace|account)(?:Id|ID|_id)$/;

/** A key must be on at least this many models to be a tenant key rather than one entity's foreign key. */
const MIN_MODELS = 2;

export interface Detection {
  /** ORM display name -> where it was seen (`package.json`, `imports`, `schema.prisma`). */
  readonly orms: ReadonlyMap<string, readonly string[]>;
  readonly frameworks: ReadonlyMap<string, readonly string[]>;
  /** Tenant keys, most widespread first, with where they were seen (`3 models: A, B, C`). */
  readonly tenantKeys: ReadonlyMap<string, string>;
  /** Context-like types that carry a candidate tenant key. */
  readonly contextTypes: readonly string[];
  readonly filesScanned: number;
}

/** Looks at a project's manifests, imports and model declarations, without building a program. */
export function detectProject(dir: string): Detection {
  const orms = new Map<string, Set<string>>();
  const frameworks = new Map<string, Set<string>>();
  const note = (map: Map<string, Set<string>>, name: string, where: string) => (map.get(name) ?? map.set(name, new Set()).get(name)!).add(where);

  for (const dependency of manifestDependencies(dir)) {
    for (const [name, packages] of Object.entries(ORM_PACKAGES)) if (packages.includes(dependency)) note(orms, name, "package.json");
    for (const [name, packages] of Object.entries(FRAMEWORK_PACKAGES)) if (packages.includes(dependency)) note(frameworks, name, "package.json");
  }

  const models = new ModelCollector();
  const files = sourceFilesOf(dir);
  for (const file of files) {
    const sourceFile = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true, scriptKind(file));
    for (const specifier of importSpecifiers(sourceFile)) {
      for (const [name, packages] of Object.entries(ORM_PACKAGES)) if (packages.some((p) => isPackageImport(specifier, p))) note(orms, name, "imports");
      for (const [name, packages] of Object.entries(FRAMEWORK_PACKAGES)) if (packages.some((p) => isPackageImport(specifier, p))) note(frameworks, name, "imports");
    }
    models.visit(sourceFile);
  }
  for (const schema of prismaSchemas(dir)) {
    note(orms, "Prisma", "schema.prisma");
    for (const model of parsePrismaSchema(fs.readFileSync(schema, "utf8"))) {
      for (const [field, column] of model.columns) models.add(model.name, field, column);
    }
  }

  const tenantKeys = new Map<string, string>();
  const byReach = [...models.keys()].filter(([, owners]) => owners.size >= MIN_MODELS).sort((a, b) => b[1].size - a[1].size || (a[0] < b[0] ? -1 : 1));
  for (const [key, owners] of byReach) tenantKeys.set(key, `${owners.size} models: ${abbreviate([...owners].sort())}`);
  // Raw SQL names the column (`org_id`, `owner_tenant_id`) where the model says `orgId`, and the
  // context may say `orgId` where rows say `org_id`: the checks need every name the tenant goes by.
  for (const [key] of byReach) {
    for (const column of models.columnsOf(key)) if (!tenantKeys.has(column)) tenantKeys.set(column, `column of ${key}`);
  }
  if (tenantKeys.size) {
    for (const [context, keys] of [...models.contexts].sort()) {
      for (const key of keys) if (!tenantKeys.has(key)) tenantKeys.set(key, `on ${context}`);
    }
  }
  const freeze = (map: Map<string, Set<string>>) => new Map([...map].map(([k, v]) => [k, [...v]]));
  return { orms: freeze(orms), frameworks: freeze(frameworks), tenantKeys, contextTypes: [...models.contexts.keys()].sort(), filesScanned: files.length };
}

/**
 * Collects tenant-key-like properties of model declarations: decorated entity classes (TypeORM,
 * MikroORM, sequelize-typescript, NestJS Mongoose), Sequelize `Model` subclasses and `init`/`define`
 * attributes, Drizzle tables, Mongoose schemas, and Knex/Kysely row interfaces. A column name given
 * as a string (`text("org_id")`, `@Column({ name: "tenant_id" })`) counts too: raw SQL uses it.
 */
class ModelCollector {
  private readonly owners = new Map<string, Set<string>>();
  /** Context-like types (`OrgContext`) with their tenant-key-like properties. */
  readonly contexts = new Map<string, string[]>();
  /** Interfaces named as tables by a `Database`/`DB` interface or Knex's `Tables` augmentation. */
  private readonly tableTypeNames = new Set<string>();
  private readonly interfaces: { name: string; members: ts.NodeArray<ts.TypeElement>; sourceFile: ts.SourceFile }[] = [];

  private readonly columns = new Map<string, Set<string>>();

  add(model: string, key: string, column?: string): void {
    for (const name of new Set([key, column])) {
      if (name && TENANT_KEY_RE.test(name)) (this.owners.get(name) ?? this.owners.set(name, new Set()).get(name)!).add(model);
    }
    if (column && column !== key) (this.columns.get(key) ?? this.columns.set(key, new Set()).get(key)!).add(column);
  }

  /** Database column names a property is mapped to (`tenantId` -> `tenant_id`). */
  columnsOf(key: string): string[] {
    return [...(this.columns.get(key) ?? [])].sort();
  }

  keys(): Map<string, Set<string>> {
    // Row interfaces are only known to be tables once every file has been seen.
    for (const { name, members, sourceFile } of this.interfaces) {
      if (this.tableTypeNames.has(name) || /(?:Table|Row|Entity|Model|Record)$/.test(name)) this.addMembers(name, members, sourceFile);
    }
    this.interfaces.length = 0;
    return this.owners;
  }

  visit(sourceFile: ts.SourceFile): void {
    const walk = (node: ts.Node): void => {
      if (ts.isClassDeclaration(node) && node.name && isModelClass(node)) this.addClass(node.name.text, node, sourceFile);
      else if (ts.isInterfaceDeclaration(node)) this.addInterface(node.name.text, node.members, sourceFile);
      else if (ts.isTypeAliasDeclaration(node) && ts.isTypeLiteralNode(node.type)) this.addInterface(node.name.text, node.type.members, sourceFile);
      else if (ts.isCallExpression(node) || ts.isNewExpression(node)) this.addCall(node, sourceFile);
      ts.forEachChild(node, walk);
    };
    walk(sourceFile);
  }

  private addClass(name: string, node: ts.ClassDeclaration, sourceFile: ts.SourceFile): void {
    for (const member of node.members) {
      if (!ts.isPropertyDeclaration(member) || !member.name) continue;
      const key = propertyName(member.name, sourceFile);
      const column = ts.canHaveDecorators(member) ? ts.getDecorators(member)?.map(decoratorColumnName).find(Boolean) : undefined;
      if (key) this.add(name, key, column);
    }
  }

  private addInterface(name: string, members: ts.NodeArray<ts.TypeElement>, sourceFile: ts.SourceFile): void {
    const keys = members.map((m) => (m.name ? propertyName(m.name, sourceFile) : undefined));
    const tenantLike = keys.filter((k): k is string => !!k && TENANT_KEY_RE.test(k));
    if (/Context$|Scope$/.test(name) && tenantLike.length) this.contexts.set(name, tenantLike);
    // `interface Database { invoices: InvoicesTable }` and `interface Tables { invoices: InvoiceRow }`.
    if (/^(?:DB|Database|Tables)$/.test(name)) {
      for (const member of members) {
        if (ts.isPropertySignature(member) && member.type && ts.isTypeReferenceNode(member.type)) {
          this.tableTypeNames.add(member.type.typeName.getText(sourceFile));
        }
      }
    }
    this.interfaces.push({ name, members, sourceFile });
  }

  private addMembers(name: string, members: ts.NodeArray<ts.TypeElement>, sourceFile: ts.SourceFile): void {
    for (const member of members) {
      const key = member.name ? propertyName(member.name, sourceFile) : undefined;
      if (key) this.add(name, key);
    }
  }

  private addCall(node: ts.CallExpression | ts.NewExpression, sourceFile: ts.SourceFile): void {
    const callee = node.expression.getText(sourceFile);
    const args = node.arguments ?? [];
    let model: string | undefined;
    let attributes: ts.Expression | undefined;
    if (/(?:^|\.)(?:pg|mysql|sqlite)Table$/.test(callee) || /(?:^|\.)define$/.test(callee)) {
      model = args[0] && ts.isStringLiteralLike(args[0]) ? args[0].text : undefined;
      attributes = args[1];
    } else if (/(?:^|\.)Schema$/.test(callee) && ts.isNewExpression(node)) {
      model = schemaOwnerName(node, sourceFile);
      attributes = args[0];
    } else if (/\.init$/.test(callee)) {
      model = callee.replace(/\.init$/, "");
      attributes = args[0];
    } else if (/(?:^|\.)EntitySchema$/.test(callee) && args[0] && ts.isObjectLiteralExpression(args[0])) {
      // MikroORM `new EntitySchema({ name: "AuditEvent", properties: { tenantId: {...} } })`.
      const option = (name: string) => args[0] && ts.isObjectLiteralExpression(args[0])
        ? args[0].properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText(sourceFile) === name)?.initializer
        : undefined;
      const name = option("name");
      model = name && ts.isStringLiteralLike(name) ? name.text : "EntitySchema";
      attributes = option("properties");
    }
    if (!model || !attributes || !ts.isObjectLiteralExpression(attributes)) return;
    for (const property of attributes.properties) {
      if (!property.name) continue;
      const key = propertyName(property.name, sourceFile);
      const column = ts.isPropertyAssignment(property) ? columnNameOfInitializer(property.initializer) : undefined;
      if (key) this.add(model, key, column);
    }
  }
}

function isModelClass(node: ts.ClassDeclaration): boolean {
  const decorators = ts.getDecorators(node) ?? [];
  if (decorators.some((d) => /^(?:Entity|Table|Schema|Model)$/.test(calleeName(d.expression) ?? ""))) return true;
  return !!node.heritageClauses?.some((clause) => clause.types.some((t) => /(?:^|\.)Model$/.test(t.expression.getText())));
}

function calleeName(expression: ts.Expression): string | undefined {
  const target = ts.isCallExpression(expression) ? expression.expression : expression;
  return ts.isIdentifier(target) ? target.text : ts.isPropertyAccessExpression(target) ? target.name.text : undefined;
}

/** `@Column({ name: "tenant_id" })` -> `tenant_id`. */
function decoratorColumnName(decorator: ts.Decorator): string | undefined {
  if (!ts.isCallExpression(decorator.expression)) return undefined;
  for (const arg of decorator.expression.arguments) {
    if (!ts.isObjectLiteralExpression(arg)) continue;
    for (const property of arg.properties) {
      if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && /^(?:name|fieldName)$/.test(property.name.text) && ts.isStringLiteralLike(property.initializer)) {
        return property.initializer.text;
      }
    }
  }
  return undefined;
}

/** `text("org_id").notNull()` -> `org_id`; `{ type: DataTypes.UUID, field: "org_id" }` -> `org_id` (`fieldName` in MikroORM). */
function columnNameOfInitializer(initializer: ts.Expression): string | undefined {
  let current: ts.Expression = initializer;
  while (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression)) current = current.expression.expression;
  if (ts.isCallExpression(current) && current.arguments[0] && ts.isStringLiteralLike(current.arguments[0])) return current.arguments[0].text;
  if (ts.isObjectLiteralExpression(initializer)) {
    for (const property of initializer.properties) {
      if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && /^(?:field|fieldName)$/.test(property.name.text) && ts.isStringLiteralLike(property.initializer)) {
        return property.initializer.text;
      }
    }
  }
  return undefined;
}

/** `const invoiceSchema = new Schema({...})` -> `invoiceSchema`. */
function schemaOwnerName(node: ts.NewExpression, sourceFile: ts.SourceFile): string {
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  const { line } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
  return `${path.basename(sourceFile.fileName)}:${line + 1}`;
}

function propertyName(name: ts.PropertyName | ts.BindingName, sourceFile: ts.SourceFile): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteralLike(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isComputedPropertyName(name)) return undefined;
  return ts.isNumericLiteral(name) ? name.text : name.getText(sourceFile);
}

function importSpecifiers(sourceFile: ts.SourceFile): string[] {
  const out: string[] = [];
  const walk = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      out.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteralLike(node.arguments[0]!)) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === "require")) out.push((node.arguments[0] as ts.StringLiteral).text);
    }
    ts.forEachChild(node, walk);
  };
  walk(sourceFile);
  return out;
}

function isPackageImport(specifier: string, pkg: string): boolean {
  return specifier === pkg || specifier.startsWith(`${pkg}/`);
}

/** Dependencies named by package.json files from `dir` up to the repository root (monorepos declare them at either). */
function manifestDependencies(dir: string): Set<string> {
  const out = new Set<string>();
  const stop = findRepoRoot(dir) ?? path.parse(dir).root;
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const manifest = path.join(current, "package.json");
    if (fs.existsSync(manifest)) {
      try {
        const json = JSON.parse(fs.readFileSync(manifest, "utf8")) as Record<string, Record<string, string> | undefined>;
        for (const field of ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"]) {
          for (const name of Object.keys(json[field] ?? {})) out.add(name);
        }
      } catch {
        // A broken package.json is the package manager's problem to report; detection goes on without it.
      }
    }
    if (current === stop || path.dirname(current) === current) break;
  }
  return out;
}

/** The project's TypeScript files: the tsconfig's when there is one, else every .ts/.tsx outside node_modules. */
function sourceFilesOf(dir: string): string[] {
  const tsconfig = path.join(dir, "tsconfig.json");
  if (fs.existsSync(tsconfig)) {
    const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
    if (parsed) return parsed.fileNames.filter((f) => /\.(?:[cm]?ts|tsx)$/.test(f) && !f.endsWith(".d.ts"));
  }
  return walkFiles(dir, (f) => /\.(?:[cm]?ts|tsx)$/.test(f) && !f.endsWith(".d.ts"));
}

function prismaSchemas(dir: string): string[] {
  return walkFiles(dir, (f) => f.endsWith(".prisma"));
}

function walkFiles(dir: string, accept: (file: string) => boolean): string[] {
  const out: string[] = [];
  const visit = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.isFile() && accept(full)) out.push(full);
    }
  };
  visit(dir);
  return out.sort();
}

function abbreviate(names: readonly string[]): string {
  return names.length > 4 ? `${names.slice(0, 4).join(", ")}, …` : names.join(", ");
}

function scriptKind(file: string): ts.ScriptKind {
  return file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
}

/** The configuration `init` writes: only what differs from the defaults. */
export function configFromDetection(detection: Detection): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  if (detection.tenantKeys.size) config.tenantKeys = [...detection.tenantKeys.keys()];
  if (detection.contextTypes.length) config.contextTypes = [...detection.contextTypes];
  return config;
}

/** What `init` prints: what it found, and what it could not decide. */
export function describeDetection(detection: Detection, configFile: string): string {
  const seen = (map: ReadonlyMap<string, readonly string[]>) => (map.size ? [...map].map(([name, where]) => `${name} (${where.join(", ")})`).join(", ") : "none found");
  const keys = detection.tenantKeys.size
    ? [...detection.tenantKeys].map(([key, where]) => `${key} (${where})`).join("; ")
    : `none on ${MIN_MODELS} or more models; using the defaults (tenantId, tenant_id)`;
  return [
    `Scanned ${detection.filesScanned} TypeScript file${detection.filesScanned === 1 ? "" : "s"}.`,
    `  ORMs:          ${seen(detection.orms)}`,
    `  frameworks:    ${seen(detection.frameworks)}`,
    `  tenant keys:   ${keys}`,
    `  context types: ${detection.contextTypes.length ? detection.contextTypes.join(", ") : "none found; using the default (TenantContext)"}`,
    `Wrote ${configFile}.`,
    `Review it, list the files that resolve the tenant from a request under "trustedResolvers", then run \`tenant-lint check\`.`,
  ].join("\n");
}

export { CONFIG_FILE_NAME };
