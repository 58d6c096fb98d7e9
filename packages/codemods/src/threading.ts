import { isFromPackage, resolvedSymbol, skipWrappers, type AnalysisContext } from "@tenant-lint/core";
import path from "node:path";
import { ts } from "@tenant-lint/core";
import type { TextEdit } from "./edits.js";
import { ImportPlan } from "./imports.js";
import { tenantContextFor } from "./scope-queries.js";

/**
 * Threads a `TenantContext` from the request handlers down to the places that need one.
 *
 * A place that needs a context gets it from, in order: a context already in scope (a parameter
 * or local of a configured context type); a request handler it sits in (the runtime's
 * `requireTenant(req)`, or a NestJS `@Tenant()` parameter); or its enclosing top-level function
 * or method, which then takes `ctx: TenantContext` first, so that every call of it has to pass
 * one, and so on up the callers. Nested and anonymous functions see the context of the function
 * around them (closures), so they are never given a parameter.
 *
 * A function cannot take a parameter safely when it is used as a value (passed as a callback,
 * bound), overloaded, a method that implements or overrides another, or when one of its calls has
 * no context to pass (module-level code, a constructor): it is then blocked, with the reason, and
 * whatever needed a context through it is reported as skipped.
 */

export const RUNTIME_MODULE = "@tenant-lint/runtime";
export const RUNTIME_CONTEXT_TYPE = "TenantContext";
const CONTEXT_NAMES = ["ctx", "tenantCtx", "tenantContext", "tenant"];

export type Framework = "express" | "fastify" | "koa" | "hono" | "nestjs";

/** Where a function's tenant context comes from after the migration. */
export type ContextSource =
  /** Already in scope before the migration. */
  | { readonly kind: "existing"; readonly text: string }
  /** A `ctx: TenantContext` parameter the migration adds. */
  | { readonly kind: "parameter"; readonly fn: ThreadableFunction }
  /** A request handler: the runtime middleware's context, read from the request. */
  | {
      readonly kind: "request";
      readonly fn: ts.SignatureDeclaration;
      readonly framework: Framework;
      readonly request: string;
      /** The handler declares no parameters: the request parameter is added. */
      readonly addParameter?: boolean;
    }
  /** A NestJS route handler: a `@Tenant()` parameter the migration adds. */
  | { readonly kind: "nest"; readonly fn: ThreadableFunction };

export type ThreadableFunction = ts.FunctionLikeDeclaration & { readonly body: ts.Node };

/** A function that takes a context after the migration. */
export interface ThreadedFunction {
  readonly file: string;
  readonly line: number;
  readonly name: string;
  /** `parameter`: takes `ctx` from its callers; otherwise the framework whose request it reads. */
  readonly via: "parameter" | Framework;
  /** Call sites updated to pass the context. */
  readonly calls: number;
  /** Calls in test files, left for the tests' authors to pass a context to (`path:line:column`). */
  readonly testCalls?: readonly string[];
}

type Resolution = { readonly source: ContextSource } | { readonly blocked: string };

export class ContextThreader {
  private readonly checker: ts.TypeChecker;
  private readonly callsByName = new Map<string, ts.CallExpression[]>();
  private readonly identifiersByName = new Map<string, ts.Identifier[]>();
  private readonly callsOfCache = new Map<ts.Node, ts.CallExpression[]>();
  private readonly valueUseCache = new Map<ts.Node, ts.Identifier | undefined>();
  private readonly blocked = new Map<ts.Node, string>();
  private readonly needs: ts.Node[] = [];
  /** Functions taking a context parameter, after {@link solve}. */
  private readonly owners = new Set<ThreadableFunction>();
  private readonly resolutions = new Map<ts.Node, Resolution>();
  private readonly names = new Map<ts.Node, string>();

  constructor(
    private readonly ctx: AnalysisContext,
    files: readonly ts.SourceFile[],
    /** Paths in messages are relative to it. */
    private readonly rootDir: string,
  ) {
    this.checker = ctx.checker;
    for (const file of files) this.indexFile(file);
  }

