import ts from "../typescript.cjs";
import type { AnalysisContext, OrmAdapter } from "../context.js";
import { tableNamed, type DataAccess, type EntityInfo, type FilterPart, type Operation, type TableInfo } from "../model.js";
import { calleeDeclaration, constInitializer, isFromPackage, skipWrappers, staticName } from "../ts-utils.js";
import { setsTenantKey } from "../writes.js";
import { isCompletedAfterBuild, objectLiteralOf, optionOf, singleKeyObject, sqlTextOf } from "./args.js";

/** Where the package declares its API: files that see none of it hold none of its values. */
const SEQUELIZE_FILES = /\/node_modules\/sequelize\//;

/** Where a static method takes its values and its options (with `where`). */
interface StaticMethod {
  readonly operation: Operation;
  /** Argument index of the options object holding `where`; absent for methods without a filter. */
  readonly options?: number;
  /** Argument index of the values written (created rows, or changes for `update`). */
  readonly values?: number;
  /** The first argument is a primary key: the call finds one row by id, whatever tenant it has. */
  readonly byPrimaryKey?: boolean;
  readonly singleRow?: boolean;
}

const STATIC_METHODS: ReadonlyMap<string, StaticMethod> = new Map(Object.entries({
  findAll: { operation: "read", options: 0 },
  findOne: { operation: "read", options: 0, singleRow: true },
  findByPk: { operation: "read", byPrimaryKey: true, singleRow: true },
  findAndCountAll: { operation: "read", options: 0 },
  count: { operation: "read", options: 0 },
  max: { operation: "read", options: 1 },
  min: { operation: "read", options: 1 },
  sum: { operation: "read", options: 1 },
  aggregate: { operation: "read", options: 2 },
  update: { operation: "update", values: 0, options: 1 },
  increment: { operation: "update", options: 1 },
  decrement: { operation: "update", options: 1 },
  restore: { operation: "update", options: 0 },
  destroy: { operation: "delete", options: 0 },
  truncate: { operation: "delete" },
  create: { operation: "create", values: 0 },
  bulkCreate: { operation: "create", values: 0 },
  // `build` makes a row that `save()` inserts later.
  build: { operation: "create", values: 0 },
  upsert: { operation: "upsert", values: 0 },
  findOrCreate: { operation: "upsert", options: 0 },
  findCreateFind: { operation: "upsert", options: 0 },
} satisfies Record<string, StaticMethod>));

/** Instance methods that change the loaded row's attributes. */
const INSTANCE_WRITES = new Set(["update", "set", "setDataValue"]);

/**
 * Sequelize: static methods of a model class (`class Invoice extends Model<Attrs, CreationAttrs>`,
 * or a `sequelize.define` model typed `ModelStatic<M>`), recognised because the call resolves to a
 * method declared on the sequelize package's `Model`; the entity is the model's `_attributes` type.
 */
export const sequelizeAdapter: OrmAdapter = {
  orm: "sequelize",
  declaredIn: SEQUELIZE_FILES,

  classify(call, ctx) {
    const callee = skipWrappers(call.expression);
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    const method = callee.name.text;
    const staticMethod = STATIC_METHODS.get(method);
    if (!staticMethod && !INSTANCE_WRITES.has(method)) return undefined;
    const declaration = modelMethodDeclaration(call, ctx);
    if (!declaration) return undefined;
    const isStatic = declaration.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword) ?? false;
    if (isStatic && staticMethod) return classifyStatic(call, callee.expression, method, staticMethod, ctx);
    if (!isStatic && INSTANCE_WRITES.has(method)) return classifyInstanceWrite(call, callee.expression, method, ctx);
    return undefined;
  },

  rawSql(node, ctx) {
    if (!ts.isCallExpression(node)) return undefined;
    const callee = skipWrappers(node.expression);
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== "query") return undefined;
    if (!isSequelizeInstance(ctx.checker.getTypeAtLocation(callee.expression))) return undefined;
    const sql = node.arguments[0];
    // `query({ query, values })` carries its text in an object.
    const text = sqlTextOf(sql, ctx) ?? sqlTextOf(optionOf(sql, "query", ctx) ?? undefined, ctx);
    return text === undefined ? undefined : { orm: "sequelize", node, text };
  },

  tables(ctx, name) {
    return sequelizeModels(ctx).map((model) => model.table).filter(tableNamed(name));
  },
};

