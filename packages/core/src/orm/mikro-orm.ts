import ts from "../typescript.cjs";
import { isOutermostCall, methodChain, type ChainLink } from "../chain.js";
import type { AnalysisContext, OrmAdapter } from "../context.js";
import { tableNamed, type DataAccess, type EntityInfo, type FilterPart, type Operation, type TableInfo } from "../model.js";
import { constraintOfObject } from "../scope.js";
import {
  isFromPackage,
  nonNullableParts,
  resolvedSymbol,
  returnedExpressions,
  skipWrappers,
  staticName,
  typeArguments,
  typeSymbol,
} from "../ts-utils.js";
import { objectLiteralOf, optionOf, resultCacheKeyOf, sqlTextOf } from "./args.js";

/** Where the package declares its API: files that see none of it hold none of its values. */
const MIKRO_ORM_FILES = /\/node_modules\/@mikro-orm\//;

/** Every MikroORM package (`@mikro-orm/core`, `@mikro-orm/knex`, `@mikro-orm/postgresql`, ...). */
const PACKAGE = "@mikro-orm";

/**
 * Where a method reads its arguments, counted after the entity name that `EntityManager` methods
 * take first (`em.find(Ticket, where, options)`; `repo.find(where, options)`).
 */
interface MethodShape {
  readonly operation: Operation;
  readonly where?: number;
  readonly data?: number;
  readonly options?: number;
  /** `findAll`: the criteria are the options' `where`. */
  readonly whereInOptions?: boolean;
  readonly singleRow?: boolean;
}

const METHODS: Readonly<Record<string, MethodShape>> = {
  find: { operation: "read", where: 0, options: 1 },
  findOne: { operation: "read", where: 0, options: 1, singleRow: true },
  findOneOrFail: { operation: "read", where: 0, options: 1, singleRow: true },
  findAndCount: { operation: "read", where: 0, options: 1 },
  findByCursor: { operation: "read", where: 0, options: 1 },
  findAll: { operation: "read", options: 0, whereInOptions: true },
  count: { operation: "read", where: 0, options: 1 },
  nativeUpdate: { operation: "update", where: 0, data: 1, options: 2 },
  nativeDelete: { operation: "delete", where: 0, options: 1 },
  create: { operation: "create", data: 0 },
  insert: { operation: "create", data: 0 },
  insertMany: { operation: "create", data: 0 },
  upsert: { operation: "upsert", data: 0 },
  upsertMany: { operation: "upsert", data: 0 },
};

/** `em.insert(entity)`, `em.upsert(entity)`: the entity instance stands in for the entity name and the data. */
const INSTANCE_FORMS = new Set(["insert", "insertMany", "upsert", "upsertMany"]);

/** QueryBuilder calls that send the built query. */
const QB_TERMINALS = new Set(["execute", "getResult", "getResultList", "getSingleResult", "getCount", "getResultAndCount"]);
const QB_WRITES: Readonly<Record<string, Operation>> = {
  update: "update",
  delete: "delete",
  truncate: "delete",
  insert: "create",
  merge: "upsert",
};

type Owner = "manager" | "repository";

/**
 * MikroORM: `EntityManager` (any driver's, a fork, a `transactional` callback's) and `EntityRepository<E>`
 * methods, recognised by the class that declares the called method; the entity comes from the
 * call's inferred `Entity` type argument or the repository's `entityName`. QueryBuilder chains
 * started by `em.createQueryBuilder(E)` / `em.qb(E)` are read when they are executed in place.
 */
export const mikroOrmAdapter: OrmAdapter = {
  orm: "mikro-orm",
  declaredIn: MIKRO_ORM_FILES,

  classify(call, ctx) {
    return classifyMethodCall(call, ctx) ?? classifyQueryBuilder(call, ctx);
  },

  rawSql(node, ctx) {
    if (!ts.isCallExpression(node)) return undefined;
    const callee = skipWrappers(node.expression);
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== "execute") return undefined;
    // `em.execute(sql)` (SQL drivers), `em.getConnection().execute(sql)`, `em.getDriver().execute(sql)`;
    // not QueryBuilder#execute, which sends the query it built.
    const owner = declaringClassName(callee, ctx);
    if (!owner || !/(EntityManager|Connection|Driver)$/.test(owner)) return undefined;
    const text = sqlTextOf(node.arguments[0], ctx);
    return text === undefined ? undefined : { orm: "mikro-orm", node, text };
  },

  tables(ctx, name) {
    return ctx.memoize("mikro-orm:tables", () => mikroOrmTables(ctx)).filter(tableNamed(name));
  },
};

