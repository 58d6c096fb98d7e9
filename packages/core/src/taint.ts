import ts from "./typescript.cjs";
import type { AnalysisContext } from "./context.js";
import type { DataAccess, FilterPart } from "./model.js";
import type { PathStep } from "./rule.js";
import path from "node:path";
import { fileNodes } from "./file-nodes.js";
import { objectLiteralOf } from "./orm/args.js";
import { conditionListOf, escapeRegExp } from "./scope.js";
import {
  calleeDeclaration,
  calleeName,
  constInitializer,
  forEachDescendant,
  isFromPackage,
  isReassigned,
  mayReturn,
  resolvedSymbol,
  returnedExpressions,
  shortText,
  skipWrappers,
  staticName,
  valueType,
  variableDeclarationOf,
  type FunctionWithBody,
  propertyValue,
} from "./ts-utils.js";

/**
 * Where a value comes from, as far as tenant-lint cares:
 * - `client`: request input the client controls (body, query, params, headers, cookies, tRPC input);
 * - `param`: a parameter of a function, which the function's callers decide.
 */
export type Origin =
  | { readonly kind: "client"; readonly node: ts.Node; readonly label: string; readonly steps: readonly PathStep[] }
  | { readonly kind: "param"; readonly fn: ts.SignatureDeclaration; readonly index: number; readonly steps: readonly PathStep[] };

/** A place where a value becomes a tenant: a tenant key in an ORM call, a context, a parameter that reaches one. */
export interface TenantSink {
  readonly node: ts.Node;
  readonly description: string;
  readonly values: readonly ts.Expression[];
  /** Steps between the value and the final sink (for calls into functions that reach one). */
  readonly steps: readonly PathStep[];
}

const MAX_DEPTH = 8;

interface SourceSpec {
  readonly packages: readonly string[];
  readonly properties?: ReadonlySet<string>;
  readonly methods?: ReadonlySet<string>;
  /** Helper functions that read the request they are given (`getCookie(c, "name")`). */
  readonly functions?: ReadonlySet<string>;
  /** The receiver's type must be one of these (by symbol name), when members are shared with non-request types. */
  readonly receiverTypes?: ReadonlySet<string>;
  readonly framework: string;
}

/** Request members that carry client input, by the package that declares them. */
const SOURCES: readonly SourceSpec[] = [
  {
    framework: "Express",
    packages: ["@types/express-serve-static-core", "@types/express"],
    properties: new Set(["body", "query", "params", "headers", "cookies", "signedCookies", "hostname", "subdomains"]),
    methods: new Set(["header", "get", "param"]),
  },
  {
    framework: "Fastify",
    packages: ["fastify"],
    properties: new Set(["body", "query", "params", "headers", "hostname"]),
  },
  {
    framework: "Koa",
    packages: ["@types/koa", "@types/koa__router", "@koa/router", "@types/koa-bodyparser", "@koa/bodyparser", "koa-body", "@types/cookies"],
    properties: new Set(["body", "query", "querystring", "params", "headers", "header"]),
    methods: new Set(["get"]),
  },
  {
    framework: "Hono",
    packages: ["hono"],
    methods: new Set(["json", "query", "queries", "param", "header", "parseBody", "formData", "text", "valid"]),
    functions: new Set(["getCookie", "getSignedCookie"]),
    receiverTypes: new Set(["HonoRequest"]),
  },
  {
    framework: "Next.js",
    packages: ["undici-types", "typescript", "next"],
    properties: new Set(["url", "nextUrl", "headers", "cookies"]),
    methods: new Set(["json", "formData", "text"]),
    receiverTypes: new Set(["Request", "NextRequest"]),
  },
];

const NEST_PARAM_DECORATORS = new Set(["Body", "Query", "Param", "Headers"]);
const TRPC_RESOLVERS = new Set(["query", "mutation", "subscription"]);
const TRPC_FILES = /\/node_modules\/@trpc\/server\//;
/** Calls that pass their argument's value through (conversions, validation). */
const PASS_THROUGH_FUNCTIONS = new Set(["String", "Number", "BigInt", "parseInt", "parseFloat", "decodeURIComponent", "encodeURIComponent"]);
const PASS_THROUGH_METHODS = new Set(["parse", "parseAsync", "safeParse", "validate", "validateSync", "cast"]);
const UNVERIFIED_DECODERS = new Set(["decode", "decodeJwt", "jwtDecode"]);

/** Where an expression's value can come from: client input and/or function parameters. */
export function originsOf(expr: ts.Expression, ctx: AnalysisContext, depth = 0): Origin[] {
  if (depth > 0) return originsOfValue(expr, ctx, depth);
  // Memoised at the top: a sink's values are asked about by every check that meets the sink.
  const memo = ctx.memoize("taint:origins", () => new Map<ts.Expression, Origin[]>());
  let origins = memo.get(expr);
  if (!origins) memo.set(expr, (origins = originsOfValue(expr, ctx, 0)));
  return origins;
}

function originsOfValue(expr: ts.Expression, ctx: AnalysisContext, depth: number): Origin[] {
  if (depth > MAX_DEPTH) return [];
  const e = skipWrappers(expr);
  // Values of a trusted context type are verified, whatever they were built from.
  if (ctx.isContextType(valueType(ctx.checker, e))) return [];
  const source = clientSource(e, ctx);
  if (source) return [source];

  // Parts of the expression itself are followed at the same depth: depth counts the steps that
  // leave the expression (to a declaration, into a function), which are the ones that can recurse.
  if (ts.isPropertyAccessExpression(e) && isTrpcContext(e.expression, ctx)) return trpcContextOrigins(e, ctx, depth);
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) return originsOf(e.expression, ctx, depth);
  if (ts.isIdentifier(e)) return originsOfIdentifier(e, ctx, depth);
  if (ts.isCallExpression(e) || ts.isNewExpression(e)) return originsOfCall(e, ctx, depth);
  if (ts.isTemplateExpression(e)) return e.templateSpans.flatMap((span) => originsOf(span.expression, ctx, depth));
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.PlusToken || op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken) {
      return [...originsOf(e.left, ctx, depth), ...originsOf(e.right, ctx, depth)];
    }
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) return originsOf(e.right, ctx, depth);
    return [];
  }
  if (ts.isConditionalExpression(e)) return [...originsOf(e.whenTrue, ctx, depth), ...originsOf(e.whenFalse, ctx, depth)];
  // An object handed on as a whole (`svc.addNote({ ...dto, patientId })`) carries the tenant of its parts.
  if (ts.isObjectLiteralExpression(e)) return tenantPartsOfObject(e, ctx).flatMap((part) => originsOf(part, ctx, depth));
  return [];
}

