import ts from "../typescript.cjs";
import { isOutermostCall, methodChain, type ChainLink } from "../chain.js";
import type { AnalysisContext, OrmAdapter } from "../context.js";
import type { DataAccess, EntityInfo, FilterPart, Operation } from "../model.js";
import { constraintOfObject, type TenantConstraint } from "../scope.js";
import { calleeDeclaration, constInitializer, isArrayLike, isFromPackage, nonNullableParts, resolvedSymbol, skipWrappers, staticName, typeArguments } from "../ts-utils.js";
import { isCompletedAfterBuild, objectLiteralOf, optionOf, singleKeyObject } from "./args.js";

/** Where the package declares its API: files that see none of it hold none of its values. */
const MONGOOSE_FILES = /\/node_modules\/mongoose\//;

/** Where a model or query method takes its filter and its update document. */
interface MethodSpec {
  readonly operation: Operation;
  /** Argument index of the filter document. */
  readonly filter?: number;
  /** Argument index of the update document (`$set`, or top-level fields Mongoose wraps in `$set`). */
  readonly update?: number;
  /** The first argument is an `_id`: the call finds one document by id, whatever account owns it. */
  readonly byId?: boolean;
  /** The method reads every document of the collection (`estimatedDocumentCount`). */
  readonly unscoped?: boolean;
  readonly singleRow?: boolean;
}

/** Methods a `Query` shares with `Model`: each sets the query's operation and may add a filter. */
const QUERY_OPERATIONS: ReadonlyMap<string, MethodSpec> = new Map(Object.entries({
  find: { operation: "read", filter: 0 },
  findOne: { operation: "read", filter: 0, singleRow: true },
  countDocuments: { operation: "read", filter: 0 },
  distinct: { operation: "read", filter: 1 },
  estimatedDocumentCount: { operation: "read", unscoped: true },
  updateOne: { operation: "update", filter: 0, update: 1 },
  updateMany: { operation: "update", filter: 0, update: 1 },
  findOneAndUpdate: { operation: "update", filter: 0, update: 1 },
  // A replacement carries the account key it keeps: it is not read as a change of that key.
  replaceOne: { operation: "update", filter: 0 },
  findOneAndReplace: { operation: "update", filter: 0 },
  deleteOne: { operation: "delete", filter: 0 },
  deleteMany: { operation: "delete", filter: 0 },
  findOneAndDelete: { operation: "delete", filter: 0 },
} satisfies Record<string, MethodSpec>));

const MODEL_METHODS: ReadonlyMap<string, MethodSpec> = new Map([
  ...QUERY_OPERATIONS,
  ...Object.entries({
    findById: { operation: "read", byId: true, singleRow: true },
    findByIdAndUpdate: { operation: "update", byId: true, update: 1 },
    findByIdAndDelete: { operation: "delete", byId: true },
    exists: { operation: "read", filter: 0 },
    where: { operation: "read" },
    aggregate: { operation: "read" },
    create: { operation: "create" },
    insertMany: { operation: "create" },
    bulkWrite: { operation: "update" },
  } satisfies Record<string, MethodSpec>),
]);

/** `Query` path comparators that follow `where("path")`: only `equals` pins one value. */
const PATH_COMPARATORS = new Set(["equals", "in", "nin", "ne", "gt", "gte", "lt", "lte", "regex", "all", "size", "exists", "elemMatch", "mod"]);

/** Query and aggregate methods that change which documents match. */
const QUERY_FILTER_METHODS = new Set([...QUERY_OPERATIONS.keys(), ...PATH_COMPARATORS, "where", "and", "or", "merge", "setQuery", "match"]);

/** Update operators whose fields are changed (or removed) on the matched documents. */
const CHANGING_OPERATORS = ["$set", "$unset", "$rename"];

/** Document methods that change the loaded document's fields. */
const DOCUMENT_WRITES = new Set(["set", "$set", "updateOne"]);

/**
 * Mongoose: model statics (`Invoice.find(...)`) recognised because they resolve to methods of the
 * mongoose package's `Model` interface, with the document type read from `Model<TRawDocType>`.
 * A query chain (`Invoice.find(f).where(...).sort().lean().exec()`) is one access, classified at
 * its outermost call; filters added along the chain count.
 */