function classifyMethodCall(call: ts.CallExpression, ctx: AnalysisContext): DataAccess | undefined {
  const callee = skipWrappers(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  if (method === "remove") return removalByReference(call, callee, ctx);
  const shape = METHODS[method];
  if (!shape) return undefined;
  const owner = ownerOf(callee, ctx);
  if (!owner) return undefined;

  const entityType = owner === "manager" ? managerEntityType(call, ctx) : repositoryEntityType(callee.expression, ctx);
  if (!entityType) return undefined;
  const entity = entityOf(entityType, ctx);
  if (!entity) return undefined;

  const instanceForm = owner === "manager" && INSTANCE_FORMS.has(method) && call.arguments.length === 1;
  const offset = owner === "manager" && !instanceForm ? 1 : 0;
  const arg = (position: number | undefined) => (position === undefined ? undefined : call.arguments[position + offset]);
  const options = arg(shape.options);

  const filters: FilterPart[] = [];
  const created: ts.Expression[] = [];
  const updated: ts.Expression[] = [];
  const data = arg(shape.data);
  if (shape.operation === "create") {
    if (data) created.push(data);
  } else if (shape.operation === "upsert") {
    // An upsert matches the existing row by the unique values it is given (the primary key unless
    // `onConflictFields` says otherwise): the data is both its criteria and the new row. Only
    // literal data tells which values it sets; an entity or DTO variable makes no claim.
    if (!data || !isLiteralData(data, ctx)) return undefined;
    created.push(data);
    filters.push({ kind: "object", expr: data });
  } else {
    const where = shape.whereInOptions ? optionOf(options, "where", ctx) : arg(shape.where);
    if (where === undefined && shape.whereInOptions) return undefined; // options we cannot read: no claim
    // A missing `where` (`em.count(E)`, `findAll(E)`) matches every row.
    if (where) filters.push(...criteriaParts(where, entityType, ctx));
    if (data) updated.push(data);
  }

  // Entity filters apply to finds, counts, native updates and deletes; upserts bypass them.
  let filtersDisabled = false;
  if (entity.scopedByDefault) {
    if (shape.operation === "upsert") filtersDisabled = true;
    else if (shape.operation !== "create") {
      const off = filtersSwitchedOff(options, defaultTenantFilters(entityType, ctx), ctx);
      if (off === undefined) return undefined;
      filtersDisabled = off;
    }
  }

  return {
    orm: "mikro-orm",
    entity,
    operation: shape.operation,
    method,
    node: call,
    filters,
    created,
    updated,
    singleRow: shape.singleRow ?? false,
    filtersDisabled,
    resultCacheKey: resultCacheKeyOf(options, ctx),
  };
}

/**
 * `em.remove(em.getReference(Ticket, id))`: a delete by primary key of a row never loaded. (Removing
 * a loaded entity deletes the row its read already constrained.)
 */
function removalByReference(call: ts.CallExpression, callee: ts.PropertyAccessExpression, ctx: AnalysisContext): DataAccess | undefined {
  const reference = call.arguments[0] && skipWrappers(call.arguments[0]);
  if (!reference || !ts.isCallExpression(reference) || reference.arguments.length < 2) return undefined;
  const referenceCallee = skipWrappers(reference.expression);
  if (!ts.isPropertyAccessExpression(referenceCallee) || referenceCallee.name.text !== "getReference") return undefined;
  if (ownerOf(callee, ctx) !== "manager" || ownerOf(referenceCallee, ctx) !== "manager") return undefined;
  const entityType = managerEntityType(reference, ctx);
  const entity = entityType && entityOf(entityType, ctx);
  if (!entity) return undefined;
  return {
    orm: "mikro-orm",
    entity,
    operation: "delete",
    method: "remove",
    node: call,
    filters: [{ kind: "unscoped", node: reference.arguments[1]! }],
    created: [],
    updated: [],
    singleRow: true,
  };
}

/** `EntityManager` or `EntityRepository` when the called method is declared by that MikroORM class (or a driver's subclass). */
function ownerOf(callee: ts.PropertyAccessExpression, ctx: AnalysisContext): Owner | undefined {
  const name = declaringClassName(callee, ctx);
  if (name === undefined) return undefined;
  if (/EntityManager$/.test(name)) return "manager";
  if (/EntityRepository$/.test(name)) return "repository";
  return undefined;
}

/** The name of the MikroORM class that declares the called method; undefined for anything declared elsewhere. */
function declaringClassName(callee: ts.PropertyAccessExpression, ctx: AnalysisContext): string | undefined {
  const symbol = ctx.checker.getSymbolAtLocation(callee.name);
  if (!symbol || !isFromPackage(symbol, PACKAGE)) return undefined;
  const owner = symbol.declarations?.[0]?.parent;
  return owner && ts.isClassDeclaration(owner) ? owner.name?.text : undefined;
}

/** The `Entity` type argument TypeScript inferred for `em.find(Ticket, ...)` (class, schema or instance). */
function managerEntityType(call: ts.CallExpression, ctx: AnalysisContext): ts.Type | undefined {
  const signature = ctx.checker.getResolvedSignature(call);
  const entity = signature && ctx.checker.getTypeArgumentsForResolvedSignature(signature)?.[0];
  return entity && isObjectType(entity, ctx) ? entity : undefined;
}

/** `EntityRepository<E>` and its subclasses declare `entityName: EntityName<E>`, whatever the subclass's own type parameters. */
function repositoryEntityType(receiver: ts.Expression, ctx: AnalysisContext): ts.Type | undefined {
  const type = ctx.checker.getTypeAtLocation(receiver);
  const property = ctx.checker.getPropertyOfType(ctx.checker.getApparentType(type), "entityName");
  if (!property) return undefined;
  const nameType = ctx.checker.getTypeOfSymbolAtLocation(property, receiver);
  const entity = typeSymbol(nameType)?.getName() === "EntityName" ? typeArguments(ctx.checker, nameType)[0] : undefined;
  return entity && isObjectType(entity, ctx) ? entity : undefined;
}

function isLiteralData(expr: ts.Expression, ctx: AnalysisContext): boolean {
  return objectLiteralOf(expr, ctx) !== undefined || ts.isArrayLiteralExpression(skipWrappers(expr));
}

/**
 * An entity type: a class or interface, the mapped/intersection type `defineEntity` infers, or the
 * type parameter of a generic base repository (`extends EntityRepository<T>`) constrained to one; not `any`.
 */
function isObjectType(type: ts.Type, ctx: AnalysisContext): boolean {
  if (type.flags & ts.TypeFlags.TypeParameter) {
    const constraint = ctx.checker.getBaseConstraintOfType(type);
    return constraint !== undefined && constraint !== type && isObjectType(constraint, ctx);
  }
  return (type.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection)) !== 0;
}