  /** Records that `node` needs a tenant context. Call {@link solve} once every need is recorded. */
  need(node: ts.Node): void {
    this.needs.push(node);
  }

  /**
   * Decides which functions take a context: grows the set of functions to thread from the needs,
   * blocks the functions that cannot take one, and repeats until no new function is blocked.
   */
  solve(): void {
    for (;;) {
      this.owners.clear();
      this.resolutions.clear();
      const queue: ThreadableFunction[] = [];
      const enqueue = (node: ts.Node) => {
        const resolution = this.resolve(node);
        if ("source" in resolution && resolution.source.kind === "parameter" && !this.owners.has(resolution.source.fn)) {
          this.owners.add(resolution.source.fn);
          queue.push(resolution.source.fn);
        }
      };
      for (const node of this.needs) enqueue(node);
      let newlyBlocked = false;
      for (let fn = queue.shift(); fn; fn = queue.shift()) {
        const reason = this.cannotTakeParameter(fn);
        if (reason) {
          this.blocked.set(fn, reason);
          newlyBlocked = true;
          break;
        }
        for (const call of this.callsOf(fn)) {
          const resolution = this.resolve(call);
          if ("blocked" in resolution) {
            this.blocked.set(fn, `${describe(fn)} is called where no tenant context can be had (${this.location(call)}: ${resolution.blocked})`);
            newlyBlocked = true;
            break;
          }
          enqueue(call);
        }
        if (newlyBlocked) break;
      }
      if (!newlyBlocked) return;
    }
  }

  /** The expression that gives the tenant context at `node`, or why there is none. */
  contextAt(node: ts.Node): { readonly text: string } | { readonly skip: string } {
    const resolution = this.resolve(node);
    if ("blocked" in resolution) return { skip: resolution.blocked };
    return { text: this.textOf(resolution.source) };
  }

  /** Parameter, argument and import edits per file, and the functions that now take a context. */
  edits(): { readonly edits: Map<string, TextEdit[]>; readonly imports: Map<string, ImportPlan>; readonly functions: ThreadedFunction[] } {
    const edits = new Map<string, TextEdit[]>();
    const imports = new Map<string, ImportPlan>();
    const add = (file: ts.SourceFile, edit: TextEdit) => {
      const list = edits.get(file.fileName) ?? [];
      list.push(edit);
      edits.set(file.fileName, list);
    };
    const importsOf = (file: ts.SourceFile) => {
      const plan = imports.get(file.fileName) ?? new ImportPlan();
      imports.set(file.fileName, plan);
      return plan;
    };
    const functions: ThreadedFunction[] = [];
    const handlers = new Map<ts.Node, ContextSource>();
    const useSource = (source: ContextSource, at: ts.SourceFile) => {
      if (source.kind === "request") {
        importsOf(at).add(`${RUNTIME_MODULE}/${source.framework}`, "requireTenant");
        handlers.set(source.fn, source);
      } else if (source.kind === "nest") {
        handlers.set(source.fn, source);
      }
    };
    for (const fn of this.owners) {
      const file = fn.getSourceFile();
      add(file, parameterEdit(fn, `${this.nameFor(fn)}: ${this.contextTypeIn(file, importsOf(file))}`, file));
      let calls = 0;
      for (const call of this.callsOf(fn)) {
        const resolution = this.resolve(call);
        if (!("source" in resolution)) continue; // solve() blocked fn in that case
        add(call.getSourceFile(), argumentEdit(call, this.textOf(resolution.source)));
        useSource(resolution.source, call.getSourceFile());
        calls++;
      }
      const testCalls = this.testCallsOf(fn).map((call) => this.location(call));
      functions.push({ ...positionOf(fn), name: describe(fn), via: "parameter", calls, ...(testCalls.length ? { testCalls } : {}) });
    }
    for (const node of this.needs) {
      const resolution = this.resolve(node);
      if ("source" in resolution) useSource(resolution.source, node.getSourceFile());
    }
    for (const [fn, source] of handlers) {
      if (source.kind === "nest") {
        const file = fn.getSourceFile();
        add(file, parameterEdit(source.fn, `@Tenant() ${this.nameFor(source.fn)}: ${this.contextTypeIn(file, importsOf(file))}`, file));
        importsOf(file).add(`${RUNTIME_MODULE}/nestjs`, "Tenant");
        functions.push({ ...positionOf(source.fn), name: describe(source.fn), via: "nestjs", calls: 0 });
      } else if (source.kind === "request") {
        if (source.addParameter) add(fn.getSourceFile(), parameterEdit(source.fn, source.request, fn.getSourceFile()));
        functions.push({ ...positionOf(source.fn), name: describe(source.fn), via: source.framework, calls: 0 });
      }
    }
    return { edits, imports, functions };
  }