/**
 * The parts of an object literal that may set a tenant key: its tenant key properties, and spreads
 * of values whose type may carry one, unless a tenant key property written after the spread
 * overrides it (`{ ...dto, tenantId: ctx.tenantId }`).
 */
function tenantPartsOfObject(obj: ts.ObjectLiteralExpression, ctx: AnalysisContext): ts.Expression[] {
  const parts: ts.Expression[] = [];
  for (const property of obj.properties) {
    if (ts.isSpreadAssignment(property)) {
      if (mayCarryTenantKey(property.expression, ctx)) parts.push(property.expression);
      continue;
    }
    const name = property.name && staticName(property.name);
    if (!ctx.isTenantKey(name)) continue;
    parts.length = 0; // an explicit tenant key replaces what earlier spreads set
    if (ts.isPropertyAssignment(property)) parts.push(property.initializer);
    else if (ts.isShorthandPropertyAssignment(property)) parts.push(property.name);
  }
  return parts;
}

/**
 * False for expressions `originsOf` provably finds no origin in, found without asking for a type:
 * literals, functions, object and array literals; names of functions, classes and `const`s holding
 * such values; calls of library functions (declared only as functions in declaration files, so they
 * have no body to follow). A sink whose values are all such needs no callee or type resolved.
 */
export function mayHaveOrigins(expr: ts.Expression, ctx: AnalysisContext, depth = 0): boolean {
  if (depth > MAX_DEPTH) return true;
  const e = skipWrappers(expr);
  if (ts.isIdentifier(e)) {
    const decl = resolvedSymbol(ctx.checker, e)?.valueDeclaration;
    if (!decl || ts.isParameter(decl) || ts.isBindingElement(decl)) return decl !== undefined;
    if (!ts.isVariableDeclaration(decl)) return false;
    if (!decl.initializer) return false;
    const isConst = ts.isVariableDeclarationList(decl.parent) && (decl.parent.flags & ts.NodeFlags.Const) !== 0;
    return !isConst || mayHaveOrigins(decl.initializer, ctx, depth + 1);
  }
  if (ts.isCallExpression(e)) {
    const callee = skipWrappers(e.expression);
    if (!ts.isIdentifier(callee)) return true;
    if (PASS_THROUGH_FUNCTIONS.has(callee.text)) return e.arguments[0] !== undefined && mayHaveOrigins(e.arguments[0], ctx, depth + 1);
    if (SOURCES.some((s) => s.functions?.has(callee.text))) return true;
    const declarations = resolvedSymbol(ctx.checker, callee)?.declarations;
    return !declarations?.length || !declarations.every((d) => ts.isFunctionDeclaration(d) && !d.body && d.getSourceFile().isDeclarationFile);
  }
  // Syntax only: a spread, or a property value that may carry an origin (see `tenantPartsOfObject`).
  if (ts.isObjectLiteralExpression(e)) {
    return e.properties.some((p) =>
      ts.isSpreadAssignment(p) ? mayHaveOrigins(p.expression, ctx, depth + 1) : ts.isShorthandPropertyAssignment(p) || (ts.isPropertyAssignment(p) && mayHaveOrigins(p.initializer, ctx, depth + 1)),
    );
  }
  return (
    ts.isPropertyAccessExpression(e) ||
    ts.isElementAccessExpression(e) ||
    ts.isNewExpression(e) ||
    ts.isTemplateExpression(e) ||
    ts.isBinaryExpression(e) ||
    ts.isConditionalExpression(e)
  );
}

function originsOfIdentifier(id: ts.Identifier, ctx: AnalysisContext, depth: number): Origin[] {
  const symbol = ts.isShorthandPropertyAssignment(id.parent) && id.parent.name === id
    ? ctx.checker.getShorthandAssignmentValueSymbol(id.parent)
    : resolvedSymbol(ctx.checker, id);
  const decl = symbol?.valueDeclaration;
  if (!decl) return [];
  if (ts.isParameter(decl)) return originsOfParameter(decl, ctx, depth);
  if (ts.isBindingElement(decl)) return originsOfBinding(decl, ctx, depth);
  if (ts.isVariableDeclaration(decl) && decl.initializer) {
    const origins = originsOf(decl.initializer, ctx, depth + 1);
    if (isReassigned(ctx.checker, decl)) origins.push(...assignedOrigins(decl, ctx, depth));
    // An object or array filled in after it is declared (`out[name] = value`) holds what is written to it.
    const literal = skipWrappers(decl.initializer);
    if (ts.isObjectLiteralExpression(literal) || ts.isArrayLiteralExpression(literal)) origins.push(...assignedOrigins(decl, ctx, depth, true));
    return origins.map((o) => withStep(o, decl, `assigned to \`${staticName(decl.name) ?? "variable"}\``));
  }
  if (!ts.isVariableDeclaration(decl)) return [];
  const iterated = forOfIterated(decl);
  if (iterated) return originsOf(iterated, ctx, depth + 1).map((o) => withStep(o, decl, `iterated as \`${staticName(decl.name) ?? "variable"}\``));
  // `let raw; try { raw = await request.json(); } ...`: declared first, assigned later.
  return assignedOrigins(decl, ctx, depth).map((o) => withStep(o, decl, `assigned to \`${staticName(decl.name) ?? "variable"}\``));
}