function classifyStatic(
  call: ts.CallExpression,
  receiver: ts.Expression,
  method: string,
  spec: StaticMethod,
  ctx: AnalysisContext,
): DataAccess | undefined {
  // `Invoice.scope("ofTenant", ...)` applies filters declared elsewhere: no claim either way.
  if (isScopeCall(receiver, ctx)) return undefined;
  const instanceType = instanceTypeOfModelClass(ctx.checker.getTypeAtLocation(receiver), ctx);
  const entity = instanceType && entityOfInstance(instanceType, ctx);
  if (!entity) return undefined;

  const filters: FilterPart[] = [];
  const created: ts.Expression[] = [];
  const updated: ts.Expression[] = [];
  const args = call.arguments;
  const values = spec.values === undefined ? undefined : args[spec.values];
  if (spec.byPrimaryKey) filters.push({ kind: "unscoped", node: args[0] ?? call });
  if (spec.options !== undefined) {
    const where = whereFilter(args[spec.options], ctx);
    if (where === undefined) return undefined; // options we cannot read: no claim either way
    filters.push(...where);
  }

  if (method === "findOrCreate" || method === "findCreateFind") {
    // The row created when none matches is `where` merged with `defaults`.
    const options = args[0];
    const where = optionOf(options, "where", ctx);
    const defaults = optionOf(options, "defaults", ctx);
    if (!where || setsTenantKey(where, ctx, { optionalCounts: true }) !== "yes") {
      const row = defaults ?? where;
      if (row) created.push(row);
    }
  } else if (method === "upsert") {
    // An upsert matches its row by the primary or unique keys among its values: they are its filter.
    if (values) {
      filters.push({ kind: "object", expr: values });
      created.push(values);
    }
  } else if (values && spec.operation === "create") {
    const row = method === "build" ? boundVariable(call) : undefined;
    if (row && isCompletedAfterBuild(row, ctx)) return undefined;
    created.push(values);
  } else if (values && spec.operation === "update") {
    updated.push(values);
  }

  return {
    orm: "sequelize",
    entity,
    operation: spec.operation,
    method,
    node: call,
    filters,
    created,
    updated,
    singleRow: spec.singleRow ?? false,
  };
}