  private textOf(source: ContextSource): string {
    switch (source.kind) {
      case "existing":
        return source.text;
      case "request":
        return `requireTenant(${source.request})`;
      case "parameter":
      case "nest":
        return this.nameFor(source.fn);
    }
  }

  /** Where the context at `node` comes from, memoised for the current round of {@link solve}. */
  private resolve(node: ts.Node): Resolution {
    const cached = this.resolutions.get(node);
    if (cached) return cached;
    const resolution = this.resolveUncached(node);
    this.resolutions.set(node, resolution);
    return resolution;
  }

  private resolveUncached(node: ts.Node): Resolution {
    const existing = tenantContextFor(node, undefined, this.ctx);
    if (!("skip" in existing)) return { source: { kind: "existing", text: existing.name } };
    for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
      const handler = this.handlerOf(fn);
      if (handler) return handler;
      if (ts.isConstructorDeclaration(fn) || ts.isAccessor(fn)) return { blocked: `inside ${ts.isConstructorDeclaration(fn) ? "a constructor" : "an accessor"}` };
      if (isTopLevelFunction(fn) && "body" in fn && fn.body) {
        const blockedBecause = this.blocked.get(fn);
        if (blockedBecause) return { blocked: blockedBecause };
        return { source: { kind: "parameter", fn: fn as ThreadableFunction } };
      }
    }
    return { blocked: "module-level code, outside any function" };
  }

  /** A request handler of a supported framework: how its context is read, or why it cannot be. */
  private handlerOf(fn: ts.SignatureDeclaration): Resolution | undefined {
    if (ts.isMethodDeclaration(fn) && fn.body && isNestRouteHandler(fn, this.checker)) {
      return { source: { kind: "nest", fn: fn as ThreadableFunction } };
    }
    for (const parameter of fn.parameters) {
      const framework = requestFramework(this.checker.getTypeAtLocation(parameter));
      if (!framework) continue;
      if (!ts.isIdentifier(parameter.name)) return { blocked: `the ${framework} handler's request parameter is destructured: name it to read the tenant from it` };
      return { source: { kind: "request", fn, framework, request: parameter.name.text } };
    }
    // A callback that ignores its arguments (`app.get("/x", async () => ...)`): its contextual type says it is a handler.
    if (fn.parameters.length === 0 && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) {
      const signature = this.checker.getContextualType(fn)?.getCallSignatures()[0];
      const first = signature?.getParameters()[0];
      const framework = first && requestFramework(this.checker.getTypeOfSymbolAtLocation(first, fn));
      if (framework) return { source: { kind: "request", fn, framework, request: REQUEST_NAMES[framework], addParameter: true } };
    }
    return undefined;
  }

  /** Why `fn` cannot take a new first parameter, if it cannot. */
  private cannotTakeParameter(fn: ThreadableFunction): string | undefined {
    const already = this.blocked.get(fn);
    if (already) return already;
    const symbol = symbolOfFunction(fn, this.checker);
    if (symbol && (symbol.declarations?.filter(ts.isFunctionLike).length ?? 0) > 1) return `${describe(fn)} is overloaded`;
    if (ts.isMethodDeclaration(fn) && ts.isClassLike(fn.parent) && this.overridesOrImplements(fn)) {
      return `${describe(fn)} implements or overrides a method of another type, whose signature would no longer match`;
    }
    if (fn.parameters[0] && ts.isIdentifier(fn.parameters[0].name) && fn.parameters[0].name.text === "this") return `${describe(fn)} declares \`this\``;
    const use = this.valueUseOf(fn);
    if (use) return `${describe(fn)} is used as a value at ${this.location(use)} (not called), so a context cannot be passed to it there`;
    return undefined;
  }

  private overridesOrImplements(method: ts.MethodDeclaration): boolean {
    const name = method.name.getText();
    const heritage = (method.parent as ts.ClassLikeDeclaration).heritageClauses ?? [];
    return heritage.some((clause) =>
      clause.types.some((t) => {
        const type = this.checker.getTypeAtLocation(t);
        return this.checker.getPropertyOfType(type, name) !== undefined;
      }),
    );
  }

  /**
   * The calls of `fn` outside test files: same-named calls, resolved with the checker. Tests are
   * not threaded (a test chooses its tenant: `createTenantContext(...)`); they are reported.
   */
  private callsOf(fn: ThreadableFunction): ts.CallExpression[] {
    return this.allCallsOf(fn).filter((call) => !isTestFile(call.getSourceFile().fileName));
  }

  private testCallsOf(fn: ThreadableFunction): ts.CallExpression[] {
    return this.allCallsOf(fn).filter((call) => isTestFile(call.getSourceFile().fileName));
  }

  private allCallsOf(fn: ThreadableFunction): ts.CallExpression[] {
    const cached = this.callsOfCache.get(fn);
    if (cached) return cached;
    const name = nameOfFunction(fn);
    const calls = !name ? [] : (this.callsByName.get(name) ?? []).filter((call) => declares(this.calleeSymbol(call), fn));
    this.callsOfCache.set(fn, calls);
    return calls;
  }

  /** A reference to `fn` that is not a call of it (a callback, `.bind`), if there is one. */
  private valueUseOf(fn: ThreadableFunction): ts.Identifier | undefined {
    if (this.valueUseCache.has(fn)) return this.valueUseCache.get(fn);
    const name = nameOfFunction(fn);
    let found: ts.Identifier | undefined;
    for (const id of (name && this.identifiersByName.get(name)) || []) {
      if (isTestFile(id.getSourceFile().fileName)) continue;
      if (isCalleeName(id) || isDeclarationName(id) || isImportExportName(id)) continue;
      if (declares(resolvedSymbol(this.checker, id), fn)) {
        found = id;
        break;
      }
    }
    this.valueUseCache.set(fn, found);
    return found;
  }

  private calleeSymbol(call: ts.CallExpression): ts.Symbol | undefined {
    const callee = skipWrappers(call.expression);
    const name = ts.isPropertyAccessExpression(callee) ? callee.name : callee;
    return resolvedSymbol(this.checker, name);
  }

  /**
   * The name the runtime's TenantContext type goes by in `file`, imported into `imports`: an alias
   * when the file already has a `TenantContext` of its own.
   */
  private contextTypeIn(file: ts.SourceFile, imports: ImportPlan): string {
    const local = declaresName(file, RUNTIME_CONTEXT_TYPE, RUNTIME_MODULE) ? `Runtime${RUNTIME_CONTEXT_TYPE}` : RUNTIME_CONTEXT_TYPE;
    imports.add(RUNTIME_MODULE, RUNTIME_CONTEXT_TYPE, true, local);
    return local;
  }

  private location(node: ts.Node): string {
    return location(node, this.rootDir);
  }

  private nameFor(fn: ts.Node): string {
    let name = this.names.get(fn);
    if (!name) {
      const taken = identifiersIn(fn);
      name = CONTEXT_NAMES.find((n) => !taken.has(n)) ?? `tenantContext${taken.size}`;
      this.names.set(fn, name);
    }
    return name;
  }

  /** One syntactic pass: calls and identifiers by name; the checker is asked only about candidates. */
  private indexFile(file: ts.SourceFile): void {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const callee = skipWrappers(node.expression);
        const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
        if (name) pushTo(this.callsByName, name, node);
      } else if (ts.isIdentifier(node)) {
        pushTo(this.identifiersByName, node.text, node);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
}