/** `for (const part of parts)`: each element has the origins of the list. */
function forOfIterated(decl: ts.VariableDeclaration): ts.Expression | undefined {
  const list = decl.parent;
  return ts.isVariableDeclarationList(list) && ts.isForOfStatement(list.parent) && list.parent.initializer === list ? list.parent.expression : undefined;
}

/** The origins of the values assigned to a variable (`members`: to its properties and elements, `out[k] = v`). */
function assignedOrigins(decl: ts.VariableDeclaration, ctx: AnalysisContext, depth: number, members = false): Origin[] {
  return assignmentsTo(decl, ctx, members).flatMap((assignment) => originsOf(assignment.right, ctx, depth + 1));
}

/** The assignments, in the variable's file, to the variable itself or (`members`) to its properties and elements. */
function assignmentsTo(decl: ts.VariableDeclaration, ctx: AnalysisContext, members: boolean): ts.BinaryExpression[] {
  const symbol = ctx.checker.getSymbolAtLocation(decl.name);
  return fileNodes(decl.getSourceFile()).assignments.filter((assignment) => {
    const left = skipWrappers(assignment.left);
    const target = members ? (ts.isPropertyAccessExpression(left) || ts.isElementAccessExpression(left)) && skipWrappers(left.expression) : left;
    return target && ts.isIdentifier(target) && ctx.checker.getSymbolAtLocation(target) === symbol;
  });
}

/** `const { tenantId } = req.body`: a destructured name has its whole initializer's origins. */
function originsOfBinding(binding: ts.BindingElement, ctx: AnalysisContext, depth: number): Origin[] {
  let node: ts.Node = binding;
  while (ts.isBindingElement(node) || ts.isObjectBindingPattern(node) || ts.isArrayBindingPattern(node)) node = node.parent;
  if (ts.isVariableDeclaration(node) && node.initializer) return originsOf(node.initializer, ctx, depth + 1);
  const iterated = ts.isVariableDeclaration(node) ? forOfIterated(node) : undefined;
  if (iterated) return originsOf(iterated, ctx, depth + 1);
  if (ts.isParameter(node)) {
    if (staticName(binding) === "input" && isTrpcResolverParameter(node, ctx)) return [clientOrigin(binding, "tRPC procedure `input`")];
    return originsOfParameter(node, ctx, depth);
  }
  return [];
}

function originsOfParameter(param: ts.ParameterDeclaration, ctx: AnalysisContext, depth: number): Origin[] {
  const decorator = nestSourceDecorator(param, ctx);
  if (decorator) return [clientOrigin(param, `NestJS \`@${decorator}()\` parameter`)];
  const custom = customParamDecoratorOrigin(param, ctx, depth);
  if (custom) return [custom];
  if (isRouteHandlerContext(param)) return [clientOrigin(param, "Next.js route `params`")];
  const fn = param.parent;
  if (!ts.isFunctionLike(fn)) return [];
  if (ctx.isTrustedResolverFile(param.getSourceFile())) return [];
  return [{ kind: "param", fn, index: fn.parameters.indexOf(param), steps: [] }];
}

function originsOfCall(call: ts.CallExpression | ts.NewExpression, ctx: AnalysisContext, depth: number): Origin[] {
  const name = calleeName(call);
  const args = call.arguments ?? [];
  const callee = skipWrappers(call.expression);
  if (ts.isIdentifier(callee) && name && PASS_THROUGH_FUNCTIONS.has(name)) return args[0] ? originsOf(args[0], ctx, depth) : [];
  if (ts.isNewExpression(call) && name === "URL" && args[0]) return originsOf(args[0], ctx, depth);
  if (ts.isPropertyAccessExpression(callee)) {
    if (name && PASS_THROUGH_METHODS.has(name) && args[0]) return originsOf(args[0], ctx, depth);
    // `jwt.decode(token)` reads claims without verifying the signature: still what the client sent.
    if (name && UNVERIFIED_DECODERS.has(name) && args[0] && isFromPackage(ctx.checker.getSymbolAtLocation(callee.name), "jsonwebtoken", "@types/jsonwebtoken", "jose", "jwt-decode")) {
      return originsOf(args[0], ctx, depth).filter((o) => o.kind === "client");
    }
    // A method of a client value (`raw.trim()`, `url.searchParams.get("t")`) keeps it client-controlled.
    const receiver = originsOf(callee.expression, ctx, depth);
    if (receiver.length) return receiver;
  }
  // A helper's result has the origins of what it returns; where it returns (something derived
  // from) its own parameter, the caller's argument for that parameter (`toObjectId(req.body.x)`).
  const fn = ts.isCallExpression(call) ? ctx.calledFunction(call) : undefined;
  if (fn) {
    if (ctx.isTrustedResolverFile(fn.getSourceFile())) return [];
    return returnedExpressions(fn)
      .flatMap((r) => originsOf(r, ctx, depth + 1))
      .flatMap((o) => (o.kind === "param" && o.fn === fn ? argumentOrigins(call, o.index, ctx, depth) : [o]))
      .filter((o) => o.kind === "client" || o.fn !== fn)
      .map((o) => withStep(o, call, `returned by \`${shortText(call.expression, 40)}()\``));
  }
  // A library constructor converts its argument (`new Types.ObjectId(id)`, `new Date(x)`).
  if (ts.isNewExpression(call)) return args.flatMap((a) => originsOf(a, ctx, depth + 1));
  return [];
}