function entityOf(entityType: ts.Type, ctx: AnalysisContext): EntityInfo | undefined {
  return ctx.entityOfRowType("mikro-orm", entityType, schemaEntityName(entityType, ctx), defaultTenantFilters(entityType, ctx).length > 0);
}

/** The `name` an `EntitySchema` / `defineEntity` definition gives its entity, whose inferred type may have none. */
function schemaEntityName(entityType: ts.Type, ctx: AnalysisContext): string | undefined {
  const schema = entitySchemas(ctx).find((s) => s.entityType === entityType);
  return schema && (stringOption(schema.options, "name", ctx) ?? schemaClassName(schema.options, ctx));
}

/** A `where` argument's filters: the criteria object and those it reaches through to-one relations. */
function criteriaParts(where: ts.Expression, entityType: ts.Type, ctx: AnalysisContext): FilterPart[] {
  const e = skipWrappers(where);
  return ts.isObjectLiteralExpression(e) ? [{ kind: "object", expr: where }, ...toOneRelationFilters(e, entityType, ctx, 0)] : [criteriaPart(where, entityType, ctx)];
}

/**
 * The filters on related rows a `where` reaches through to-one relations: `{ order: { event:
 * { organizer: ctx.organizerId } } }` reads the tickets of one organizer's events, whose tenant
 * is theirs. (A to-many relation's filter, on a `Collection`, only asks that some related row match.)
 */
function toOneRelationFilters(where: ts.ObjectLiteralExpression, entityType: ts.Type, ctx: AnalysisContext, depth: number): FilterPart[] {
  if (depth > 3) return [];
  return where.properties.flatMap((property) => {
    if (!ts.isPropertyAssignment(property)) return [];
    const value = skipWrappers(property.initializer);
    const name = staticName(property.name);
    const relation = name ? ctx.checker.getPropertyOfType(entityType, name) : undefined;
    if (!ts.isObjectLiteralExpression(value) || !relation) return [];
    const related = referencedEntity(ctx.checker.getNonNullableType(ctx.checker.getTypeOfSymbol(relation)), ctx);
    if (!(related.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection)) || ctx.checker.isArrayType(related) || typeSymbol(related)?.getName() === "Collection") return [];
    return [{ kind: "object", expr: value } as FilterPart, ...toOneRelationFilters(value, related, ctx, depth + 1)];
  });
}