/** Whether the file declares `name` at the top level, or imports it from a module other than `unless`. */
function declaresName(file: ts.SourceFile, name: string, unless: string): boolean {
  return file.statements.some((statement) => {
    if (ts.isImportDeclaration(statement)) {
      if (ts.isStringLiteral(statement.moduleSpecifier) && statement.moduleSpecifier.text === unless) return false;
      const clause = statement.importClause;
      const bindings = clause?.namedBindings;
      return clause?.name?.text === name || (!!bindings && (ts.isNamespaceImport(bindings) ? bindings.name.text === name : bindings.elements.some((e) => e.name.text === name)));
    }
    const declared = (statement as ts.DeclarationStatement).name;
    return !!declared && ts.isIdentifier(declared) && declared.text === name;
  });
}

/** Test files by the usual conventions (`*.test.ts`, `*.spec.ts`, `__tests__/`). */
export function isTestFile(fileName: string): boolean {
  return /\.(test|spec)\.[cm]?tsx?$/.test(fileName) || /[\\/]__tests__[\\/]/.test(fileName);
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The framework whose request (or context) type this is, by the package that declares it. */
export function requestFramework(type: ts.Type): Framework | undefined {
  const symbol = type.aliasSymbol ?? type.getSymbol();
  const name = symbol?.getName();
  const inPackage = (...packages: string[]) => isFromPackage(symbol, ...packages);
  if (name === "Request" && inPackage("@types/express-serve-static-core", "@types/express")) return "express";
  if (name === "FastifyRequest" && inPackage("fastify")) return "fastify";
  if ((name === "ParameterizedContext" || name === "Context" || name === "RouterContext") && inPackage("@types/koa", "@types/koa__router", "@koa/router")) return "koa";
  if (name === "Context" && inPackage("hono")) return "hono";
  return undefined;
}

/** The name a handler's added request parameter gets, as each framework's documentation writes it. */
const REQUEST_NAMES: Record<Framework, string> = { express: "req", fastify: "request", koa: "ctx", hono: "c", nestjs: "request" };

const NEST_ROUTE_DECORATORS = new Set(["Get", "Post", "Put", "Patch", "Delete", "All", "Options", "Head", "Search"]);

function isNestRouteHandler(method: ts.MethodDeclaration, checker: ts.TypeChecker): boolean {
  return (ts.getDecorators(method) ?? []).some((decorator) => {
    const expr = decorator.expression;
    if (!ts.isCallExpression(expr) || !ts.isIdentifier(expr.expression) || !NEST_ROUTE_DECORATORS.has(expr.expression.text)) return false;
    const symbol = resolvedSymbol(checker, expr.expression);
    return isFromPackage(symbol, "@nestjs/common");
  });
}

function enclosingFunction(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current) && !ts.isFunctionTypeNode(current) && !ts.isMethodSignature(current) && !ts.isCallSignatureDeclaration(current)) return current;
  }
  return undefined;
}