function argumentOrigins(call: ts.CallExpression | ts.NewExpression, index: number, ctx: AnalysisContext, depth: number): Origin[] {
  const arg = call.arguments?.[index];
  return arg ? originsOf(arg, ctx, depth + 1) : [];
}

/** Is this expression itself a read of client input (`req.body`, `c.req.json()`, `ctx.get("x")`)? */
function clientSource(e: ts.Expression, ctx: AnalysisContext): Origin | undefined {
  if (ctx.isTrustedResolverFile(e.getSourceFile())) return undefined;
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    if (ts.isPropertyAccessExpression(e) && e.name.text === "input" && isTrpcOptions(e.expression, ctx)) {
      return clientOrigin(e, "tRPC procedure `input`");
    }
    const spec = matchingSource(e, "property", ctx);
    if (spec) return clientOrigin(e, `${spec.framework} \`${shortText(e, 40)}\``);
    // Node's request headers (`req.headers`) handed on by a framework's context (a tRPC
    // `createContext` returning `{ headers: req.headers }`): whoever carries them, the client wrote them.
    if (ts.isPropertyAccessExpression(e) && isNodeRequestHeaders(ctx.checker.getTypeAtLocation(e))) {
      return clientOrigin(e, `request headers \`${shortText(e, 40)}\``);
    }
  }
  if (ts.isCallExpression(e)) {
    const callee = skipWrappers(e.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      const spec = matchingSource(callee, "method", ctx);
      if (spec) return clientOrigin(e, `${spec.framework} \`${shortText(e, 40)}\``);
    }
    if (ts.isIdentifier(callee)) {
      const spec = SOURCES.find((s) => s.functions?.has(callee.text) && isFromPackage(resolvedSymbol(ctx.checker, callee), ...s.packages));
      if (spec) return clientOrigin(e, `${spec.framework} \`${shortText(e, 40)}\``);
    }
  }
  return undefined;
}

function matchingSource(access: ts.PropertyAccessExpression | ts.ElementAccessExpression, kind: "property" | "method", ctx: AnalysisContext): SourceSpec | undefined {
  const name = staticName(access);
  if (!name) return undefined;
  const candidates = SOURCES.filter((s) => (kind === "property" ? s.properties : s.methods)?.has(name));
  if (candidates.length === 0) return undefined;
  const member = ts.isPropertyAccessExpression(access) ? ctx.checker.getSymbolAtLocation(access.name) : undefined;
  for (const spec of candidates) {
    if (spec.receiverTypes) {
      const receiverType = ctx.checker.getTypeAtLocation(access.expression);
      const typeName = (receiverType.aliasSymbol ?? receiverType.getSymbol())?.getName();
      if (!typeName || !spec.receiverTypes.has(typeName)) continue;
      if (!member || isFromPackage(member, ...spec.packages) || member.declarations?.some((d) => d.getSourceFile().hasNoDefaultLib)) return spec;
      continue;
    }
    if (member && isFromPackage(member, ...spec.packages)) return spec;
    // Members inherited from Node's IncomingMessage (`req.headers`) are declared in @types/node:
    // the request type itself tells the framework.
    const receiverType = ctx.checker.getTypeAtLocation(access.expression);
    if (isFromPackage(receiverType.aliasSymbol ?? receiverType.getSymbol(), ...spec.packages)) return spec;
  }
  return undefined;
}

function isNodeRequestHeaders(type: ts.Type): boolean {
  const symbol = type.aliasSymbol ?? type.getSymbol();
  return symbol?.getName() === "IncomingHttpHeaders" && isFromPackage(symbol, "@types/node");
}

function clientOrigin(node: ts.Node, label: string): Origin {
  return { kind: "client", node, label, steps: [{ node, message: `client-controlled ${label}` }] };
}

function withStep(origin: Origin, node: ts.Node, message: string): Origin {
  return { ...origin, steps: [...origin.steps, { node, message }] };
}

const ROUTE_HANDLER_NAMES = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);

/**
 * The second parameter of a Next.js route handler (`export async function GET(req, { params })`):
 * its `params` are URL segments the client chose.
 */
function isRouteHandlerContext(param: ts.ParameterDeclaration): boolean {
  const fn = param.parent;
  if (!ts.isFunctionLike(fn) || fn.parameters.indexOf(param) !== 1) return false;
  const name = ts.isFunctionDeclaration(fn)
    ? fn.name?.text
    : ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)
      ? fn.parent.name.text
      : undefined;
  if (!name || !ROUTE_HANDLER_NAMES.has(name)) return false;
  return /(^|[\\/])route\.(ts|tsx|js|mts)$/.test(param.getSourceFile().fileName);
}

/** `@Body() dto`, `@Query("tenantId") t`, ... from @nestjs/common. */
function nestSourceDecorator(param: ts.ParameterDeclaration, ctx: AnalysisContext): string | undefined {
  for (const decorator of ts.getDecorators(param) ?? []) {
    const expr = decorator.expression;
    if (!ts.isCallExpression(expr)) continue;
    const name = calleeName(expr);
    if (!name || !NEST_PARAM_DECORATORS.has(name)) continue;
    const symbol = resolvedSymbol(ctx.checker, expr.expression);
    if (isFromPackage(symbol, "@nestjs/common")) return name;
  }
  return undefined;
}

/**
 * `@WorkspaceHint() id` where `WorkspaceHint = createParamDecorator((data, context) => ...)`: the
 * parameter is what the factory returns, client-controlled when that is request input read outside
 * a trusted resolver (`req.header("x-workspace-id")`).
 */