/** `row` in `const row = Model.build(...)`. */
function boundVariable(call: ts.CallExpression): ts.Identifier | undefined {
  let node: ts.Node = call;
  while (node.parent && (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  return parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) ? parent.name : undefined;
}

/**
 * `row.update({...})`, `row.set("tenantId", v)`: a write to one row the code has already loaded
 * (and scoped or checked then), so it is not a scope finding, but it can still move the row to
 * another tenant.
 */
function classifyInstanceWrite(call: ts.CallExpression, receiver: ts.Expression, method: string, ctx: AnalysisContext): DataAccess | undefined {
  // `row?.update(...)` on a `findOne` result typed `Invoice | null`.
  const entity = entityOfInstance(ctx.checker.getNonNullableType(ctx.checker.getTypeAtLocation(receiver)), ctx);
  if (!entity) return undefined;
  const changes = changedValues(call);
  return {
    orm: "sequelize",
    entity,
    operation: "update",
    method,
    node: call,
    filters: [{ kind: "row", node: receiver }],
    created: [],
    updated: changes ? [changes] : [],
  };
}

/**
 * The changes an instance write makes, as an object: `update({ a })` and `set({ a })` pass one;
 * `set("a", v)`, `update("a", v)` and `setDataValue("a", v)` name one attribute, read here as `{ a: v }`.
 */
function changedValues(call: ts.CallExpression): ts.Expression | undefined {
  const [first, second] = call.arguments;
  if (!first) return undefined;
  const key = skipWrappers(first);
  if (!ts.isStringLiteralLike(key)) return first;
  return second ? singleKeyObject(key, second, call) : undefined;
}

/**
 * The filter parts of an options object's `where`: `[]` when there is none, `undefined` when the
 * options (or the `where`) cannot be read.
 */
function whereFilter(options: ts.Expression | undefined, ctx: AnalysisContext): FilterPart[] | undefined {
  const where = optionOf(options, "where", ctx);
  if (where === undefined) return undefined;
  if (where === null) return [];
  return filterOfWhere(where, ctx);
}

/** A `where` value: a criteria object, or Sequelize's `and(...)` helper combining some. */
function filterOfWhere(where: ts.Expression, ctx: AnalysisContext): FilterPart[] | undefined {
  const e = skipWrappers(where);
  if (!ts.isCallExpression(e)) return [{ kind: "object", expr: where }];
  const helper = sequelizeFunctionName(e, ctx);
  if (helper === undefined) return [{ kind: "object", expr: where }];
  if (helper === "and") return e.arguments.map((arg) => ({ kind: "object", expr: arg }));
  // `or(...)`, `where(fn(col), value)`, `literal(sql)`: conditions the analysis does not read.
  return undefined;
}

/** The name of a function the sequelize package declares (`Sequelize.and`, `and` imported), if the call is one. */
function sequelizeFunctionName(call: ts.CallExpression, ctx: AnalysisContext): string | undefined {
  const declaration = calleeDeclaration(ctx.checker, call);
  if (!declaration || !ts.isFunctionDeclaration(declaration) || !isSequelizeDeclaration(declaration)) return undefined;
  return declaration.name?.text;
}

/** The declaration of the called method, when it is a method of the sequelize package's `Model` class. */
function modelMethodDeclaration(call: ts.CallExpression, ctx: AnalysisContext): ts.MethodDeclaration | undefined {
  const declaration = ctx.checker.getResolvedSignature(call)?.declaration;
  if (!declaration || !ts.isMethodDeclaration(declaration)) return undefined;
  const owner = declaration.parent;
  if (!ts.isClassDeclaration(owner) || owner.name?.text !== "Model" || !isSequelizeDeclaration(declaration)) return undefined;
  return declaration;
}

function isSequelizeDeclaration(node: ts.Node): boolean {
  return node.getSourceFile().fileName.replace(/\\/g, "/").includes("/node_modules/sequelize/");
}

function isScopeCall(receiver: ts.Expression, ctx: AnalysisContext): boolean {
  const e = skipWrappers(receiver);
  if (!ts.isCallExpression(e)) return false;
  const callee = skipWrappers(e.expression);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === "scope" && modelMethodDeclaration(e, ctx) !== undefined;
}

/** The instance type a model class constructs (`Invoice` for `typeof Invoice`, `M` for `ModelStatic<M>`). */
function instanceTypeOfModelClass(type: ts.Type, ctx: AnalysisContext): ts.Type | undefined {
  const signatures = ctx.checker.getSignaturesOfType(type, ts.SignatureKind.Construct);
  if (signatures.length === 0) return undefined;
  return ctx.checker.getReturnTypeOfSignature(signatures[0]!);
}

/** The attributes a model instance type declares (`Model<Attrs, ...>` keeps them in `_attributes`). */
function attributesOfInstance(instanceType: ts.Type, ctx: AnalysisContext): ts.Type | undefined {
  const property = ctx.checker.getPropertyOfType(instanceType, "_attributes");
  if (!property || !isFromPackage(property, "sequelize")) return undefined;
  const type = ctx.checker.getTypeOfSymbol(property);
  return type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown) ? undefined : type;
}

function entityOfInstance(instanceType: ts.Type, ctx: AnalysisContext): EntityInfo | undefined {
  // A generic base repository's `ModelStatic<M>` (`M extends Model & FleetOwned`): its constraint's
  // `Model` declares no attributes, and the rest of the constraint names the columns.
  const attributes = attributesOfInstance(instanceType, ctx) ?? (instanceType.flags & ts.TypeFlags.TypeParameter ? instanceType : undefined);
  if (!attributes) return undefined;
  const name = sequelizeModels(ctx).find((m) => m.instanceType === instanceType)?.name ?? instanceType.getSymbol()?.getName();
  return ctx.entityOfRowType("sequelize", attributes, name);
}