/** `Ref<Order>` / `Reference<Order>` -> `Order`: the entity a reference wrapper points to. */
function referencedEntity(type: ts.Type, ctx: AnalysisContext): ts.Type {
  // `Ref<Order>` resolves to `{ id: number } & Reference<Order & object>`.
  if (type.isIntersection()) {
    const reference = type.types.find((part) => REFERENCE_WRAPPERS.has(typeSymbol(part)?.getName() ?? ""));
    if (reference) return referencedEntity(reference, ctx);
  }
  const alias = type.aliasSymbol;
  if (alias && REFERENCE_WRAPPERS.has(alias.getName()) && isFromPackage(alias, "@mikro-orm/core") && type.aliasTypeArguments?.[0]) return type.aliasTypeArguments[0];
  const symbol = typeSymbol(type);
  if (symbol && REFERENCE_WRAPPERS.has(symbol.getName()) && isFromPackage(symbol, "@mikro-orm/core")) return typeArguments(ctx.checker, type)[0] ?? type;
  return type;
}

const REFERENCE_WRAPPERS = new Set(["Ref", "Reference", "LoadedReference", "IdentifiedReference"]);

/**
 * A `where` argument. A primary key (`em.findOne(Ticket, id)`), a list of them, or an entity
 * instance selects rows by identity alone, so it does not scope the query.
 */
function criteriaPart(where: ts.Expression, entityType: ts.Type, ctx: AnalysisContext): FilterPart {
  const e = skipWrappers(where);
  if (ts.isObjectLiteralExpression(e)) return { kind: "object", expr: where };
  const type = ctx.checker.getTypeAtLocation(e);
  const parts = nonNullableParts(type);
  if (parts.length > 0 && parts.every((part) => isPrimaryKeyType(part, entityType, ctx))) return { kind: "unscoped", node: where };
  return { kind: "object", expr: where };
}

function isPrimaryKeyType(type: ts.Type, entityType: ts.Type, ctx: AnalysisContext): boolean {
  if (type.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BigIntLike)) return true;
  if (type === entityType) return true;
  if (ctx.checker.isArrayType(type)) {
    const element = typeArguments(ctx.checker, type)[0];
    return element !== undefined && isPrimaryKeyType(element, entityType, ctx);
  }
  return false;
}

/**
 * Whether a call's `filters` option switches off every default tenant filter of its entity:
 * `filters: false` or `filters: { tenant: false }`. A list of names (`filters: ["active"]`) only
 * enables more filters. `undefined` when the option cannot be read.
 */
function filtersSwitchedOff(options: ts.Expression | undefined, tenantFilters: readonly string[], ctx: AnalysisContext): boolean | undefined {
  const value = optionOf(options, "filters", ctx);
  if (value === undefined) return undefined;
  if (value === null) return false;
  const e = skipWrappers(value);
  if (e.kind === ts.SyntaxKind.FalseKeyword) return true;
  if (e.kind === ts.SyntaxKind.TrueKeyword || ts.isArrayLiteralExpression(e)) return false;
  if (!objectLiteralOf(e, ctx)) return undefined;
  let allOff = true;
  for (const name of tenantFilters) {
    const setting = optionOf(e, name, ctx);
    if (setting === undefined) return undefined;
    if (setting === null || skipWrappers(setting).kind !== ts.SyntaxKind.FalseKeyword) allOff = false;
  }
  return allOff;
}

// ---------------------------------------------------------------------------------------------
// Default entity filters

/**
 * Names of the filters that are on by default for an entity and pin its tenant: `@Filter({ name,
 * cond, default: true })` on the class or a base class, or `filters` in an `EntitySchema` /
 * `defineEntity` definition. Filters registered at runtime (`em.addFilter`, the ORM config) are not read.
 */
function defaultTenantFilters(entityType: ts.Type, ctx: AnalysisContext): readonly string[] {
  const cache = ctx.memoize("mikro-orm:default-filters", () => new Map<ts.Type, readonly string[]>());
  let names = cache.get(entityType);
  if (!names) {
    const definitions = [...classFilterDefinitions(entityType, ctx), ...schemaFilterDefinitions(entityType, ctx)];
    names = definitions.filter((d) => isDefaultTenantFilter(d.options, ctx)).map((d) => d.name);
    cache.set(entityType, names);
  }
  return names;
}