function customParamDecoratorOrigin(param: ts.ParameterDeclaration, ctx: AnalysisContext, depth: number): Origin | undefined {
  for (const decorator of ts.getDecorators(param) ?? []) {
    const expr = decorator.expression;
    if (!ts.isCallExpression(expr) || !ts.isIdentifier(expr.expression)) continue;
    const declaration = resolvedSymbol(ctx.checker, expr.expression)?.valueDeclaration;
    const created = declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && skipWrappers(declaration.initializer);
    if (!created || !ts.isCallExpression(created) || calleeName(created) !== "createParamDecorator") continue;
    if (ctx.isTrustedResolverFile(created.getSourceFile())) continue;
    const factory = created.arguments[0] && skipWrappers(created.arguments[0]);
    if (!factory || !(ts.isArrowFunction(factory) || ts.isFunctionExpression(factory))) continue;
    if (!isFromPackage(resolvedSymbol(ctx.checker, created.expression), "@nestjs/common")) continue;
    const client = returnedExpressions(factory)
      .flatMap((value) => originsOf(value, ctx, depth + 1))
      .find((origin) => origin.kind === "client");
    if (client?.kind === "client") return clientOrigin(param, `\`@${expr.expression.text}()\` parameter, which returns ${client.label}`);
  }
  return undefined;
}

/** The `ctx` a tRPC resolver is given: `({ ctx }) => ...` or `(opts) => opts.ctx`. */
function isTrpcContext(expr: ts.Expression, ctx: AnalysisContext): boolean {
  const e = skipWrappers(expr);
  if (ts.isPropertyAccessExpression(e)) return e.name.text === "ctx" && isTrpcOptions(e.expression, ctx);
  if (!ts.isIdentifier(e) || e.text !== "ctx") return false;
  const decl = resolvedSymbol(ctx.checker, e)?.valueDeclaration;
  if (!decl || !ts.isBindingElement(decl) || staticName(decl) !== "ctx" || !ts.isObjectBindingPattern(decl.parent)) return false;
  const param = decl.parent.parent;
  return ts.isParameter(param) && isTrpcResolverParameter(param, ctx);
}

/**
 * A property of a tRPC resolver's `ctx` holds what the context creator put there
 * (`initTRPC.context<Context>()`, `Context` being what `createContext` returns): a header read
 * there is the client's. A property some middleware sets (`next({ ctx: { group } })`) may have been
 * replaced by a verified value, and is not followed.
 */
function trpcContextOrigins(access: ts.PropertyAccessExpression, ctx: AnalysisContext, depth: number): Origin[] {
  const { contexts, setByMiddleware } = trpcContexts(ctx);
  const name = access.name.text;
  if (setByMiddleware.has(name)) return [];
  return contexts.flatMap((type) => {
    const declaration = ctx.checker.getPropertyOfType(type, name)?.valueDeclaration;
    if (!declaration || declaration.getSourceFile().isDeclarationFile) return [];
    const written = propertyValue(declaration);
    if (!written) return [];
    const line = written.getSourceFile().getLineAndCharacterOfPosition(written.getStart()).line + 1;
    return originsOf(written, ctx, depth + 1).map((origin) => withStep(origin, access, `read from the tRPC context's \`${name}\`, set at line ${line} of ${path.basename(written.getSourceFile().fileName)}`));
  });
}

/**
 * The context types the program's tRPC instances are created with, and the context properties its
 * middlewares set. The files that create the instance are imported by every router file, so a
 * program for part of a project has them too.
 */
function trpcContexts(ctx: AnalysisContext): { contexts: ts.Type[]; setByMiddleware: Set<string> } {
  return ctx.memoize("taint:trpcContexts", () => {
    const contexts: ts.Type[] = [];
    const setByMiddleware = new Set<string>();
    for (const sourceFile of ctx.program.getSourceFiles()) {
      if (sourceFile.isDeclarationFile || !ctx.sees(sourceFile, TRPC_FILES)) continue;
      for (const call of fileNodes(sourceFile).calls) {
        const callee = skipWrappers(call.expression);
        if (ts.isPropertyAccessExpression(callee) && callee.name.text === "context" && call.typeArguments?.length === 1) {
          if (isFromPackage(ctx.checker.getSymbolAtLocation(callee.name), "@trpc/server")) contexts.push(ctx.checker.getTypeFromTypeNode(call.typeArguments[0]!));
        } else if (calleeName(call) === "next") {
          // `next({ ctx: { group } })`, or `opts.next(...)`
          const options = call.arguments[0] && objectLiteralOf(call.arguments[0], ctx);
          const overrides = options?.properties.find((p) => p.name && staticName(p.name) === "ctx");
          const value = overrides && ts.isPropertyAssignment(overrides) ? objectLiteralOf(overrides.initializer, ctx) : undefined;
          for (const property of value?.properties ?? []) {
            const key = property.name && staticName(property.name);
            if (key) setByMiddleware.add(key);
          }
        }
      }
    }
    return { contexts, setByMiddleware };
  });
}

/** The options parameter of a tRPC `.query(...)`/`.mutation(...)` resolver. */
function isTrpcResolverParameter(param: ts.ParameterDeclaration, ctx: AnalysisContext): boolean {
  const fn = param.parent;
  if (!(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) || fn.parameters[0] !== param) return false;
  const call = fn.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(fn)) return false;
  const callee = skipWrappers(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !TRPC_RESOLVERS.has(callee.name.text)) return false;
  return isFromPackage(ctx.checker.getSymbolAtLocation(callee.name), "@trpc/server");
}

function isTrpcOptions(expr: ts.Expression, ctx: AnalysisContext): boolean {
  const e = skipWrappers(expr);
  if (!ts.isIdentifier(e)) return false;
  const decl = resolvedSymbol(ctx.checker, e)?.valueDeclaration;
  return !!decl && ts.isParameter(decl) && isTrpcResolverParameter(decl, ctx);
}

// ---------------------------------------------------------------------------------------------
// Sinks