function isSequelizeInstance(type: ts.Type): boolean {
  const symbol = type.getSymbol();
  return symbol?.getName() === "Sequelize" && isFromPackage(symbol, "sequelize");
}

/** A model the program declares with `Model.init` or `sequelize.define`. */
interface SequelizeModel {
  readonly instanceType: ts.Type;
  readonly name: string;
  readonly table: TableInfo;
}

/** Every `X.init(attributes, options)` and `sequelize.define(name, attributes, options)` in the program. */
function sequelizeModels(ctx: AnalysisContext): readonly SequelizeModel[] {
  return ctx.programWide("sequelize:models", () => {
    const models: SequelizeModel[] = [];
    for (const sourceFile of ctx.program.getSourceFiles()) {
      if (sourceFile.isDeclarationFile || !ctx.sees(sourceFile, SEQUELIZE_FILES)) continue;
      const visit = (node: ts.Node): void => {
        if (ts.isCallExpression(node)) {
          const model = modelDeclaredBy(node, ctx);
          if (model) models.push(model);
        }
        ts.forEachChild(node, visit);
      };
      visit(sourceFile);
    }
    return models;
  });
}

function modelDeclaredBy(call: ts.CallExpression, ctx: AnalysisContext): SequelizeModel | undefined {
  const callee = skipWrappers(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  if (method === "init" && modelMethodDeclaration(call, ctx)) {
    const [attributes, options] = call.arguments;
    const instanceType = instanceTypeOfModelClass(ctx.checker.getTypeAtLocation(callee.expression), ctx);
    const className = instanceType?.getSymbol()?.getName();
    if (!instanceType || !className) return undefined;
    const modelName = stringOption(options, "modelName", ctx) ?? className;
    const defaults = defineDefaults(optionOf(options, "sequelize", ctx) ?? undefined, ctx);
    return describeModel(instanceType, modelName, attributes, options, defaults, ctx);
  }
  if (method === "define" && isSequelizeInstance(ctx.checker.getTypeAtLocation(callee.expression))) {
    const [nameArg, attributes, options] = call.arguments;
    const modelName = nameArg && ts.isStringLiteralLike(skipWrappers(nameArg)) ? (skipWrappers(nameArg) as ts.StringLiteral).text : undefined;
    const instanceType = instanceTypeOfModelClass(ctx.checker.getTypeAtLocation(call), ctx);
    if (!instanceType || !modelName) return undefined;
    return describeModel(instanceType, modelName, attributes, options, defineDefaults(callee.expression, ctx), ctx);
  }
  return undefined;
}

/** Model options that decide table and column names. */
interface NamingOptions {
  readonly tableName?: string;
  readonly freezeTableName?: boolean;
  readonly underscored?: boolean;
}

function describeModel(
  instanceType: ts.Type,
  modelName: string,
  attributes: ts.Expression | undefined,
  options: ts.Expression | undefined,
  defaults: NamingOptions,
  ctx: AnalysisContext,
): SequelizeModel {
  const naming: NamingOptions = {
    tableName: stringOption(options, "tableName", ctx) ?? defaults.tableName,
    freezeTableName: booleanOption(options, "freezeTableName", ctx) ?? defaults.freezeTableName,
    underscored: booleanOption(options, "underscored", ctx) ?? defaults.underscored,
  };
  const tenantColumns: string[] = [];
  const columns = columnsOf(attributes, naming, ctx);
  for (const [attribute, column] of columns) {
    if (ctx.isTenantKey(attribute) || ctx.isTenantKey(column)) tenantColumns.push(column);
  }
  // A foreign key an association adds (`declare companyId: ForeignKey<...>`) is typed on the model
  // but not listed in `init`: its column is named like any attribute's.
  const typed = attributesOfInstance(instanceType, ctx);
  for (const property of typed ? ctx.checker.getPropertiesOfType(typed) : []) {
    const attribute = property.getName();
    if (!columns.has(attribute) && ctx.isTenantKey(attribute)) tenantColumns.push(naming.underscored ? underscore(attribute) : attribute);
  }
  return { instanceType, name: modelName, table: { orm: "sequelize", name: tableNameOf(modelName, naming), tenantColumns } };
}

/**
 * Sequelize's default table name: the model name pluralised (by the `inflection` package), and
 * snake-cased when `underscored`; the model name itself with `freezeTableName`.
 */
function tableNameOf(modelName: string, naming: NamingOptions): string {
  if (naming.tableName) return naming.tableName;
  if (naming.freezeTableName) return modelName;
  const plural = pluralize(modelName);
  return naming.underscored ? underscore(plural) : plural;
}

/** Attribute name to column name: `field` when given, else the attribute (snake-cased when `underscored`). */
function columnsOf(attributes: ts.Expression | undefined, naming: NamingOptions, ctx: AnalysisContext): Map<string, string> {
  const columns = new Map<string, string>();
  const literal = objectLiteralOf(attributes, ctx);
  if (!literal) return columns;
  for (const property of literal.properties) {
    if (!ts.isPropertyAssignment(property)) continue;
    const attribute = staticName(property.name);
    if (!attribute) continue;
    const field = stringOption(property.initializer, "field", ctx);
    columns.set(attribute, field ?? (naming.underscored ? underscore(attribute) : attribute));
  }
  return columns;
}

/** The `define` defaults of the Sequelize instance a model is registered on (`new Sequelize(url, { define })`). */
function defineDefaults(instance: ts.Expression | undefined, ctx: AnalysisContext): NamingOptions {
  const e = instance && skipWrappers(instance);
  if (!e || !ts.isIdentifier(e)) return {};
  const init = constInitializer(ctx.checker, e);
  const created = init && skipWrappers(init);
  if (!created || !ts.isNewExpression(created) || !created.arguments?.length) return {};
  const options = created.arguments[created.arguments.length - 1];
  const define = optionOf(options, "define", ctx) ?? undefined;
  return {
    freezeTableName: booleanOption(define, "freezeTableName", ctx),
    underscored: booleanOption(define, "underscored", ctx),
  };
}

function stringOption(options: ts.Expression | undefined, name: string, ctx: AnalysisContext): string | undefined {
  const value = optionOf(options, name, ctx);
  const e = value && skipWrappers(value);
  return e && ts.isStringLiteralLike(e) ? e.text : undefined;
}

function booleanOption(options: ts.Expression | undefined, name: string, ctx: AnalysisContext): boolean | undefined {
  const value = optionOf(options, name, ctx);
  const e = value && skipWrappers(value);
  if (e?.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (e?.kind === ts.SyntaxKind.FalseKeyword) return false;
  return undefined;
}

/** The regular English plurals `inflection` produces, with its common irregular nouns. */
const IRREGULAR_PLURALS: ReadonlyMap<string, string> = new Map([
  ["person", "people"],
  ["child", "children"],
  ["man", "men"],
  ["woman", "women"],
  ["datum", "data"],
]);
const UNCOUNTABLE = new Set(["equipment", "information", "money", "news", "series", "species", "sheep", "fish", "data", "metadata"]);

function pluralize(word: string): string {
  const match = /^(.*?)([A-Z]?[a-z]*)$/.exec(word);
  const prefix = match?.[1] ?? "";
  const last = match?.[2] ?? word;
  const lower = last.toLowerCase();
  if (UNCOUNTABLE.has(lower)) return word;
  const irregular = IRREGULAR_PLURALS.get(lower);
  if (irregular) return prefix + last.charAt(0) + irregular.slice(1);
  if (/[^aeiou]y$/i.test(last)) return prefix + last.slice(0, -1) + "ies";
  if (/(s|x|z|ch|sh)$/i.test(last)) return `${prefix}${last}es`;
  return `${prefix}${last}s`;
}

/** `AuditEntries` -> `audit_entries`, `tenantId` -> `tenant_id` (as `inflection.underscore`). */
function underscore(name: string): string {
  return name
    .replace(/([A-Z]+)([A-Z][a-z\d])/g, "$1_$2")
    .replace(/([a-z\d])([A-Z])/g, "$1_$2")
    .replace(/-/g, "_")
    .toLowerCase();
}