/**
 * A function callers reach by name: a function declaration or class method, or a function
 * assigned to a module-level variable or object property. Nested functions are closures.
 */
function isTopLevelFunction(fn: ts.SignatureDeclaration): boolean {
  if (ts.isMethodDeclaration(fn) && ts.isClassLike(fn.parent)) return true;
  const named =
    (ts.isFunctionDeclaration(fn) && fn.name !== undefined) ||
    (ts.isMethodDeclaration(fn) && ts.isObjectLiteralExpression(fn.parent)) ||
    ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) &&
      ((ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) || ts.isPropertyAssignment(fn.parent) || ts.isPropertyDeclaration(fn.parent)));
  if (!named) return false;
  const outer = enclosingFunction(fn);
  return outer === undefined;
}

function nameOfFunction(fn: ts.Node): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name) return ts.isIdentifier(fn.name) ? fn.name.text : undefined;
  const parent = fn.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && ts.isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}

function symbolOfFunction(fn: ts.Node, checker: ts.TypeChecker): ts.Symbol | undefined {
  const nameNode = (ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) ? fn.name : (fn.parent as ts.NamedDeclaration).name;
  return nameNode ? resolvedSymbol(checker, nameNode) : undefined;
}

/**
 * Whether `symbol` is the function `fn`. Compared by declaration: members read through an
 * instance type come back as transient copies of the declared symbol.
 */