/** The values an ORM call uses as the tenant: tenant keys in its filters and in the rows it writes. */
export function tenantValuesOfAccess(access: DataAccess, ctx: AnalysisContext): ts.Expression[] {
  const values: ts.Expression[] = [];
  const fromPart = (part: FilterPart): void => {
    if (part.kind === "object") values.push(...tenantValuesInObject(part.expr, ctx, 0));
    else if (part.kind === "column" && part.value && ctx.isTenantKey(part.column.replace(/^.*\./, ""))) values.push(part.value);
    else if (part.kind === "condition") values.push(...tenantValuesInCondition(part.expr, ctx, 0));
    else if (part.kind === "alternatives") part.branches.forEach((branch) => branch.forEach(fromPart));
  };
  access.filters.forEach(fromPart);
  for (const written of [...access.created, ...access.updated]) values.push(...tenantValuesInWritten(written, ctx, 0));
  return values;
}

/** Tenant values in written rows: object literals by key, `rows.map((r) => ({...}))` by the rows it builds. */
function tenantValuesInWritten(written: ts.Expression, ctx: AnalysisContext, depth: number): ts.Expression[] {
  const e = skipWrappers(written);
  if (ts.isIdentifier(e) && depth < MAX_DEPTH) {
    const init = constInitializer(ctx.checker, e);
    // `const payload = await c.req.json<{ tenantId: string }>()`: the initializer (a promise) names no
    // key, the variable's own type does.
    const inner = init ? tenantValuesInWritten(init, ctx, depth + 1) : [];
    if (init) return inner.length || !mayCarryTenantKey(e, ctx) ? inner : [e];
  }
  if (ts.isObjectLiteralExpression(e) || ts.isArrayLiteralExpression(e)) return tenantValuesInObject(e, ctx, depth);
  if (ts.isCallExpression(e) && calleeName(e) === "map" && e.arguments[0]) {
    const mapper = skipWrappers(e.arguments[0]);
    if ((ts.isArrowFunction(mapper) || ts.isFunctionExpression(mapper)) && depth < MAX_DEPTH) {
      return returnedExpressions(mapper).flatMap((r) => tenantValuesInWritten(r, ctx, depth + 1));
    }
  }
  // A whole object from elsewhere (`data: req.body`) sets the tenant key if its type may carry one.
  return mayCarryTenantKey(e, ctx) ? [e] : [];
}

/** Could a value of this type hold a tenant key? Untyped values (`any`) could. */
function mayCarryTenantKey(expr: ts.Expression, ctx: AnalysisContext): boolean {
  let type = ctx.checker.getTypeAtLocation(expr);
  if (ctx.checker.isArrayType(type)) type = ctx.checker.getTypeArguments(type as ts.TypeReference)[0] ?? type;
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return true;
  return ctx.checker.getPropertiesOfType(type).some((p) => ctx.isTenantKey(p.getName()) || ctx.isTenantRelationName(p.getName()));
}

/** Values a criteria or data object held in a variable gets for a tenant key after it is built (`where.orgId = id`). */
function tenantKeyWrites(decl: ts.VariableDeclaration, ctx: AnalysisContext): ts.Expression[] {
  return assignmentsTo(decl, ctx, true)
    .filter((assignment) => {
      const left = skipWrappers(assignment.left);
      return ts.isPropertyAccessExpression(left) && ctx.isTenantKey(left.name.text);
    })
    .map((assignment) => assignment.right);
}

/** Values given to tenant keys (or the tenant relation) anywhere in a criteria or data object. */
export function tenantValuesInObject(expr: ts.Expression, ctx: AnalysisContext, depth: number): ts.Expression[] {
  if (depth > MAX_DEPTH) return [];
  const e = skipWrappers(expr);
  if (ts.isArrayLiteralExpression(e)) return e.elements.flatMap((el) => tenantValuesInObject(el, ctx, depth + 1));
  if (ts.isIdentifier(e)) {
    // Also the variable a shorthand names (`findAll({ where })`), not the option it sets.
    const decl = variableDeclarationOf(ctx.checker, e);
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.isObjectLiteralExpression(skipWrappers(decl.initializer))) {
      return [...tenantValuesInObject(decl.initializer, ctx, depth + 1), ...tenantKeyWrites(decl, ctx)];
    }
    return [];
  }
  if (!ts.isObjectLiteralExpression(e)) return [];
  // Values the object's own tenant key takes: a later key, or a spread that sets one
  // (`{ ...filter, ...this.scope(ctx) }`), replaces what earlier parts set.
  const out: ts.Expression[] = [];
  const nested: ts.Expression[] = [];
  for (const property of e.properties) {
    if (ts.isSpreadAssignment(property)) {
      const spread = skipWrappers(property.expression);
      const literal = objectLiteralOf(spread, ctx);
      if (literal?.properties.some((p) => !ts.isSpreadAssignment(p) && ctx.isTenantKey(staticName(p.name)))) out.length = 0;
      if (ts.isObjectLiteralExpression(spread) || ts.isIdentifier(spread)) {
        const inner = tenantValuesInObject(spread, ctx, depth + 1);
        out.push(...(inner.length || !mayCarryTenantKey(spread, ctx) || ts.isObjectLiteralExpression(spread) ? inner : [spread]));
      } else if (mayCarryTenantKey(spread, ctx)) {
        out.push(spread);
      }
      continue;
    }
    const name = staticName(property.name);
    const value = propertyValue(property);
    if (!value) continue;
    if (ctx.isTenantKey(name)) {
      out.length = 0;
      out.push(...leafValues(value, depth + 1));
    } else if (ctx.isTenantRelationName(name)) out.push(...leafValues(value, depth + 1));
    else if (name && /^(AND|OR|NOT|\$and|\$or|\$nor|where|\$match|\$set)$/.test(name)) nested.push(...tenantValuesInObject(value, ctx, depth + 1));
  }
  return [...out, ...nested];
}