export const mongooseAdapter: OrmAdapter = {
  orm: "mongoose",
  declaredIn: MONGOOSE_FILES,

  classify(call, ctx) {
    const callee = skipWrappers(call.expression);
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    if (DOCUMENT_WRITES.has(callee.name.text)) {
      const write = documentWrite(call, callee, ctx);
      if (write) return write;
    }
    if (callee.name.text === "save") return newDocumentSave(call, callee, ctx);
    if (!isOutermostCall(call)) return undefined;
    const chain = methodChain(call);
    const start = chain.links.findIndex((link) => MODEL_METHODS.has(link.name) && ownerOf(link.call, ctx) === "Model");
    if (start < 0 || awaitsWithin(chain.links.slice(start + 1))) return undefined;
    const receiver = start === 0 ? chain.root : chain.links[start - 1]!.call;
    const rawDocType = rawDocTypeOfModel(ctx.checker.getTypeAtLocation(receiver), ctx, 0);
    const entity = rawDocType && entityOfDocType(rawDocType, ctx);
    if (!entity) return undefined;
    return new QueryReader(entity, call, ctx).read(chain.links.slice(start));
  },
};

/** Accumulates one access from a model call and the query or aggregate calls chained on it. */
class QueryReader {
  private operation: Operation = "read";
  private method = "find";
  private filters: FilterPart[] = [];
  private readonly created: ts.Expression[] = [];
  private readonly updated: ts.Expression[] = [];
  private singleRow = false;
  /** The path a `where("path")` named, which the next comparator (`.equals(v)`, `.in(vs)`) constrains. */
  private pendingPath: string | undefined;
  /** The first `$match` stage of an aggregation is its filter. */
  private matched = false;

  constructor(
    private readonly entity: EntityInfo,
    private readonly node: ts.CallExpression,
    private readonly ctx: AnalysisContext,
  ) {}

  read(links: readonly ChainLink[]): DataAccess | undefined {
    const [modelLink, ...rest] = links;
    if (!modelLink || this.readModelCall(modelLink) === "unknown") return undefined;
    for (const link of rest) {
      if (!QUERY_FILTER_METHODS.has(link.name)) {
        // A query helper of the schema (`Comment.find(f).ofAccount(id)`) may add any condition: no claim.
        if (isDeclaredInProgram(link.call, this.ctx)) return undefined;
        continue; // sort, lean, populate, exec, then, ...
      }
      const owner = ownerOf(link.call, this.ctx);
      // Past the query (`(await q).find(cb)` on the result array), nothing changes the filter.
      if (owner !== "Query" && owner !== "Aggregate") break;
      if (this.readQueryCall(link) === "unknown") return undefined;
    }
    return {
      orm: "mongoose",
      entity: this.entity,
      operation: this.operation,
      method: this.method,
      node: this.node,
      filters: this.filters,
      created: this.created,
      updated: this.updated,
      singleRow: this.singleRow,
    };
  }

  private readModelCall(link: ChainLink): "unknown" | void {
    const { name, args } = link;
    const spec = MODEL_METHODS.get(name)!;
    this.operation = spec.operation;
    this.method = name;
    if (name === "where") return this.readWhere(link);
    if (name === "aggregate") return args[0] ? this.readPipeline(args[0]) : undefined;
    if (name === "create" || name === "insertMany") return this.readCreated(args);
    if (name === "bulkWrite") return this.readBulkWrite(args[0]);
    if (spec.byId) this.filters.push({ kind: "unscoped", node: args[0] ?? link.call });
    this.readOperation(spec, args);
  }

  private readQueryCall(link: ChainLink): "unknown" | void {
    const { name, args, call } = link;
    const spec = QUERY_OPERATIONS.get(name);
    if (spec) {
      this.operation = spec.operation;
      this.method = name;
      this.readOperation(spec, args);
      return;
    }
    if (PATH_COMPARATORS.has(name)) return this.readComparator(name, args, call);
    switch (name) {
      case "where":
        return this.readWhere(link);
      case "and":
      case "merge":
      case "match":
        return this.readConditions(name, args[0]);
      case "or":
        // `or([a, b])` ANDs "any of a, b" with the rest: an array reads as alternatives.
        if (args[0]) this.filters.push({ kind: "object", expr: args[0] });
        return;
      case "setQuery":
        // Replaces every condition so far.
        this.filters = args[0] ? [{ kind: "object", expr: args[0] }] : [];
        return;
    }
  }