interface FilterDefinition {
  readonly name: string;
  readonly options: ts.ObjectLiteralExpression;
}

function classFilterDefinitions(entityType: ts.Type, ctx: AnalysisContext): FilterDefinition[] {
  const out: FilterDefinition[] = [];
  for (const cls of classHierarchy(entityType, ctx)) {
    for (const decorator of mikroDecorators(cls, ctx)) {
      if (decorator.name !== "Filter") continue;
      const options = objectLiteralOf(decorator.call.arguments[0], ctx);
      const name = options && stringOption(options, "name", ctx);
      if (options && name) out.push({ name, options });
    }
  }
  return out;
}

function schemaFilterDefinitions(entityType: ts.Type, ctx: AnalysisContext): FilterDefinition[] {
  const out: FilterDefinition[] = [];
  for (const schema of entitySchemas(ctx)) {
    if (schema.entityType !== entityType) continue;
    const filters = objectLiteralOf(optionOf(schema.options, "filters", ctx) ?? undefined, ctx);
    for (const property of filters?.properties ?? []) {
      if (!ts.isPropertyAssignment(property)) continue;
      const options = objectLiteralOf(property.initializer, ctx);
      const name = (options && stringOption(options, "name", ctx)) ?? staticName(property.name);
      if (options && name) out.push({ name, options });
    }
  }
  return out;
}

/** `default: true` and a `cond` (object, or function returning one) that pins a tenant key or tenant relation. */
function isDefaultTenantFilter(options: ts.ObjectLiteralExpression, ctx: AnalysisContext): boolean {
  const isDefault = optionOf(options, "default", ctx);
  if (!isDefault || skipWrappers(isDefault).kind !== ts.SyntaxKind.TrueKeyword) return false;
  if (optionOf(options, "entity", ctx)) return false; // restricted to named entities: not read
  const conditions = filterConditions(options, ctx);
  return conditions.length > 0 && conditions.every((c) => constraintOfObject(c, undefined, ctx, 0).kind === "pinned");
}

/** The criteria a filter's `cond` produces: `cond: {...}`, `cond: (args) => ({...})` or `cond(args) { return {...}; }`. */
function filterConditions(options: ts.ObjectLiteralExpression, ctx: AnalysisContext): ts.Expression[] {
  const method = options.properties.find((p): p is ts.MethodDeclaration => ts.isMethodDeclaration(p) && staticName(p.name) === "cond");
  if (method) return returnedExpressions(method);
  const cond = optionOf(options, "cond", ctx);
  if (!cond) return [];
  const e = skipWrappers(cond);
  return ts.isArrowFunction(e) || ts.isFunctionExpression(e) ? returnedExpressions(e) : [e];
}

/** The class declarations of an entity type and of its base classes (filters are inherited). */
function classHierarchy(entityType: ts.Type, ctx: AnalysisContext): ts.ClassLikeDeclaration[] {
  const out: ts.ClassLikeDeclaration[] = [];
  const seen = new Set<ts.Type>();
  let queue: ts.Type[] = [entityType];
  while (queue.length) {
    const next: ts.Type[] = [];
    for (const type of queue) {
      if (seen.has(type)) continue;
      seen.add(type);
      for (const decl of type.getSymbol()?.declarations ?? []) if (ts.isClassLike(decl)) out.push(decl);
      if (type.isClassOrInterface()) next.push(...(ctx.checker.getBaseTypes(type) ?? []));
    }
    queue = next;
  }
  return out;
}

interface MikroDecorator {
  readonly name: string;
  readonly call: ts.CallExpression;
}

/** `@Entity(...)`, `@Filter(...)`, `@Property(...)`, ... imported from a MikroORM package. */
function mikroDecorators(node: ts.HasDecorators, ctx: AnalysisContext): MikroDecorator[] {
  const out: MikroDecorator[] = [];
  for (const decorator of ts.getDecorators(node) ?? []) {
    const call = skipWrappers(decorator.expression);
    if (!ts.isCallExpression(call)) continue;
    const symbol = resolvedSymbol(ctx.checker, call.expression);
    if (symbol && isFromPackage(symbol, PACKAGE)) out.push({ name: symbol.getName(), call });
  }
  return out;
}