/** `x`, `{ equals: x }`, `{ in: xs }`, `{ connect: { id: x } }`: the values inside an operator object. */
function leafValues(value: ts.Expression, depth: number): ts.Expression[] {
  const e = skipWrappers(value);
  if (depth > MAX_DEPTH || !ts.isObjectLiteralExpression(e)) return [e];
  return e.properties.flatMap((p) =>
    ts.isPropertyAssignment(p) ? leafValues(p.initializer, depth + 1) : ts.isShorthandPropertyAssignment(p) ? [p.name] : [],
  );
}

function tenantValuesInCondition(expr: ts.Expression, ctx: AnalysisContext, depth: number): ts.Expression[] {
  if (depth > MAX_DEPTH) return [];
  const e = skipWrappers(expr);
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return returnedExpressions(e).flatMap((r) => tenantValuesInCondition(r, ctx, depth + 1));
  if (!ts.isCallExpression(e)) return [];
  const name = calleeName(e);
  if (name === "and" || name === "or") {
    return e.arguments.flatMap((a) => {
      const arg = skipWrappers(ts.isSpreadElement(a) ? a.expression : a);
      const items = ts.isArrayLiteralExpression(arg) ? arg.elements : ts.isIdentifier(arg) ? (conditionListOf(arg, name, ctx) ?? []) : [arg];
      return items.flatMap((item) => tenantValuesInCondition(item, ctx, depth + 1));
    });
  }
  const [first, second, third] = e.arguments;
  if (!first) return [];
  const column = columnName(first);
  if (!column || !ctx.isTenantKey(column)) return [];
  const value = third && second && ts.isStringLiteralLike(skipWrappers(second)) ? third : second;
  return value ? [value] : [];
}

function columnName(arg: ts.Expression): string | undefined {
  const e = skipWrappers(arg);
  if (ts.isStringLiteralLike(e)) return e.text.replace(/^.*\./, "");
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}

/**
 * Every tenant sink a node is: an ORM call's tenant values, a tenant context built from values,
 * or a call passing values to parameters that reach a sink inside the callee.
 */
export function sinksAt(node: ts.Node, ctx: AnalysisContext): TenantSink[] {
  const sinks: TenantSink[] = [];
  if (ts.isTaggedTemplateExpression(node) || ts.isCallExpression(node)) sinks.push(...rawSqlSinks(node, ctx));
  if (ts.isCallExpression(node)) {
    const access = ctx.accessOf(node);
    if (access) {
      const values = tenantValuesOfAccess(access, ctx);
      if (values.length) sinks.push({ node: access.node, description: `the tenant key of this ${access.entity.name} ${access.operation}`, values, steps: [] });
    }
    sinks.push(...callSinks(node, ctx));
    if (!access && !ctx.isQueryLink(node)) sinks.push(...entityConstructionSinks(node, ctx));
  }
  if (ts.isNewExpression(node) && node.arguments?.some((arg) => mayHaveOrigins(arg, ctx)) && mayReturnContext(node, ctx) && ctx.isContextType(ctx.checker.getTypeAtLocation(node))) {
    if (!isTrustedCallee(node, ctx)) sinks.push({ node, description: "a new tenant context", values: [...node.arguments], steps: [] });
  }
  if (ts.isObjectLiteralExpression(node)) {
    // Most objects name no tenant key, or one with no origin (`{ tenantId: ctx.tenantId }`): only
    // the others are worth a contextual type, which for an argument means resolving the call.
    const values = tenantValuesInObject(node, ctx, 0);
    const contextual = values.some((value) => originsOf(value, ctx).length > 0) ? ctx.checker.getContextualType(node) : undefined;
    if (contextual && ctx.isContextType(contextual)) {
      sinks.push({ node, description: `a tenant context (${typeName(contextual)}) built here`, values, steps: [] });
    }
  }
  return sinks;
}

/**
 * Raw SQL that compares the tenant column with a value it is given: `sql\`... org_id = ${id}\``,
 * `knex.raw("... org_id = ?", [id])`, `pool.query("... org_id = $1", [id])`. The value is the
 * statement's tenant.
 */
function rawSqlSinks(node: ts.CallExpression | ts.TaggedTemplateExpression, ctx: AnalysisContext): TenantSink[] {
  // Only SQL written with a value in it can take a tenant from one.
  const template = ts.isTaggedTemplateExpression(node) ? node.template : node.arguments[0] && skipWrappers(node.arguments[0]);
  if (!template || (ts.isCallExpression(node) && node.arguments.length < 2 && !ts.isTemplateExpression(template))) return [];
  if (ts.isNoSubstitutionTemplateLiteral(template) && ts.isTaggedTemplateExpression(node)) return [];
  const raw = ctx.rawSqlOf(node);
  if (!raw) return [];
  const keys = ctx.config.tenantKeys.map(escapeRegExp).join("|");
  const predicate = `(?:[\\w"\`]+\\.)?["\`]?(?:${keys})["\`]?\\s*(?:=|in\\s*\\(|=\\s*any\\s*\\()\\s*`;
  const values: ts.Expression[] = [];
  if (ts.isTemplateExpression(template)) {
    // The value after a literal part that ends with a tenant predicate.
    const before = new RegExp(`${predicate}$`, "i");
    template.templateSpans.forEach((span, i) => {
      const text = i === 0 ? template.head.text : template.templateSpans[i - 1]!.literal.text;
      if (before.test(text)) values.push(span.expression);
    });
  } else if (ts.isCallExpression(node) && ts.isStringLiteralLike(template)) {
    // Placeholders after a tenant predicate, in the bindings array: `$2` by number, `?` by position.
    const bindings = skipWrappers(node.arguments[1]!);
    if (!ts.isArrayLiteralExpression(bindings)) return [];
    const placeholder = new RegExp(`${predicate}(\\$(\\d+)|\\?)`, "gi");
    for (let m = placeholder.exec(template.text); m; m = placeholder.exec(template.text)) {
      const index = m[2] ? Number(m[2]) - 1 : (template.text.slice(0, m.index + m[0].length - 1).match(/\?/g) ?? []).length;
      const value = bindings.elements[index];
      if (value && !ts.isSpreadElement(value)) values.push(value);
    }
  }
  return values.length ? [{ node: raw.node, description: "the tenant predicate of this raw SQL", values, steps: [] }] : [];
}