  private readOperation(spec: MethodSpec, args: readonly ts.Expression[]): void {
    if (spec.singleRow) this.singleRow = true;
    if (spec.unscoped) this.filters.push({ kind: "unscoped", node: this.node });
    const filter = spec.filter === undefined ? undefined : args[spec.filter];
    if (filter) this.filters.push({ kind: "object", expr: filter });
    const update = spec.update === undefined ? undefined : args[spec.update];
    if (update) this.updated.push(...changedFields(update, this.ctx));
  }

  /** `where({ ... })`, `where("path", value)`, or `where("path")` followed by a comparator. */
  private readWhere(link: ChainLink): void {
    const [first, second] = link.args;
    if (!first) return;
    const path = skipWrappers(first);
    if (!ts.isStringLiteralLike(path)) {
      this.filters.push({ kind: "object", expr: first });
      return;
    }
    if (second) this.filters.push({ kind: "column", column: path.text, operator: "=", value: second, node: link.call });
    else this.pendingPath = path.text;
  }

  /** `.equals(v)`, `.in(vs)`, ... on the pending path, or `.in("path", vs)` naming its own. */
  private readComparator(name: string, args: readonly ts.Expression[], call: ts.CallExpression): void {
    const [first, second] = args;
    const named = first && second && ts.isStringLiteralLike(skipWrappers(first)) ? (skipWrappers(first) as ts.StringLiteral).text : undefined;
    const column = named ?? this.pendingPath;
    if (column === undefined) return;
    const value = named ? second : first;
    this.filters.push({ kind: "column", column, operator: name === "equals" ? "=" : name, value, node: call });
  }

  /** `and([a, b])` and `merge(a)` add conditions; an aggregate's `.match(a)` does when it is the first `$match`. */
  private readConditions(name: string, arg: ts.Expression | undefined): "unknown" | void {
    if (!arg) return;
    if (name === "match") {
      if (this.matched) return;
      this.matched = true;
      this.filters.push({ kind: "object", expr: arg });
      return;
    }
    if (name === "merge") {
      this.filters.push({ kind: "object", expr: arg });
      return;
    }
    const items = skipWrappers(arg);
    if (!ts.isArrayLiteralExpression(items)) return "unknown";
    for (const item of items.elements) this.filters.push({ kind: "object", expr: item });
  }

  /** `aggregate([{ $match: {...} }, ...])`: the first `$match` stage is the filter. */
  private readPipeline(pipeline: ts.Expression): "unknown" | void {
    const stages = arrayElementsOf(pipeline, this.ctx);
    if (!stages) return "unknown";
    for (const stage of stages) {
      if (ts.isSpreadElement(stage)) return "unknown";
      const match = optionOf(stage, "$match", this.ctx);
      if (match === undefined) return "unknown"; // a stage we cannot read may be the `$match`
      if (match) {
        this.matched = true;
        this.filters.push({ kind: "object", expr: match });
        return;
      }
    }
  }

  /** `create(doc)`, `create([docs])`, `create(doc1, doc2)`, `insertMany(docs)`. */
  private readCreated(args: readonly ts.Expression[]): void {
    const [first] = args;
    if (!first) return;
    const isList = ts.isArrayLiteralExpression(skipWrappers(first)) || isArrayLike(this.ctx.checker, this.ctx.checker.getTypeAtLocation(first));
    this.created.push(...(isList ? [first] : args));
  }

  /**
   * `bulkWrite([{ insertOne: { document } }, { updateOne: { filter, update } }, ...])`. Every write
   * must be scoped, so the least scoped filter stands for them all.
   */
  private readBulkWrite(operations: ts.Expression | undefined): "unknown" | void {
    const items = operations && arrayElementsOf(operations, this.ctx);
    if (!items) return "unknown";
    const filters: ts.Expression[] = [];
    let writes = 0;
    let deletes = 0;
    for (const item of items) {
      const literal = ts.isSpreadElement(item) ? undefined : objectLiteralOf(item, this.ctx);
      const property = literal?.properties.length === 1 ? literal.properties[0] : undefined;
      const kind = property && ts.isPropertyAssignment(property) ? staticName(property.name) : undefined;
      if (!property || !ts.isPropertyAssignment(property) || !kind) return "unknown";
      const body = property.initializer;
      const read = (key: string) => optionOf(body, key, this.ctx);
      if (kind === "insertOne") {
        const document = read("document");
        if (document === undefined) return "unknown";
        if (document) this.created.push(document);
        continue;
      }
      const filter = read("filter");
      if (!filter) return "unknown";
      filters.push(filter);
      if (kind === "deleteOne" || kind === "deleteMany") deletes++;
      else writes++;
      const update = kind === "updateOne" || kind === "updateMany" ? read("update") : null;
      if (update) this.updated.push(...changedFields(update, this.ctx));
    }
    this.operation = writes ? "update" : deletes ? "delete" : "create";
    const weakest = leastScoped(filters, this.entity, this.ctx);
    if (weakest) this.filters.push({ kind: "object", expr: weakest });
  }
}