function declares(symbol: ts.Symbol | undefined, fn: ts.Node): boolean {
  return symbol?.declarations?.some((d) => d === fn || d === fn.parent) ?? false;
}

function isCalleeName(id: ts.Identifier): boolean {
  const parent = id.parent;
  if (ts.isCallExpression(parent) && parent.expression === id) return true;
  return ts.isPropertyAccessExpression(parent) && parent.name === id && ts.isCallExpression(parent.parent) && parent.parent.expression === parent;
}

function isDeclarationName(id: ts.Identifier): boolean {
  const parent = id.parent as ts.NamedDeclaration;
  return parent.name === id && (ts.isFunctionDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodSignature(parent) || ts.isPropertySignature(parent));
}

function isImportExportName(id: ts.Identifier): boolean {
  const parent = id.parent;
  return ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent) || ts.isExportAssignment(parent) || ts.isTypeQueryNode(parent);
}

/** Every identifier written inside `node` (to pick a context name that shadows nothing). */
function identifiersIn(node: ts.Node): Set<string> {
  const names = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) names.add(n.text);
    ts.forEachChild(n, visit);
  };
  visit(node);
  return names;
}

/** Inserts `text` as the first parameter, keeping an unparenthesised arrow parameter valid. */
function parameterEdit(fn: ts.SignatureDeclaration, text: string, file: ts.SourceFile): TextEdit {
  const first = fn.parameters[0];
  const parenthesised = fn.getChildren(file).some((child) => child.kind === ts.SyntaxKind.OpenParenToken);
  if (ts.isArrowFunction(fn) && first && !parenthesised) {
    return { start: first.getStart(file), end: first.getEnd(), text: `(${text}, ${first.getText(file)})` };
  }
  const at = fn.parameters.pos;
  return { start: at, end: at, text: first ? `${text}, ` : text };
}

function argumentEdit(call: ts.CallExpression, text: string): TextEdit {
  const at = call.arguments.pos;
  return { start: at, end: at, text: call.arguments.length ? `${text}, ` : text };
}

function describe(fn: ts.Node): string {
  const name = nameOfFunction(fn) ?? "(anonymous)";
  if (ts.isMethodDeclaration(fn) && ts.isClassLike(fn.parent) && fn.parent.name) return `${fn.parent.name.text}.${name}`;
  return name;
}

function positionOf(node: ts.Node): { file: string; line: number } {
  const file = node.getSourceFile();
  return { file: file.fileName, line: file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1 };
}

/** `path:line:column` of a node, the path relative to `rootDir`. */
export function location(node: ts.Node, rootDir: string): string {
  const file = node.getSourceFile();
  const { line, character } = file.getLineAndCharacterOfPosition(node.getStart(file));
  return `${path.relative(rootDir, file.fileName).split(path.sep).join("/")}:${line + 1}:${character + 1}`;
}
