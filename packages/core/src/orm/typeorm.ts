import ts from "../typescript.cjs";
import type { ChainLink } from "../chain.js";
import type { AnalysisContext, OrmAdapter } from "../context.js";
import { fileNodes } from "../file-nodes.js";
import { tableNamed, type DataAccess, type EntityInfo, type FilterPart, type Operation, type TableInfo } from "../model.js";
import { escapeRegExp } from "../scope.js";
import {
  constInitializer,
  forEachDescendant,
  isFromPackage,
  isReassigned,
  nonNullableParts,
  resolvedSymbol,
  skipWrappers,
  staticName,
  typeArguments,
  typeSymbol,
  variableDeclarationOf,
} from "../ts-utils.js";
import { setsTenantKey } from "../writes.js";
import { objectLiteralOf, onlyReturnedExpression, optionOf, resultCacheKeyOf, sqlTextOf, templateText } from "./args.js";

/** Where the package declares its API: files that see none of it hold none of its values. */
const TYPEORM_FILES = /\/node_modules\/typeorm\//;

/**
 * How a repository-style method filters rows, at which argument (counted after `EntityManager`'s
 * entity-class argument):
 * - `options`: a `FindOptions` object, filtered by its `where`;
 * - `where`: a `FindOptionsWhere` (or an array of them, meaning "any of");
 * - `criteria`: a `where` object, or primary keys (`delete(id)`, `update([a, b], ...)`);
 * - `ids`: primary keys only (`findByIds`, `findOneById`);
 * - `all`: every row of the table (`deleteAll`, `clear`).
 */
type CriteriaShape = "options" | "where" | "criteria" | "ids" | "all";

interface MethodSpec {
  readonly operation: Operation;
  readonly criteria?: { readonly shape: CriteriaShape; readonly index: number };
  /** Argument holding the values written, and whether they are new rows or changes. */
  readonly data?: { readonly index: number; readonly into: "created" | "updated" };
  readonly singleRow?: boolean;
}

const readSpec = (shape: CriteriaShape, index = 0, singleRow = false): MethodSpec => ({ operation: "read", criteria: { shape, index }, singleRow });

/** `Repository`, `EntityManager` and `BaseEntity` methods that query the database. `save` and `upsert` are read apart. */
const METHODS: Readonly<Record<string, MethodSpec>> = {
  find: readSpec("options"),
  findAndCount: readSpec("options"),
  count: readSpec("options"),
  exists: readSpec("options"),
  exist: readSpec("options"),
  findOne: readSpec("options", 0, true),
  findOneOrFail: readSpec("options", 0, true),
  findBy: readSpec("where"),
  findAndCountBy: readSpec("where"),
  countBy: readSpec("where"),
  existsBy: readSpec("where"),
  findOneBy: readSpec("where", 0, true),
  findOneByOrFail: readSpec("where", 0, true),
  sum: readSpec("where", 1),
  average: readSpec("where", 1),
  minimum: readSpec("where", 1),
  maximum: readSpec("where", 1),
  findByIds: readSpec("ids"),
  findOneById: readSpec("ids", 0, true),
  update: { operation: "update", criteria: { shape: "criteria", index: 0 }, data: { index: 1, into: "updated" } },
  updateAll: { operation: "update", criteria: { shape: "all", index: 0 }, data: { index: 0, into: "updated" } },
  increment: { operation: "update", criteria: { shape: "where", index: 0 } },
  decrement: { operation: "update", criteria: { shape: "where", index: 0 } },
  restore: { operation: "update", criteria: { shape: "criteria", index: 0 } },
  delete: { operation: "delete", criteria: { shape: "criteria", index: 0 } },
  softDelete: { operation: "delete", criteria: { shape: "criteria", index: 0 } },
  deleteAll: { operation: "delete", criteria: { shape: "all", index: 0 } },
  clear: { operation: "delete", criteria: { shape: "all", index: 0 } },
  insert: { operation: "create", data: { index: 0, into: "created" } },
};

/** Repository classes, each typed with its entity (`Repository<Invoice>`). */
const REPOSITORY_CLASSES = new Set(["Repository", "TreeRepository"]);
const ENTITY_MANAGER = "EntityManager";
const BASE_ENTITY = "BaseEntity";

/** Query builders and the operation each one runs. */
const BUILDERS: Readonly<Record<string, Operation>> = {
  SelectQueryBuilder: "read",
  UpdateQueryBuilder: "update",
  DeleteQueryBuilder: "delete",
  SoftDeleteQueryBuilder: "delete",
  InsertQueryBuilder: "create",
};

/** Builder methods that run the query; the builder chain is classified at these calls. */
const BUILDER_TERMINALS = new Set([
  "getMany",
  "getOne",
  "getOneOrFail",
  "getManyAndCount",
  "getCount",
  "getExists",
  "getRawMany",
  "getRawOne",
  "getRawAndEntities",
  "stream",
  "execute",
]);
const SINGLE_ROW_TERMINALS = new Set(["getOne", "getOneOrFail", "getRawOne"]);

/** Builder methods that can widen the rows a query selects (`where` replaces every earlier condition). */
const WIDENING_LINKS = new Set(["where", "orWhere", "whereInIds", "orWhereInIds", "whereExists", "orWhereExists"]);

const PRIMARY_DECORATORS = new Set(["PrimaryGeneratedColumn", "PrimaryColumn", "ObjectIdColumn"]);
const COLUMN_DECORATORS = new Set(["Column", "PrimaryColumn"]);
const OWNING_RELATION_DECORATORS = new Set(["ManyToOne", "OneToOne"]);

/**
 * TypeORM 0.3: `Repository<E>` (however obtained: `@InjectRepository`, `getRepository(E)`,
 * `Repository.extend`, a subclass), `EntityManager` methods taking the entity class, `BaseEntity`
 * statics, and query builder chains. Calls are recognised because the method is declared by the
 * typeorm package's own classes; the entity is the class the repository or builder is typed with.
 */