/**
 * True when a call of the chain is made on an awaited value (`(await Invoice.find(f)).find(cb)`):
 * `methodChain` reads through `await`, but the query ends there and the awaited call is classified alone.
 */
function awaitsWithin(links: readonly ChainLink[]): boolean {
  return links.some((link) => {
    const callee = skipWrappers(link.call.expression);
    if (!ts.isPropertyAccessExpression(callee)) return false;
    let receiver: ts.Expression = callee.expression;
    while (ts.isParenthesizedExpression(receiver) || ts.isAsExpression(receiver) || ts.isNonNullExpression(receiver)) receiver = receiver.expression;
    return ts.isAwaitExpression(receiver);
  });
}

/**
 * `doc.set("accountId", v)`, `doc.set({ ... })`, `doc.updateOne({ $set: {...} })`: writes to one
 * document already loaded (and scoped or checked then), so no scope finding, but they can move it.
 */
function documentWrite(call: ts.CallExpression, callee: ts.PropertyAccessExpression, ctx: AnalysisContext): DataAccess | undefined {
  if (ownerOf(call, ctx) !== "Document") return undefined;
  const receiver = callee.expression;
  const docType = docTypeOfDocument(ctx.checker.getTypeAtLocation(receiver), ctx);
  const entity = docType && entityOfDocType(docType, ctx);
  if (!entity) return undefined;
  const method = callee.name.text;
  const [first, second] = call.arguments;
  const updated: ts.Expression[] = [];
  if (first && method === "updateOne") updated.push(...changedFields(first, ctx));
  else if (first && ts.isStringLiteralLike(skipWrappers(first))) {
    if (second) updated.push(singleKeyObject(skipWrappers(first) as ts.StringLiteral, second, call));
  } else if (first) updated.push(first);
  return {
    orm: "mongoose",
    entity,
    operation: "update",
    method,
    node: call,
    filters: [{ kind: "row", node: receiver }],
    created: [],
    updated,
  };
}

/**
 * `new Invoice({...}).save()`, or `const doc = new Invoice({...})` saved later: an insert of the
 * values given to the model's constructor, reported at the `new`. A document given its account
 * key after it is built (`doc.accountId = x`) is not claimed.
 */
function newDocumentSave(call: ts.CallExpression, callee: ts.PropertyAccessExpression, ctx: AnalysisContext): DataAccess | undefined {
  if (ownerOf(call, ctx) !== "Document") return undefined;
  const receiver = skipWrappers(callee.expression);
  let built: ts.Expression | undefined = receiver;
  if (ts.isIdentifier(receiver)) {
    const init = constInitializer(ctx.checker, receiver);
    built = init && !isCompletedAfterBuild(receiver, ctx) ? skipWrappers(init) : undefined;
  }
  const values = built && ts.isNewExpression(built) ? built.arguments?.[0] : undefined;
  if (!built || !ts.isNewExpression(built) || !values) return undefined;
  const rawDocType = rawDocTypeOfModel(ctx.checker.getTypeAtLocation(built.expression), ctx, 0);
  const entity = rawDocType && entityOfDocType(rawDocType, ctx);
  if (!entity) return undefined;
  return { orm: "mongoose", entity, operation: "create", method: "save", node: built, filters: [], created: [values], updated: [] };
}

/**
 * The objects of fields an update document changes: its top-level fields (which Mongoose wraps in
 * `$set`) and the bodies of `$set`, `$unset` and `$rename`, also in an update pipeline's stages.
 */
function changedFields(update: ts.Expression, ctx: AnalysisContext): ts.Expression[] {
  const e = skipWrappers(update);
  if (ts.isArrayLiteralExpression(e)) return e.elements.flatMap((stage) => changedFields(stage, ctx));
  const literal = objectLiteralOf(update, ctx);
  if (!literal) return [update];
  const out: ts.Expression[] = [literal];
  for (const operator of CHANGING_OPERATORS) {
    const body = optionOf(literal, operator, ctx);
    if (body) out.push(body);
  }
  return out;
}