/** Whether a call can build a tenant context, judged from its callee's signatures before resolving it. */
function mayReturnContext(call: ts.CallExpression | ts.NewExpression, ctx: AnalysisContext): boolean {
  return mayReturn(ctx.checker, call, (type) => ctx.isContextType(type));
}

/**
 * A library factory that builds a tenant-scoped row in memory for a later save (TypeORM
 * `repo.create({...})`, Sequelize `Model.build({...})`): the tenant key it is given is what the
 * row will be saved with.
 */
function entityConstructionSinks(call: ts.CallExpression, ctx: AnalysisContext): TenantSink[] {
  // The values come from literal arguments: without a tenant key among them, the callee does not matter.
  const values = call.arguments.flatMap((arg) => {
    const e = skipWrappers(arg);
    return ts.isObjectLiteralExpression(e) || ts.isArrayLiteralExpression(e) ? tenantValuesInObject(e, ctx, 0) : [];
  });
  if (!values.length) return [];
  const declaration = calleeDeclaration(ctx.checker, call);
  if (!declaration || !declaration.getSourceFile().fileName.includes("/node_modules/")) return [];
  let type = ctx.checker.getTypeAtLocation(call);
  if (ctx.checker.isArrayType(type)) type = ctx.checker.getTypeArguments(type as ts.TypeReference)[0] ?? type;
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown) || ctx.isContextType(type)) return [];
  if (!ctx.checker.getPropertiesOfType(type).some((p) => ctx.isTenantKey(p.getName()))) return [];
  return [{ node: call, description: `a new ${typeName(type)} row`, values, steps: [] }];
}

function typeName(type: ts.Type): string {
  const parts = type.isUnion() ? type.types : [type];
  for (const part of parts) {
    const symbol = part.aliasSymbol ?? part.getSymbol();
    if (symbol) return symbol.getName();
  }
  return "tenant context";
}

function isTrustedCallee(call: ts.CallExpression | ts.NewExpression, ctx: AnalysisContext): boolean {
  const decl = calleeDeclaration(ctx.checker, call);
  return !!decl && ctx.isTrustedResolverFile(decl.getSourceFile());
}

/** A call whose value nothing uses (`res.json(...);`): whatever it returns scopes nothing. */
function isResultDiscarded(call: ts.CallExpression): boolean {
  let node: ts.Node = call;
  while (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent) || ts.isVoidExpression(node.parent)) node = node.parent;
  return ts.isExpressionStatement(node.parent);
}

/** Calls whose arguments become a tenant: a context factory, or a function whose parameter reaches a sink. */
function callSinks(call: ts.CallExpression, ctx: AnalysisContext): TenantSink[] {
  const sinks: TenantSink[] = [];
  // Every sink below takes its values from the arguments: none of them can carry an origin.
  if (!call.arguments.some((arg) => mayHaveOrigins(arg, ctx))) return sinks;
  const fn = ctx.calledFunction(call);
  if (!fn) {
    // A library factory that returns a tenant context (its body is not in the program to follow).
    if (call.arguments.length && !isResultDiscarded(call) && !ctx.isQueryLink(call) && mayReturnContext(call, ctx) && ctx.isContextType(ctx.checker.getTypeAtLocation(call)) && !isTrustedCallee(call, ctx)) {
      sinks.push({ node: call, description: `the tenant context made by \`${shortText(call.expression, 40)}()\``, values: [...call.arguments], steps: [] });
    }
    return sinks;
  }
  for (const reach of parameterSinks(fn, ctx)) {
    const arg = call.arguments[reach.index];
    if (!arg) continue;
    sinks.push({
      node: call,
      description: reach.description,
      values: [arg],
      steps: [{ node: call, message: `passed to \`${shortText(call.expression, 40)}()\`` }, ...reach.steps],
    });
  }
  return sinks;
}

/** A parameter of a function that reaches a tenant sink inside it (directly or through further calls). */
interface ParameterSink {
  readonly index: number;
  readonly description: string;
  readonly steps: readonly PathStep[];
}

const IN_PROGRESS: readonly ParameterSink[] = [];

/** Which parameters of a function reach a tenant sink: computed once per function and program. */
export function parameterSinks(fn: FunctionWithBody, ctx: AnalysisContext): readonly ParameterSink[] {
  const memo = ctx.memoize("taint:parameterSinks", () => new Map<ts.Node, readonly ParameterSink[]>());
  const cached = memo.get(fn);
  if (cached) return cached;
  // Trusted resolvers turn input into tenants on purpose, after verifying it.
  if (ctx.isTrustedResolverFile(fn.getSourceFile()) || !fn.body) {
    memo.set(fn, []);
    return [];
  }
  memo.set(fn, IN_PROGRESS); // recursion: a cycle contributes nothing new
  const found = new Map<number, ParameterSink>();
  forEachDescendant(fn.body, (node) => {
    for (const sink of sinksAt(node, ctx)) {
      for (const value of sink.values) {
        for (const origin of originsOf(value, ctx)) {
          if (origin.kind !== "param" || origin.fn !== fn || found.has(origin.index)) continue;
          found.set(origin.index, {
            index: origin.index,
            description: sink.description,
            steps: [...origin.steps, ...sink.steps, ...(sink.steps.length ? [] : [{ node: sink.node, message: `reaches ${sink.description}` }])],
          });
        }
      }
    }
  });
  const result = [...found.values()];
  memo.set(fn, result);
  return result;
}