export const typeormAdapter: OrmAdapter = {
  orm: "typeorm",
  declaredIn: TYPEORM_FILES,

  classify(call, ctx) {
    const callee = skipWrappers(call.expression);
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    const method = callee.name.text;
    if (BUILDER_TERMINALS.has(method) && builderName(ctx.checker.getTypeAtLocation(callee.expression))) {
      return classifyBuilder(call, callee, ctx);
    }
    if (!Object.hasOwn(METHODS, method) && method !== "save" && method !== "upsert") return undefined;
    const owner = typeormOwner(callee, ctx);
    if (!owner) return undefined;
    const receiverType = ctx.checker.getTypeAtLocation(callee.expression);
    if (owner.className === ENTITY_MANAGER) return classifyManagerCall(call, method, ctx);
    if (REPOSITORY_CLASSES.has(owner.className)) {
      const entityType = repositoryEntityType(receiverType, ctx, 0);
      return entityType && classifyEntityMethod(call, method, entityType, call.arguments, ctx);
    }
    if (owner.className !== BASE_ENTITY) return undefined;
    if (owner.isStatic) {
      const entityType = instanceTypeOfClass(receiverType, ctx);
      return entityType && classifyEntityMethod(call, method, entityType, call.arguments, ctx);
    }
    // `invoice.save()` on an Active Record instance saves the instance itself.
    const instanceType = nonNullableParts(receiverType)[0];
    return method === "save" && instanceType && isEntityClass(instanceType, ctx)
      ? classifySave(call, method, instanceType, callee.expression, ctx)
      : undefined;
  },

  rawSql(node, ctx) {
    if (ts.isTaggedTemplateExpression(node)) {
      const tag = skipWrappers(node.tag);
      if (!ts.isPropertyAccessExpression(tag) || tag.name.text !== "sql" || !typeormOwner(tag, ctx)) return undefined;
      return { orm: "typeorm", node, text: templateText(node.template) };
    }
    const callee = skipWrappers(node.expression);
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== "query" || !typeormOwner(callee, ctx)) return undefined;
    const text = sqlTextOf(node.arguments[0], ctx);
    return text === undefined ? undefined : { orm: "typeorm", node, text };
  },

  tables(ctx, name) {
    return ctx.memoize("typeorm:tables", () => typeormTables(ctx)).filter(tableNamed(name));
  },
};

// ---------------------------------------------------------------------------------------------
// Recognising TypeORM receivers

/** The typeorm class or interface that declares a member (`Repository`, `EntityManager`, ...), if any. */
function typeormOwner(member: ts.PropertyAccessExpression, ctx: AnalysisContext): { className: string; isStatic: boolean } | undefined {
  const symbol = ctx.checker.getSymbolAtLocation(member.name);
  if (!symbol || !isFromPackage(symbol, "typeorm")) return undefined;
  for (const decl of symbol.declarations ?? []) {
    const owner = decl.parent;
    if ((ts.isClassDeclaration(owner) || ts.isInterfaceDeclaration(owner)) && owner.name) {
      const isStatic = ts.canHaveModifiers(decl) && (ts.getModifiers(decl)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword) ?? false);
      return { className: owner.name.text, isStatic };
    }
  }
  return undefined;
}