const RANK: Record<TenantConstraint["kind"], number> = { none: 0, "maybe-undefined": 1, multi: 2, pinned: 3 };

function leastScoped(filters: readonly ts.Expression[], entity: EntityInfo, ctx: AnalysisContext): ts.Expression | undefined {
  let weakest: ts.Expression | undefined;
  let weakestRank = Infinity;
  for (const filter of filters) {
    const rank = RANK[constraintOfObject(filter, entity, ctx, 0).kind];
    if (rank < weakestRank) {
      weakest = filter;
      weakestRank = rank;
    }
  }
  return weakest;
}

/** The elements of an array literal, following a `const` variable that holds one. */
function arrayElementsOf(expr: ts.Expression, ctx: AnalysisContext): readonly ts.Expression[] | undefined {
  const e = skipWrappers(expr);
  if (ts.isArrayLiteralExpression(e)) return e.elements;
  const init = ts.isIdentifier(e) ? constInitializer(ctx.checker, e) : undefined;
  return init ? arrayElementsOf(init, ctx) : undefined;
}

/** True when the called method is declared in the program's own sources (not a library's declarations). */
function isDeclaredInProgram(call: ts.CallExpression, ctx: AnalysisContext): boolean {
  const declaration = calleeDeclaration(ctx.checker, call);
  return !!declaration && !declaration.getSourceFile().isDeclarationFile;
}

type MongooseOwner = "Model" | "Query" | "Aggregate" | "Document";
const OWNERS = new Set<string>(["Model", "Query", "Aggregate", "Document"]);

/** Which mongoose type declares the called method (`Model` interface, `Query`/`Aggregate`/`Document` class). */
function ownerOf(call: ts.CallExpression, ctx: AnalysisContext): MongooseOwner | undefined {
  const declaration = ctx.checker.getResolvedSignature(call)?.declaration;
  if (!declaration || ts.isJSDocSignature(declaration)) return undefined;
  const owner = declaration.parent;
  if (!ts.isInterfaceDeclaration(owner) && !ts.isClassDeclaration(owner)) return undefined;
  const name = owner.name?.text;
  if (!name || !OWNERS.has(name)) return undefined;
  if (!declaration.getSourceFile().fileName.replace(/\\/g, "/").includes("/node_modules/mongoose/")) return undefined;
  return name as MongooseOwner;
}

/** `TRawDocType` of `Model<TRawDocType, ...>`, also through interfaces that extend it (`interface InvoiceModel extends Model<IInvoice>`). */
function rawDocTypeOfModel(type: ts.Type, ctx: AnalysisContext, depth: number): ts.Type | undefined {
  if (depth > 4) return undefined;
  for (const part of nonNullableParts(type).flatMap((t) => (t.isIntersection() ? t.types : [t]))) {
    const symbol = part.getSymbol();
    if (symbol?.getName() === "Model" && isFromPackage(symbol, "mongoose")) return typeArguments(ctx.checker, part)[0];
    const target = isTypeReference(part) ? (part as ts.TypeReference).target : part;
    if (!target.isClassOrInterface()) continue;
    for (const base of ctx.checker.getBaseTypes(target)) {
      const raw = rawDocTypeOfModel(base, ctx, depth + 1);
      if (raw) return raw;
    }
  }
  return undefined;
}