function stringOption(options: ts.Expression, name: string, ctx: AnalysisContext): string | undefined {
  const value = optionOf(options, name, ctx);
  const e = value ? skipWrappers(value) : undefined;
  return e && ts.isStringLiteralLike(e) ? e.text : undefined;
}

// ---------------------------------------------------------------------------------------------
// Entity definitions without decorators

interface SchemaDefinition {
  readonly entityType: ts.Type | undefined;
  readonly options: ts.ObjectLiteralExpression;
}

/** Every `new EntitySchema({...})` and `defineEntity({...})` in the program, with the entity type it defines. */
function entitySchemas(ctx: AnalysisContext): readonly SchemaDefinition[] {
  return ctx.programWide("mikro-orm:schemas", () => {
    const out: SchemaDefinition[] = [];
    for (const sf of programSources(ctx)) {
      const visit = (node: ts.Node): void => {
        if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && isSchemaDefinition(node, ctx)) {
          const options = objectLiteralOf(node.arguments?.[0], ctx);
          const schemaType = ctx.checker.getTypeAtLocation(node);
          if (options) out.push({ entityType: typeArguments(ctx.checker, schemaType)[0], options });
        }
        ts.forEachChild(node, visit);
      };
      visit(sf);
    }
    return out;
  });
}

function isSchemaDefinition(node: ts.NewExpression | ts.CallExpression, ctx: AnalysisContext): boolean {
  const symbol = resolvedSymbol(ctx.checker, node.expression);
  const expected = ts.isNewExpression(node) ? "EntitySchema" : "defineEntity";
  return symbol?.getName() === expected && isFromPackage(symbol, PACKAGE);
}

function programSources(ctx: AnalysisContext): ts.SourceFile[] {
  return ctx.program.getSourceFiles().filter((sf) => !sf.isDeclarationFile && !sf.fileName.includes("/node_modules/") && ctx.sees(sf, MIKRO_ORM_FILES));
}

// ---------------------------------------------------------------------------------------------
// Tables for raw SQL

/**
 * Tables of `@Entity` classes and `EntitySchema` / `defineEntity` definitions. Names follow MikroORM's
 * default `UnderscoreNamingStrategy` unless given: table `tableName` / `collection`, else the class
 * (or schema `name`) in snake_case (`SupportTicket` -> `support_ticket`); a tenant key column
 * `fieldName`, else the property in snake_case (`tenantId` -> `tenant_id`); a tenant relation's
 * `joinColumn` / `fieldName`, else `<property>_id` (`tenant` -> `tenant_id`).
 */