/** The entity of a `Repository<E>`, of a class extending one, or of `Repository<E>.extend({...})`. */
function repositoryEntityType(type: ts.Type, ctx: AnalysisContext, depth: number): ts.Type | undefined {
  if (depth > 4) return undefined;
  // The apparent type turns `this` (inside a custom repository) into the class it stands for.
  const apparent = ctx.checker.getApparentType(type);
  const parts = apparent.isIntersection() ? apparent.types : [apparent];
  for (const part of parts) {
    const symbol = part.getSymbol();
    if (symbol && REPOSITORY_CLASSES.has(symbol.getName()) && isFromPackage(symbol, "typeorm")) {
      return usableEntityType(typeArguments(ctx.checker, part)[0]);
    }
    const isReference = part.flags & ts.TypeFlags.Object && (part as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference;
    const target = isReference ? (part as ts.TypeReference).target : part;
    if (!target.isClassOrInterface()) continue;
    for (const base of ctx.checker.getBaseTypes(target)) {
      const found = repositoryEntityType(base, ctx, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

function usableEntityType(type: ts.Type | undefined): ts.Type | undefined {
  return type && !(type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) ? type : undefined;
}

/** The instance type of an entity class value (`Invoice` in `manager.find(Invoice, ...)`); not of `"Invoice"` strings. */
function instanceTypeOfClass(type: ts.Type, ctx: AnalysisContext): ts.Type | undefined {
  const construct = ctx.checker.getSignaturesOfType(type, ts.SignatureKind.Construct)[0];
  return usableEntityType(construct?.getReturnType());
}

function entityOf(entityType: ts.Type, ctx: AnalysisContext): EntityInfo | undefined {
  return ctx.entityOfRowType("typeorm", entityType, typeSymbol(entityType)?.getName());
}

/** The query builder class a type is (`SelectQueryBuilder`, ...), if it is one of typeorm's. */
function builderName(type: ts.Type): string | undefined {
  const symbol = type.getSymbol();
  const name = symbol?.getName();
  return name && Object.hasOwn(BUILDERS, name) && isFromPackage(symbol, "typeorm") ? name : undefined;
}

/** True for the instance type of a class decorated with typeorm's `@Entity`. */
function isEntityClass(type: ts.Type, ctx: AnalysisContext): boolean {
  const decl = type.getSymbol()?.valueDeclaration;
  return !!decl && ts.isClassDeclaration(decl) && typeormDecorators(decl, ctx).some((d) => d.name === "Entity");
}

// ---------------------------------------------------------------------------------------------
// Repository, EntityManager and BaseEntity methods

/** `manager.find(Invoice, {...})`: the entity class comes first; `manager.save(invoice)` passes an instance only. */
function classifyManagerCall(call: ts.CallExpression, method: string, ctx: AnalysisContext): DataAccess | undefined {
  const [target, ...rest] = call.arguments;
  if (!target) return undefined;
  const entityType = instanceTypeOfClass(ctx.checker.getTypeAtLocation(target), ctx);
  if (entityType) return classifyEntityMethod(call, method, entityType, rest, ctx);
  if (method !== "save") return undefined;
  const instanceType = nonNullableParts(ctx.checker.getTypeAtLocation(target))[0];
  return instanceType && isEntityClass(instanceType, ctx) ? classifySave(call, method, instanceType, target, ctx) : undefined;
}

function classifyEntityMethod(
  call: ts.CallExpression,
  method: string,
  entityType: ts.Type,
  args: readonly ts.Expression[],
  ctx: AnalysisContext,
): DataAccess | undefined {
  if (method === "save") return classifySave(call, method, entityType, args[0], ctx);
  if (method === "upsert") return classifyUpsert(call, entityType, args[0], ctx);
  if (!Object.hasOwn(METHODS, method)) return undefined;
  const spec = METHODS[method]!;
  const entity = entityOf(entityType, ctx);
  if (!entity) return undefined;
  const filters = spec.criteria ? criteriaFilter(spec.criteria.shape, args[spec.criteria.index], call, ctx) : [];
  if (!filters) return undefined; // criteria we cannot read: no claim either way
  const created: ts.Expression[] = [];
  const updated: ts.Expression[] = [];
  const data = spec.data && args[spec.data.index];
  if (data && spec.data?.into === "created") created.push(createdData(data, ctx) ?? data);
  else if (data) updated.push(data);
  const resultCacheKey = spec.criteria?.shape === "options" ? resultCacheKeyOf(args[spec.criteria.index], ctx) : undefined;
  return { orm: "typeorm", entity, operation: spec.operation, method, node: call, filters, created, updated, singleRow: spec.singleRow ?? false, resultCacheKey };
}

/** The filter a method's criteria argument applies; `undefined` when it cannot be read. */
function criteriaFilter(shape: CriteriaShape, arg: ts.Expression | undefined, call: ts.CallExpression, ctx: AnalysisContext): FilterPart[] | undefined {
  switch (shape) {
    case "all":
      return [];
    case "ids":
      return [{ kind: "unscoped", node: arg ?? call }];
    case "options": {
      const where = optionOf(arg, "where", ctx);
      if (where === undefined) return undefined;
      return where === null ? [] : whereFilter(where, ctx);
    }
    case "where":
      return arg ? whereFilter(arg, ctx) : [];
    case "criteria":
      if (!arg) return [];
      if (ts.isObjectLiteralExpression(skipWrappers(arg))) return whereFilter(arg, ctx);
      return isPrimaryKeyValue(ctx.checker.getTypeAtLocation(arg), ctx) ? [{ kind: "unscoped", node: arg }] : whereFilter(arg, ctx);
  }
}

/** A `FindOptionsWhere` (or array of them): read by the scope evaluation; `any` values tell nothing. */
function whereFilter(where: ts.Expression, ctx: AnalysisContext): FilterPart[] | undefined {
  // Written out, it is an object (asking for its type would resolve the whole call it is passed to).
  if (ts.isObjectLiteralExpression(skipWrappers(where))) return [{ kind: "object", expr: where }];
  const type = ctx.checker.getTypeAtLocation(where);
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return undefined;
  return [{ kind: "object", expr: where }];
}

/** `delete(id)`, `update([a, b], ...)`: criteria that are primary-key values, not a `where` object. */
function isPrimaryKeyValue(type: ts.Type, ctx: AnalysisContext): boolean {
  const parts = nonNullableParts(type);
  return (
    parts.length > 0 &&
    parts.every((part) => {
      if (part.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BigIntLike)) return true;
      if (ctx.checker.isArrayType(part)) {
        const element = ctx.checker.getTypeArguments(part as ts.TypeReference)[0];
        return element !== undefined && isPrimaryKeyValue(element, ctx);
      }
      const name = part.getSymbol()?.getName();
      return name === "Date" || name === "ObjectId";
    })
  );
}

/**
 * `upsert(values, conflictPaths)` inserts the values or updates the row that conflicts with them,
 * so the tenant key among written-out values both sets the new row's tenant and picks the existing
 * row. Values known only by their type (`upsert(rows, ...)`) are checked like an insert's.
 */
function classifyUpsert(call: ts.CallExpression, entityType: ts.Type, values: ts.Expression | undefined, ctx: AnalysisContext): DataAccess | undefined {
  const entity = entityOf(entityType, ctx);
  if (!entity || !values) return undefined;
  const base = { orm: "typeorm" as const, entity, method: "upsert", node: call, created: [values], updated: [] };
  if (!objectLiteralOf(values, ctx) && !ts.isArrayLiteralExpression(skipWrappers(values))) return { ...base, operation: "create", filters: [] };
  return { ...base, operation: "upsert", filters: [{ kind: "object", expr: values }] };
}

// ---------------------------------------------------------------------------------------------
// save()

/**
 * What a `save` argument is:
 * - `create`: new rows (an object without a primary key, `repo.create({...})`, a DTO typed without one);
 * - `byKey`: an object with a primary key, which TypeORM loads by that key alone and then updates;
 * - `loaded`: an entity this function loaded earlier, with the objects copied into it since.
 */
type SaveShape =
  | { readonly kind: "create"; readonly rows: readonly ts.Expression[] }
  | { readonly kind: "byKey"; readonly values: ts.Expression }
  | { readonly kind: "loaded"; readonly row: ts.Expression; readonly writes: readonly ts.Expression[] };

function classifySave(call: ts.CallExpression, method: string, entityType: ts.Type, value: ts.Expression | undefined, ctx: AnalysisContext): DataAccess | undefined {
  const entity = entityOf(entityType, ctx);
  if (!entity || !value) return undefined;
  const shape = saveShape(value, entityType, call, ctx, 0);
  if (!shape) return undefined;
  const base = { orm: "typeorm" as const, entity, method, node: call };
  switch (shape.kind) {
    case "create":
      return { ...base, operation: "create", filters: [], created: shape.rows, updated: [] };
    case "byKey":
      // The tenant key among the values pins the row only as the values' own filter; the rows
      // they write are the ones that filter selects, so the key is not also reported as a change.
      // Unless the values copy a whole row (which already carries its tenant) and then override
      // the key: `save({ ...loaded, tenantId: other })` moves that row to another tenant.
      return {
        ...base,
        operation: "update",
        filters: [{ kind: "object", expr: shape.values }],
        created: [],
        updated: overridesCopiedTenantKey(shape.values, ctx) ? [shape.values] : [],
      };
    case "loaded":
      // The load was scoped (or reported) where it happened; what remains is what changed since.
      return shape.writes.length
        ? { ...base, operation: "update", filters: [{ kind: "row", node: shape.row }], created: [], updated: shape.writes }
        : undefined;
  }
}

/** `{ ...row, tenantId: x }` where `row`'s type already has the tenant key. */
function overridesCopiedTenantKey(values: ts.Expression, ctx: AnalysisContext): boolean {
  const literal = skipWrappers(values);
  if (!ts.isObjectLiteralExpression(literal)) return false;
  let copiedKey = false;
  for (const property of literal.properties) {
    if (ts.isSpreadAssignment(property)) {
      const type = ctx.checker.getTypeAtLocation(property.expression);
      copiedKey ||= ctx.checker.getPropertiesOfType(type).some((p) => ctx.isTenantKey(p.getName()) || ctx.isTenantRelationName(p.getName()));
    } else if (copiedKey) {
      const name = property.name && ts.isIdentifier(property.name) ? property.name.text : property.name && ts.isStringLiteral(property.name) ? property.name.text : undefined;
      if (ctx.isTenantKey(name) || ctx.isTenantRelationName(name)) return true;
    }
  }
  return false;
}

function saveShape(value: ts.Expression, entityType: ts.Type, save: ts.CallExpression, ctx: AnalysisContext, depth: number): SaveShape | undefined {
  if (depth > 4) return undefined;
  const e = skipWrappers(value);
  if (ts.isArrayLiteralExpression(e)) {
    const rows: ts.Expression[] = [];
    for (const element of e.elements) {
      const shape = saveShape(element, entityType, save, ctx, depth + 1);
      if (shape?.kind !== "create") return undefined;
      rows.push(...shape.rows);
    }
    return { kind: "create", rows };
  }
  const data = createdData(e, ctx);
  if (data) return { kind: "create", rows: [data] };
  if (ts.isObjectLiteralExpression(e)) {
    const key = primaryKeyPresence(e, entityType, ctx);
    return key === "yes" ? { kind: "byKey", values: e } : key === "no" ? { kind: "create", rows: [e] } : undefined;
  }
  if (ts.isIdentifier(e)) return savedVariableShape(e, entityType, save, ctx, depth + 1);
  return typedSaveShape(e, entityType, ctx);
}

/** A variable passed to `save`: built here (`repo.create`, a literal), loaded by a query earlier, or known by its type. */
function savedVariableShape(id: ts.Identifier, entityType: ts.Type, save: ts.CallExpression, ctx: AnalysisContext, depth: number): SaveShape | undefined {
  const decl = variableDeclarationOf(ctx.checker, id);
  if (!decl) return typedSaveShape(id, entityType, ctx);
  if (save.pos >= decl.pos && save.end <= decl.end) return undefined; // `const row = await repo.save(row)`
  const history = historyBefore(decl, save, ctx);
  if (!history) return undefined;
  const init = constInitializer(ctx.checker, id);
  const initial = init && skipWrappers(init);
  // `row.tenantId = v` on a loaded row is reported where it is assigned (no-tenant-id-mutation);
  // values copied in by `Object.assign`/`merge` are written by this save.
  if (initial && ts.isCallExpression(initial) && isLoadOf(initial, entityType, ctx)) return { kind: "loaded", row: id, writes: history.merged };
  // A row built here may get its tenant key afterwards (`row.tenantId = ...`), or from a function it is passed to.
  const keyAssigned = history.members.some((m) => ctx.isTenantKey(m.name) || ctx.isTenantRelationName(m.name));
  const keySetLater = keyAssigned || history.escapes || history.merged.some((m) => setsTenantKey(m, ctx, { optionalCounts: true }) !== "no");
  if (initial && isBlankEntity(initial, entityType, ctx)) {
    // `const row = new Invoice(); row.number = n;`: the row holds exactly the members assigned to it.
    const values = ts.factory.createObjectLiteralExpression(history.members.map((m) => ts.factory.createPropertyAssignment(m.name, m.value)));
    return keySetLater ? undefined : { kind: "create", rows: [values] };
  }
  const shape = (initial && saveShape(initial, entityType, save, ctx, depth)) ?? typedSaveShape(id, entityType, ctx);
  return shape?.kind === "create" && keySetLater ? undefined : shape;
}

/** `new Invoice()` or `repo.create()` without data: an empty entity, filled by member assignments. */
function isBlankEntity(expr: ts.Expression, entityType: ts.Type, ctx: AnalysisContext): boolean {
  if (ts.isNewExpression(expr)) {
    const constructed = instanceTypeOfClass(ctx.checker.getTypeAtLocation(expr.expression), ctx);
    return !expr.arguments?.length && constructed !== undefined && typeSymbol(constructed) === typeSymbol(entityType);
  }
  if (!ts.isCallExpression(expr) || expr.arguments.length > 0) return false;
  const callee = skipWrappers(expr.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== "create") return false;
  const owner = typeormOwner(callee, ctx);
  return owner !== undefined && (REPOSITORY_CLASSES.has(owner.className) || owner.className === BASE_ENTITY);
}

/** A value known only by its type: a create when the type has no primary key at all (a creation DTO). */
function typedSaveShape(e: ts.Expression, entityType: ts.Type, ctx: AnalysisContext): SaveShape | undefined {
  // The value an `await` (which `skipWrappers` looked through) gives: `await this.get(id)` is a row, not a promise.
  const typeAtLocation = ctx.checker.getTypeAtLocation(e);
  const type = ctx.checker.getAwaitedType(typeAtLocation) ?? typeAtLocation;
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return undefined;
  const keys = primaryKeys(entityType, ctx);
  const rowTypes = nonNullableParts(type).map((part) => (ctx.checker.isArrayType(part) ? ctx.checker.getTypeArguments(part as ts.TypeReference)[0] ?? part : part));
  const hasKey = rowTypes.some((row) => row.flags & ts.TypeFlags.Any || keys.some((k) => ctx.checker.getPropertyOfType(row, k) !== undefined));
  return hasKey ? undefined : { kind: "create", rows: [e] };
}

/** A typeorm read of the same entity: `await repo.findOneByOrFail(...)`, `await qb.getOne()`. */
function isLoadOf(call: ts.CallExpression, entityType: ts.Type, ctx: AnalysisContext): boolean {
  const access = ctx.accessOf(call);
  return access?.orm === "typeorm" && access.operation === "read" && access.entity.name === typeSymbol(entityType)?.getName();
}

/** The data of `repo.create(data)`, `manager.create(Invoice, data)`, `Invoice.create(data)`: an entity built in memory. */
function createdData(expr: ts.Expression, ctx: AnalysisContext): ts.Expression | undefined {
  const e = skipWrappers(expr);
  if (!ts.isCallExpression(e)) return undefined;
  const callee = skipWrappers(e.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== "create") return undefined;
  const owner = typeormOwner(callee, ctx);
  if (!owner) return undefined;
  if (owner.className === ENTITY_MANAGER) return e.arguments[1];
  return REPOSITORY_CLASSES.has(owner.className) || owner.className === BASE_ENTITY ? e.arguments[0] : undefined;
}

/** Whether an object literal of values carries the entity's primary key: `maybe` through a spread of a type that has it. */
function primaryKeyPresence(literal: ts.ObjectLiteralExpression, entityType: ts.Type, ctx: AnalysisContext): "yes" | "no" | "maybe" {
  const keys = primaryKeys(entityType, ctx);
  let presence: "no" | "maybe" = "no";
  for (const property of literal.properties) {
    if (ts.isSpreadAssignment(property)) {
      const type = ctx.checker.getTypeAtLocation(property.expression);
      if (type.flags & ts.TypeFlags.Any) {
        presence = "maybe";
        continue;
      }
      const copied = keys.map((k) => ctx.checker.getPropertyOfType(type, k)).filter((p): p is ts.Symbol => p !== undefined);
      // A whole loaded row (`...contact`) always carries its key; a partial DTO only may.
      if (copied.length && copied.every((p) => !(p.flags & ts.SymbolFlags.Optional))) return "yes";
      if (copied.length) presence = "maybe";
      continue;
    }
    const name = staticName(property.name);
    if (!name || !keys.includes(name)) continue;
    if (ts.isPropertyAssignment(property) && isUndefinedValue(property.initializer)) continue;
    return "yes";
  }
  return presence;
}

function isUndefinedValue(expr: ts.Expression): boolean {
  const e = skipWrappers(expr);
  return ts.isIdentifier(e) && e.text === "undefined";
}

/** What the code does to a saved object between its declaration and the `save`. */
interface ObjectHistory {
  /** Members assigned to it: `row.number = n`. */
  readonly members: readonly { readonly name: string; readonly value: ts.Expression }[];
  /** Objects copied into it: the sources of `Object.assign(row, src)` and `repo.merge(row, src)`. */
  readonly merged: readonly ts.Expression[];
  /** It is passed to a function, which may write anything to it. */
  readonly escapes: boolean;
}

function historyBefore(decl: ts.VariableDeclaration | ts.BindingElement | ts.ParameterDeclaration, before: ts.CallExpression, ctx: AnalysisContext): ObjectHistory | undefined {
  if (!ts.isIdentifier(decl.name)) return undefined;
  const symbol = ctx.checker.getSymbolAtLocation(decl.name);
  const scope = ts.findAncestor(decl, (n) => ts.isFunctionLike(n) || ts.isSourceFile(n));
  if (!symbol || !scope) return undefined;
  const members: { name: string; value: ts.Expression }[] = [];
  const merged: ts.Expression[] = [];
  let escapes = false;
  forEachDescendant(scope, (node) => {
    if (!ts.isIdentifier(node) || node === decl.name || node.getStart() >= before.getStart()) return;
    if (ctx.checker.getSymbolAtLocation(node) !== symbol) return;
    const parent = node.parent;
    if ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === node) {
      const assignment = parent.parent;
      const name = staticName(parent);
      if (ts.isBinaryExpression(assignment) && assignment.left === parent && assignment.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        if (name) members.push({ name, value: assignment.right });
        else escapes = true; // `row[key] = v`: any member, the tenant key included
      }
      return;
    }
    if (ts.isCallExpression(parent) && parent.arguments.some((arg) => arg === node)) {
      const assigned = assignedSources(parent, ctx);
      if (assigned?.target === node) merged.push(...assigned.values);
      else escapes = true;
    }
  });
  return { members, merged, escapes };
}

/** `Object.assign(target, ...values)`, `repo.merge(target, ...values)`, `manager.merge(E, target, ...values)`. */
function assignedSources(call: ts.CallExpression, ctx: AnalysisContext): { target: ts.Expression | undefined; values: ts.Expression[] } | undefined {
  const callee = skipWrappers(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const [first, ...rest] = call.arguments;
  if (callee.name.text === "assign" && isGlobalObject(callee.expression, ctx)) return { target: first, values: rest };
  if (callee.name.text !== "merge") return undefined;
  const owner = typeormOwner(callee, ctx);
  if (!owner) return undefined;
  if (owner.className === ENTITY_MANAGER) return { target: rest[0], values: rest.slice(1) };
  return { target: first, values: rest };
}

function isGlobalObject(expr: ts.Expression, ctx: AnalysisContext): boolean {
  const symbol = resolvedSymbol(ctx.checker, skipWrappers(expr));
  return symbol?.getName() === "Object" && (symbol.declarations ?? []).some((d) => ctx.program.isSourceFileDefaultLibrary(d.getSourceFile()));
}

/** The entity's primary key properties (`@PrimaryGeneratedColumn`, `@PrimaryColumn`), or `id` when none is declared. */
function primaryKeys(entityType: ts.Type, ctx: AnalysisContext): readonly string[] {
  let keys = primaryKeyCache.get(entityType);
  if (!keys) {
    keys = ctx.checker
      .getPropertiesOfType(entityType)
      .filter((p) => typeormDecorators(p.valueDeclaration, ctx).some((d) => PRIMARY_DECORATORS.has(d.name)))
      .map((p) => p.getName());
    if (keys.length === 0) keys = ["id"];
    primaryKeyCache.set(entityType, keys);
  }
  return keys;
}

const primaryKeyCache = new WeakMap<ts.Type, readonly string[]>();

// ---------------------------------------------------------------------------------------------
// Query builders

/**
 * A builder chain run at `call` (`getMany()`, `execute()`), read from the `createQueryBuilder`
 * that started it: through a `const qb` and the statements that extend it, or a helper returning it.
 */
function classifyBuilder(call: ts.CallExpression, callee: ts.PropertyAccessExpression, ctx: AnalysisContext): DataAccess | undefined {
  const builderType = ctx.checker.getTypeAtLocation(callee.expression);
  const kind = builderName(builderType)!;
  const links = builderLinks(callee.expression, ctx, 0);
  if (!links) return undefined;
  const entityType = usableEntityType(typeArguments(ctx.checker, builderType)[0]) ?? targetEntityType(links, ctx);
  const entity = entityType && entityOf(entityType, ctx);
  if (!entity) return undefined;

  let operation = BUILDERS[kind]!;
  let method = callee.name.text;
  // The where clauses joined as TypeORM writes them, `A AND B OR C` without parentheses, so
  // `(A AND B) OR C`: each `orWhere` starts a branch that later `andWhere`s extend.
  let branches: FilterPart[][] = [[]];
  const joinFilters: FilterPart[] = [];
  const created: ts.Expression[] = [];
  const updated: ts.Expression[] = [];
  const tenantAliases = new Set(links.map((link) => tenantJoinAlias(link, ctx)).filter((alias) => alias !== undefined));
  for (const link of links) {
    const [first, second] = link.args;
    switch (link.name) {
      case "where":
      case "andWhere":
      case "orWhere": {
        const parts = builderCondition(link, tenantAliases, ctx);
        if (!parts) return undefined;
        if (link.name === "where") branches = [parts];
        else if (link.name === "orWhere") branches.push(parts);
        else branches.at(-1)!.push(...parts);
        break;
      }
      case "innerJoin":
      case "innerJoinAndSelect": {
        // An inner join's condition filters the rows themselves (a left join's only what it joins),
        // and `where` does not replace it.
        const condition = tenantJoinAlias(link, ctx) && sqlTextOf(link.args[2], ctx);
        if (condition) joinFilters.push({ kind: "sql", text: withTenantJoins(condition, tenantAliases, ctx), params: link.args[3], node: link.call });
        break;
      }
      case "whereInIds":
        branches = [[{ kind: "unscoped", node: link.call }]];
        break;
      case "orWhereInIds":
      case "whereExists":
      case "orWhereExists":
        return undefined; // alternatives and subqueries the analysis does not read
      case "set":
        if (first) updated.push(first);
        break;
      case "update": {
        method = link.name;
        const values = link.args.length === 2 ? second : first && !isEntityTarget(first, ctx) ? first : undefined;
        if (values) updated.push(values);
        break;
      }
      case "values":
        if (first) created.push(first);
        break;
      case "orUpdate":
        operation = "upsert";
        break;
      case "delete":
      case "softDelete":
      case "insert":
        method = link.name;
        break;
      case "restore":
        method = link.name;
        operation = "update";
        break;
    }
  }
  let filters: FilterPart[] = branches.length === 1 ? branches[0]! : [{ kind: "alternatives", branches, node: call }];
  // An insert that updates on conflict picks the existing row by the values it inserts.
  if (operation === "upsert") filters = created.map((values) => ({ kind: "object", expr: values }));
  return {
    orm: "typeorm",
    entity,
    operation,
    method,
    node: call,
    filters: [...joinFilters, ...filters],
    created,
    updated,
    singleRow: SINGLE_ROW_TERMINALS.has(callee.name.text),
  };
}

/**
 * The entity class a chain names as its target (`update(StockItem)`, `delete().from(Invoice)`,
 * `insert().into(Invoice)`): on a builder without an entity (`dataSource.createQueryBuilder()`)
 * TypeORM's overloads type the result `UpdateQueryBuilder<any>`, and only the argument tells.
 */
function targetEntityType(links: readonly ChainLink[], ctx: AnalysisContext): ts.Type | undefined {
  for (const link of links) {
    if (!TARGET_LINKS.has(link.name) || !link.args[0]) continue;
    const instance = instanceTypeOfClass(ctx.checker.getTypeAtLocation(link.args[0]), ctx);
    if (instance && isEntityClass(instance, ctx)) return instance;
  }
  return undefined;
}

const TARGET_LINKS = new Set(["update", "from", "into"]);

/** `update(Invoice)`, `update("invoices")`: a target, not the values to set. */
function isEntityTarget(expr: ts.Expression, ctx: AnalysisContext): boolean {
  const type = ctx.checker.getTypeAtLocation(expr);
  return !!(type.flags & ts.TypeFlags.StringLike) || instanceTypeOfClass(type, ctx) !== undefined;
}

/** The filter of `where(...)`/`andWhere(...)`: a SQL predicate string or a criteria object; `undefined` for `Brackets` and callbacks. */
function builderCondition(link: ChainLink, tenantAliases: ReadonlySet<string>, ctx: AnalysisContext): FilterPart[] | undefined {
  const [condition, params] = link.args;
  if (!condition) return [];
  const e = skipWrappers(condition);
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return undefined;
  const text = sqlTextOf(condition, ctx);
  if (text !== undefined) return [{ kind: "sql", text: withTenantJoins(text, tenantAliases, ctx), params, node: link.call }];
  const type = ctx.checker.getTypeAtLocation(condition);
  if (type.flags & ts.TypeFlags.StringLike) return undefined; // a string built elsewhere
  const symbol = type.getSymbol();
  if (symbol && isFromPackage(symbol, "typeorm")) return undefined; // `Brackets`, `NotBrackets`
  return whereFilter(condition, ctx);
}

const JOIN_LINKS = new Set(["innerJoin", "innerJoinAndSelect", "leftJoin", "leftJoinAndSelect"]);

/** `innerJoin("p.tenant", "t")`: the alias a join gives the tenant relation, if it joins that relation. */
function tenantJoinAlias(link: ChainLink, ctx: AnalysisContext): string | undefined {
  if (!JOIN_LINKS.has(link.name)) return undefined;
  const [path, alias] = link.args.map(skipWrappers);
  if (!path || !alias || !ts.isStringLiteralLike(path) || !ts.isStringLiteralLike(alias)) return undefined;
  return ctx.isTenantRelationName(path.text.split(".").pop()) ? alias.text : undefined;
}

/** `t.id = :tenantId` on the joined tenant row compares the row's tenant key: read it as `t.tenantId`. */
function withTenantJoins(text: string, tenantAliases: ReadonlySet<string>, ctx: AnalysisContext): string {
  let out = text;
  for (const alias of tenantAliases) {
    out = out.replace(new RegExp(`\\b${escapeRegExp(alias)}\\.["\`]?id["\`]?(?!\\w)`, "g"), `${alias}.${ctx.config.tenantKeys[0]}`);
  }
  return out;
}

/**
 * The builder calls made after `createQueryBuilder(...)` up to `expr`, or `undefined` when where
 * the builder came from cannot be seen (a parameter, a helper with several returns).
 */
function builderLinks(expr: ts.Expression, ctx: AnalysisContext, depth: number): ChainLink[] | undefined {
  if (depth > 4) return undefined;
  const e = skipWrappers(expr);
  if (ts.isIdentifier(e)) return variableBuilderLinks(e, ctx, depth + 1);
  if (!ts.isCallExpression(e)) return undefined;
  const callee = skipWrappers(e.expression);
  if (ts.isPropertyAccessExpression(callee)) {
    if (callee.name.text === "createQueryBuilder" && typeormOwner(callee, ctx)) return [];
    if (builderName(ctx.checker.getTypeAtLocation(callee.expression))) {
      const before = builderLinks(callee.expression, ctx, depth);
      return before && [...before, { name: callee.name.text, call: e, args: e.arguments }];
    }
  }
  // A helper that returns a builder: `this.scoped(ctx).andWhere(...)`.
  const returned = onlyReturnedExpression(e, ctx);
  return returned && builderLinks(returned, ctx, depth + 1);
}

/**
 * `const qb = repo.createQueryBuilder("i")` followed by `qb.andWhere(...)` statements: the calls made
 * unconditionally in the declaring block before `use` extend the chain. A conditional call that can
 * only narrow the rows (`if (q) qb.andWhere(...)`) changes nothing the analysis claims; one that can
 * widen them, or the builder escaping (passed to a function), leaves the chain unknown.
 */
function variableBuilderLinks(use: ts.Identifier, ctx: AnalysisContext, depth: number): ChainLink[] | undefined {
  const decl = variableDeclarationOf(ctx.checker, use);
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || !ts.isIdentifier(decl.name)) return undefined;
  if (isReassigned(ctx.checker, decl)) return undefined;
  const statement = decl.parent.parent;
  const block = statement.parent;
  if (!ts.isVariableStatement(statement) || !(ts.isBlock(block) || ts.isSourceFile(block))) return undefined;
  const initial = builderLinks(decl.initializer, ctx, depth);
  if (!initial) return undefined;
  const symbol = ctx.checker.getSymbolAtLocation(decl.name);
  const later: ChainLink[] = [];
  let escapes = false;
  forEachDescendant(block, (node) => {
    if (escapes || !ts.isIdentifier(node) || node === decl.name || node.getStart() >= use.getStart()) return;
    if (ctx.checker.getSymbolAtLocation(node) !== symbol) return;
    const { outer, links } = chainRootedAt(node);
    if (links.length === 0) {
      escapes = true;
      return;
    }
    // Another run of the same builder (`const total = await qb.getCount()`) adds no condition.
    if (BUILDER_TERMINALS.has(links[links.length - 1]!.name)) return;
    if (ts.isExpressionStatement(outer.parent) && outer.parent.parent === block) later.push(...links);
    else if (links.some((l) => WIDENING_LINKS.has(l.name))) escapes = true;
  });
  return escapes ? undefined : [...initial, ...later];
}

/** The method calls made on `root` in one expression: `qb.andWhere(a).orderBy(b)` gives both. */
function chainRootedAt(root: ts.Identifier): { outer: ts.Node; links: ChainLink[] } {
  const links: ChainLink[] = [];
  let outer: ts.Node = root;
  for (;;) {
    const access = outer.parent;
    if (!access || !ts.isPropertyAccessExpression(access) || access.expression !== outer) break;
    const call = access.parent;
    if (!call || !ts.isCallExpression(call) || call.expression !== access) break;
    links.push({ name: access.name.text, call, args: call.arguments });
    outer = call;
  }
  return { outer, links };
}

// ---------------------------------------------------------------------------------------------
// Entity metadata: tables for raw SQL

/** A decorator applied to a declaration, when it is one of typeorm's (`@Entity`, `@Column`, ...). */
function typeormDecorators(decl: ts.Declaration | undefined, ctx: AnalysisContext): { name: string; args: readonly ts.Expression[] }[] {
  if (!decl || !ts.canHaveDecorators(decl)) return [];
  const out: { name: string; args: readonly ts.Expression[] }[] = [];
  for (const decorator of ts.getDecorators(decl) ?? []) {
    const expr = decorator.expression;
    const callee = ts.isCallExpression(expr) ? expr.expression : expr;
    const symbol = resolvedSymbol(ctx.checker, callee);
    if (symbol && isFromPackage(symbol, "typeorm")) out.push({ name: symbol.getName(), args: ts.isCallExpression(expr) ? expr.arguments : [] });
  }
  return out;
}

/**
 * Every `@Entity` class in the program, with its table and tenant columns. Names follow TypeORM's
 * `DefaultNamingStrategy`: the table is `@Entity("name")` / `@Entity({ name })`, or else the class
 * name in snake_case (`InvoiceLine` -> `invoice_line`); a column is `@Column({ name })` or the
 * property name. Without explicit names, the class name (`"InvoiceLine"`) also counts as the table,
 * and the property's snake_case form (`tenant_id`) as the column, as custom naming strategies make them.
 */
function typeormTables(ctx: AnalysisContext): TableInfo[] {
  const tables: TableInfo[] = [];
  for (const sf of ctx.program.getSourceFiles()) {
    if (sf.isDeclarationFile || sf.fileName.includes("/node_modules/") || !ctx.sees(sf, TYPEORM_FILES)) continue;
    for (const node of fileNodes(sf).classes) {
      if (!node.name) continue;
      const entity = typeormDecorators(node, ctx).find((d) => d.name === "Entity");
      if (!entity) continue;
      const symbol = ctx.checker.getSymbolAtLocation(node.name);
      if (!symbol) continue;
      const columns = tenantColumns(ctx.checker.getDeclaredTypeOfSymbol(symbol), ctx);
      for (const name of tableNames(entity.args, node.name.text)) tables.push({ orm: "typeorm", name, tenantColumns: columns });
    }
  }
  return tables;
}

function tableNames(args: readonly ts.Expression[], className: string): string[] {
  const [first] = args;
  const e = first && skipWrappers(first);
  if (e && ts.isStringLiteralLike(e)) return [e.text];
  const named = e && ts.isObjectLiteralExpression(e) ? stringOption(e, "name") : undefined;
  return named ? [named] : [...new Set([snakeCase(className), className])];
}

/** The tenant columns of an entity: its tenant-key columns and the join columns of its tenant relation. */
function tenantColumns(instanceType: ts.Type, ctx: AnalysisContext): string[] {
  const columns = new Set<string>();
  for (const property of ctx.checker.getPropertiesOfType(instanceType)) {
    const name = property.getName();
    const decorators = typeormDecorators(property.valueDeclaration, ctx);
    if (ctx.isTenantKey(name)) {
      const explicit = decorators.filter((d) => COLUMN_DECORATORS.has(d.name)).map((d) => columnNameOption(d.args)).find((n) => n);
      for (const column of explicit ? [explicit] : [name, snakeCase(name)]) columns.add(column);
    } else if (ctx.isTenantRelationName(name) && decorators.some((d) => OWNING_RELATION_DECORATORS.has(d.name))) {
      const joinColumn = decorators.filter((d) => d.name === "JoinColumn").map((d) => columnNameOption(d.args)).find((n) => n);
      // TypeORM names a join column after the relation and the referenced `id`: `tenant` -> `tenantId`.
      for (const column of joinColumn ? [joinColumn] : [`${name}Id`, `${snakeCase(name)}_id`]) columns.add(column);
    }
  }
  return [...columns];
}

/** `@Column({ name: "tenant_id" })`, `@Column("uuid", { name: "tenant_id" })`, `@JoinColumn({ name })`. */
function columnNameOption(args: readonly ts.Expression[]): string | undefined {
  for (const arg of args) {
    const e = skipWrappers(arg);
    if (ts.isObjectLiteralExpression(e)) {
      const name = stringOption(e, "name");
      if (name) return name;
    }
  }
  return undefined;
}

function stringOption(literal: ts.ObjectLiteralExpression, key: string): string | undefined {
  for (const property of literal.properties) {
    if (!ts.isPropertyAssignment(property) || staticName(property.name) !== key) continue;
    const value = skipWrappers(property.initializer);
    if (ts.isStringLiteralLike(value)) return value.text;
  }
  return undefined;
}

/** TypeORM's `snakeCase`: `InvoiceLine` -> `invoice_line`, `tenantId` -> `tenant_id`. */
function snakeCase(text: string): string {
  return text
    .replace(/([A-Z])([A-Z])([a-z])/g, "$1_$2$3")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase();
}