function isTypeReference(type: ts.Type): boolean {
  return !!(type.flags & ts.TypeFlags.Object) && !!((type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference);
}

/** `DocType` of a hydrated document (`Document<unknown, {}, IInvoice> & IInvoice & ...`). */
function docTypeOfDocument(type: ts.Type, ctx: AnalysisContext): ts.Type | undefined {
  for (const part of nonNullableParts(type).flatMap((t) => (t.isIntersection() ? t.types : [t]))) {
    const symbol = part.getSymbol();
    if (symbol?.getName() === "Document" && isFromPackage(symbol, "mongoose")) return typeArguments(ctx.checker, part)[2];
  }
  return undefined;
}

function entityOfDocType(docType: ts.Type, ctx: AnalysisContext): EntityInfo | undefined {
  if (docType.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return undefined;
  return ctx.entityOfRowType("mongoose", docType, modelNames(ctx).get(docType), hookScopedDocTypes(ctx).has(docType));
}

/**
 * Document types whose schema pins every query to a tenant in a query middleware: a
 * `schema.pre("find", function () { this.where({ tenantId: ... }) })` hook, directly or inside a
 * plugin applied with `schema.plugin(fn)`. Such a schema is scoped by default, like a MikroORM filter.
 */
function hookScopedDocTypes(ctx: AnalysisContext): ReadonlySet<ts.Type> {
  return ctx.programWide("mongoose:hookScoped", () => {
    const scoped = new Set<ts.Type>();
    for (const sourceFile of ctx.program.getSourceFiles()) {
      if (sourceFile.isDeclarationFile || !ctx.sees(sourceFile, MONGOOSE_FILES)) continue;
      const visit = (node: ts.Node): void => {
        if (ts.isCallExpression(node)) {
          const callee = skipWrappers(node.expression);
          if (ts.isPropertyAccessExpression(callee) && (callee.name.text === "pre" || callee.name.text === "plugin")) {
            const schemaType = ctx.checker.getTypeAtLocation(callee.expression);
            const isSchema = (schemaType.getSymbol()?.getName() === "Schema") && isFromMongoose(schemaType.getSymbol());
            const docType = isSchema ? typeArguments(ctx.checker, schemaType)[0] : undefined;
            if (docType && node.arguments.some((arg) => pinsTenantInHook(arg, ctx, 0))) scoped.add(docType);
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(sourceFile);
    }
    return scoped;
  });
}

function isFromMongoose(symbol: ts.Symbol | undefined): boolean {
  return !!symbol?.declarations?.some((d) => d.getSourceFile().fileName.replace(/\\/g, "/").includes("/node_modules/mongoose/"));
}

/** A hook or plugin function whose body narrows the query by a tenant key (`this.where({ accountId })`). */
function pinsTenantInHook(arg: ts.Expression, ctx: AnalysisContext, depth: number): boolean {
  if (depth > 2) return false;
  let fn: ts.Node | undefined = skipWrappers(arg);
  if (ts.isIdentifier(fn)) fn = resolvedSymbol(ctx.checker, fn)?.valueDeclaration;
  if (!fn || !(ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isArrowFunction(fn) || ts.isVariableDeclaration(fn))) return false;
  let pinned = false;
  const visit = (node: ts.Node): void => {
    if (pinned) return;
    if (ts.isCallExpression(node)) {
      const callee = skipWrappers(node.expression);
      const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      if (name && QUERY_NARROWING.has(name) && node.arguments.some((a) => namesTenantKey(a, ctx))) pinned = true;
      if (name === "pre" && node.arguments.some((a) => pinsTenantInHook(a, ctx, depth + 1))) pinned = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return pinned;
}

const QUERY_NARROWING = new Set(["where", "setQuery", "merge", "and", "find"]);

function namesTenantKey(arg: ts.Expression, ctx: AnalysisContext): boolean {
  const e = skipWrappers(arg);
  if (ts.isStringLiteralLike(e)) return ctx.isTenantKey(e.text);
  return ts.isObjectLiteralExpression(e) && e.properties.some((p) => !ts.isSpreadAssignment(p) && ctx.isTenantKey(staticName(p.name)));
}

/** Model names registered with `model("Invoice", schema)`, by document type, for messages. */
function modelNames(ctx: AnalysisContext): ReadonlyMap<ts.Type, string> {
  return ctx.programWide("mongoose:modelNames", () => {
    const names = new Map<ts.Type, string>();
    for (const sourceFile of ctx.program.getSourceFiles()) {
      if (sourceFile.isDeclarationFile || !ctx.sees(sourceFile, MONGOOSE_FILES)) continue;
      const visit = (node: ts.Node): void => {
        if (ts.isCallExpression(node) && isModelRegistration(node, ctx)) {
          const name = skipWrappers(node.arguments[0]!) as ts.StringLiteral;
          const raw = rawDocTypeOfModel(ctx.checker.getTypeAtLocation(node), ctx, 0);
          if (raw && !names.has(raw)) names.set(raw, name.text);
        }
        ts.forEachChild(node, visit);
      };
      visit(sourceFile);
    }
    return names;
  });
}

/** `model("Name", schema)` or `connection.model("Name", schema)` from the mongoose package. */
function isModelRegistration(call: ts.CallExpression, ctx: AnalysisContext): boolean {
  const first = call.arguments[0];
  if (!first || !ts.isStringLiteralLike(skipWrappers(first))) return false;
  const callee = skipWrappers(call.expression);
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
  if (name !== "model") return false;
  const declaration = calleeDeclaration(ctx.checker, call);
  return !!declaration && declaration.getSourceFile().fileName.replace(/\\/g, "/").includes("/node_modules/mongoose/");
}