function mikroOrmTables(ctx: AnalysisContext): TableInfo[] {
  const tables: TableInfo[] = [];
  for (const sf of programSources(ctx)) {
    const visit = (node: ts.Node): void => {
      if (ts.isClassDeclaration(node)) {
        const table = classTable(node, ctx);
        if (table) tables.push(table);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  for (const schema of entitySchemas(ctx)) {
    const table = schemaTable(schema.options, ctx);
    if (table) tables.push(table);
  }
  return tables;
}

function classTable(cls: ts.ClassDeclaration, ctx: AnalysisContext): TableInfo | undefined {
  const entityDecorator = mikroDecorators(cls, ctx).find((d) => d.name === "Entity");
  if (!entityDecorator || !cls.name) return undefined;
  const options = objectLiteralOf(entityDecorator.call.arguments[0], ctx);
  // Abstract entities are inlined into their subclasses' tables.
  const isAbstract = options && optionOf(options, "abstract", ctx);
  if (isAbstract && skipWrappers(isAbstract).kind === ts.SyntaxKind.TrueKeyword) return undefined;
  const name = (options && (stringOption(options, "tableName", ctx) ?? stringOption(options, "collection", ctx))) ?? underscore(cls.name.text);
  const tenantColumns = new Set<string>();
  const classSymbol = ctx.checker.getSymbolAtLocation(cls.name);
  const instanceType = classSymbol && ctx.checker.getDeclaredTypeOfSymbol(classSymbol);
  // Through the type, so tenant columns declared on a base class count too.
  for (const property of instanceType ? ctx.checker.getPropertiesOfType(instanceType) : []) {
    const column = tenantColumnOfProperty(property, ctx);
    if (column) tenantColumns.add(column);
  }
  return { orm: "mikro-orm", name, tenantColumns: [...tenantColumns] };
}

const RELATION_DECORATORS = new Set(["ManyToOne", "OneToOne"]);

function tenantColumnOfProperty(property: ts.Symbol, ctx: AnalysisContext): string | undefined {
  const name = property.getName();
  const isKey = ctx.isTenantKey(name);
  if (!isKey && !ctx.isTenantRelationName(name)) return undefined;
  const decl = property.declarations?.find(ts.isPropertyDeclaration);
  const decorators = decl ? mikroDecorators(decl, ctx) : [];
  const relation = decorators.find((d) => RELATION_DECORATORS.has(d.name));
  if (relation) return relationColumn(relation.call.arguments, name, ctx);
  const scalar = decorators.find((d) => d.name === "Property" || d.name === "PrimaryKey");
  if (!scalar || !isKey) return undefined;
  const options = objectLiteralOf(scalar.call.arguments[0], ctx);
  return (options && (stringOption(options, "fieldName", ctx) ?? stringOption(options, "name", ctx))) ?? underscore(name);
}

/** `@ManyToOne(() => Tenant, { joinColumn })` or `@ManyToOne({ entity, joinColumn })`. */
function relationColumn(args: readonly ts.Expression[], name: string, ctx: AnalysisContext): string {
  for (const arg of args) {
    const options = objectLiteralOf(arg, ctx);
    const column = options && (stringOption(options, "joinColumn", ctx) ?? stringOption(options, "fieldName", ctx));
    if (column) return column;
  }
  return `${underscore(name)}_id`;
}

function schemaTable(options: ts.ObjectLiteralExpression, ctx: AnalysisContext): TableInfo | undefined {
  const entityName = stringOption(options, "name", ctx) ?? schemaClassName(options, ctx);
  const name = stringOption(options, "tableName", ctx) ?? stringOption(options, "collection", ctx) ?? (entityName && underscore(entityName));
  if (!name) return undefined;
  const tenantColumns: string[] = [];
  for (const property of schemaProperties(options, ctx)) {
    const propName = staticName(property.name);
    if (!propName || !ts.isPropertyAssignment(property)) continue;
    const isKey = ctx.isTenantKey(propName);
    if (!isKey && !ctx.isTenantRelationName(propName)) continue;
    const column = schemaColumn(property.initializer, propName, isKey, ctx);
    if (column) tenantColumns.push(column);
  }
  return { orm: "mikro-orm", name, tenantColumns };
}

/** `new EntitySchema({ class: Invoice, ... })` is named after its class. */
function schemaClassName(options: ts.ObjectLiteralExpression, ctx: AnalysisContext): string | undefined {
  const value = optionOf(options, "class", ctx);
  const e = value ? skipWrappers(value) : undefined;
  return e && ts.isIdentifier(e) ? e.text : undefined;
}

/** `properties: {...}` or, with `defineEntity`, `properties: (p) => ({...})`. */
function schemaProperties(options: ts.ObjectLiteralExpression, ctx: AnalysisContext): readonly ts.ObjectLiteralElementLike[] {
  const value = optionOf(options, "properties", ctx);
  if (!value) return [];
  const e = skipWrappers(value);
  const body = ts.isArrowFunction(e) || ts.isFunctionExpression(e) ? returnedExpressions(e)[0] : e;
  return objectLiteralOf(body, ctx)?.properties ?? [];
}

/**
 * The column of one schema property: `{ type: "string", fieldName: "tenant_id" }`,
 * `{ kind: "m:1", entity: () => Tenant, joinColumn }`, or a builder `p.string().fieldName("x")`,
 * `p.manyToOne(Tenant).joinColumn("x")`.
 */
function schemaColumn(value: ts.Expression, propName: string, isKey: boolean, ctx: AnalysisContext): string | undefined {
  const literal = objectLiteralOf(value, ctx);
  if (literal) {
    const kind = stringOption(literal, "kind", ctx) ?? stringOption(literal, "reference", ctx);
    const isRelation = kind === "m:1" || kind === "1:1" || kind === "manyToOne" || kind === "oneToOne";
    if (isRelation) return stringOption(literal, "joinColumn", ctx) ?? stringOption(literal, "fieldName", ctx) ?? `${underscore(propName)}_id`;
    return isKey ? (stringOption(literal, "fieldName", ctx) ?? stringOption(literal, "name", ctx) ?? underscore(propName)) : undefined;
  }
  const e = skipWrappers(value);
  if (!ts.isCallExpression(e)) return undefined;
  const links = methodChain(e).links;
  const named = links.find((l) => l.name === "joinColumn" || l.name === "fieldName")?.args[0];
  const given = named && ts.isStringLiteralLike(skipWrappers(named)) ? (skipWrappers(named) as ts.StringLiteral).text : undefined;
  const isRelation = links.some((l) => l.name === "manyToOne" || l.name === "oneToOne");
  if (isRelation) return given ?? `${underscore(propName)}_id`;
  return isKey ? (given ?? underscore(propName)) : undefined;
}

/** MikroORM's `UnderscoreNamingStrategy#underscore`. */
function underscore(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// QueryBuilder

/**
 * `em.createQueryBuilder(Ticket, "t").select("*").where({...}).getResult()`: a chain that starts at
 * the EntityManager and runs in place (ends in an executing call or is awaited). Builders kept in a
 * variable and completed elsewhere are not read. The QueryBuilder never applies entity filters.
 */
function classifyQueryBuilder(call: ts.CallExpression, ctx: AnalysisContext): DataAccess | undefined {
  if (!isOutermostCall(call)) return undefined;
  const { links } = methodChain(call);
  const start = links.findIndex((l) => (l.name === "createQueryBuilder" || l.name === "qb") && isManagerMethod(l, ctx));
  if (start < 0) return undefined;
  const last = links[links.length - 1]!;
  if (!QB_TERMINALS.has(last.name) && !isAwaited(call)) return undefined;
  const builderType = ctx.checker.getTypeAtLocation(links[start]!.call);
  const entityType = typeArguments(ctx.checker, builderType)[0];
  if (!entityType || !isObjectType(entityType, ctx)) return undefined;
  const entity = entityOf(entityType, ctx);
  if (!entity) return undefined;

  let operation: Operation = "read";
  let method = "select";
  const filters: FilterPart[] = [];
  const created: ts.Expression[] = [];
  const updated: ts.Expression[] = [];
  for (const link of links.slice(start + 1)) {
    const write = QB_WRITES[link.name];
    if (write) {
      operation = write;
      method = link.name;
      const [first] = link.args;
      if (write === "create" && first) created.push(...elementsOrSelf(first));
      else if (write === "update" && first) updated.push(first);
      else if (write === "delete" && first) filters.push({ kind: "object", expr: first });
      else if (write === "upsert") {
        // `insert(row).onConflict(...).merge(changes?)`: like `em.upsert`, the inserted values select the row.
        filters.push(...created.map((row): FilterPart => ({ kind: "object", expr: row })));
        if (first && !ts.isArrayLiteralExpression(skipWrappers(first))) updated.push(first);
      }
      continue;
    }
    const part = qbFilterOfLink(link);
    if (part === "unknown") return undefined;
    if (part) filters.push(part);
  }
  return {
    orm: "mikro-orm",
    entity,
    operation,
    method,
    node: call,
    filters,
    created,
    updated,
    singleRow: last.name === "getSingleResult",
    filtersDisabled: true,
  };
}

function isManagerMethod(link: ChainLink, ctx: AnalysisContext): boolean {
  const callee = skipWrappers(link.call.expression);
  return ts.isPropertyAccessExpression(callee) && ownerOf(callee, ctx) === "manager";
}

function isAwaited(call: ts.CallExpression): boolean {
  let node: ts.Node = call;
  while (node.parent && ts.isParenthesizedExpression(node.parent)) node = node.parent;
  return node.parent !== undefined && ts.isAwaitExpression(node.parent);
}

function isAndOperator(expr: ts.Expression): boolean {
  const e = skipWrappers(expr);
  return ts.isStringLiteralLike(e) && e.text === "$and";
}

function elementsOrSelf(expr: ts.Expression): readonly ts.Expression[] {
  const e = skipWrappers(expr);
  return ts.isArrayLiteralExpression(e) ? e.elements : [expr];
}

/**
 * `where({...})`, `where("tenant_id = ?", [id])`, `andWhere(...)`; `"unknown"` for `orWhere` and
 * `where(cond, "$or")`, which can widen what earlier conditions matched.
 */
function qbFilterOfLink(link: ChainLink): FilterPart | "unknown" | undefined {
  const [cond, second] = link.args;
  switch (link.name) {
    case "where":
    case "andWhere": {
      if (!cond) return undefined;
      const e = skipWrappers(cond);
      if (ts.isStringLiteralLike(e)) return { kind: "sql", text: e.text, params: second, node: link.call };
      if (second && !isAndOperator(second)) return "unknown";
      return { kind: "object", expr: cond };
    }
    case "orWhere":
      return "unknown";
    default:
      return undefined;
  }
}
