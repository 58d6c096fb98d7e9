import ts from "./typescript.cjs";

/** Strips parentheses, type assertions, `!`, `satisfies` and `await`, which never change which value flows. */
export function skipWrappers(expr: ts.Expression): ts.Expression {
  for (;;) {
    if (
      ts.isParenthesizedExpression(expr) ||
      ts.isAsExpression(expr) ||
      ts.isNonNullExpression(expr) ||
      ts.isSatisfiesExpression(expr) ||
      ts.isTypeAssertionExpression(expr) ||
      ts.isAwaitExpression(expr)
    ) {
      expr = expr.expression;
    } else {
      return expr;
    }
  }
}

/** The static name of a property, element access or object member, if it has one. */
export function staticName(node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) return node.text;
  if (ts.isStringLiteralLike(node) || ts.isNumericLiteral(node)) return node.text;
  if (ts.isComputedPropertyName(node)) return staticName(node.expression);
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isElementAccessExpression(node)) return staticName(node.argumentExpression);
  if (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node) || ts.isMethodDeclaration(node)) {
    return staticName(node.name);
  }
  if (ts.isBindingElement(node)) return staticName(node.propertyName ?? node.name);
  return undefined;
}

/** For `a.b.c(...)`, the method name `c`; for `f(...)`, `f`. */
export function calleeName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const callee = skipWrappers(call.expression);
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  if (ts.isElementAccessExpression(callee)) return staticName(callee.argumentExpression);
  if (ts.isIdentifier(callee)) return callee.text;
  return undefined;
}

/** The receiver of a method call (`a.b` in `a.b.c()`), if the callee is a member access. */
export function calleeReceiver(call: ts.CallExpression): ts.Expression | undefined {
  const callee = skipWrappers(call.expression);
  if (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) return callee.expression;
  return undefined;
}

/** The symbol an expression names, with import aliases resolved to the declaration. */
export function resolvedSymbol(checker: ts.TypeChecker, node: ts.Node): ts.Symbol | undefined {
  let symbol = checker.getSymbolAtLocation(node);
  if (!symbol && ts.isShorthandPropertyAssignment(node.parent ?? node)) {
    symbol = checker.getShorthandAssignmentValueSymbol(node.parent);
  }
  return symbol && symbol.flags & ts.SymbolFlags.Alias ? resolvedAlias(checker, symbol) : symbol;
}

function resolvedAlias(checker: ts.TypeChecker, alias: ts.Symbol): ts.Symbol {
  try {
    return checker.getAliasedSymbol(alias);
  } catch {
    return alias; // an unresolvable alias stays as it is
  }
}

/** The variable declaration an identifier refers to, if any. */
export function variableDeclarationOf(checker: ts.TypeChecker, id: ts.Identifier): ts.VariableDeclaration | ts.BindingElement | ts.ParameterDeclaration | undefined {
  let symbol = ts.isShorthandPropertyAssignment(id.parent) && id.parent.name === id
    ? checker.getShorthandAssignmentValueSymbol(id.parent)
    : resolvedSymbol(checker, id);
  // `{ sequelize }` naming an imported const: the shorthand's value symbol is the import alias.
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = resolvedAlias(checker, symbol);
  const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  if (!decl) return undefined;
  if (ts.isVariableDeclaration(decl) || ts.isBindingElement(decl) || ts.isParameter(decl)) return decl;
  return undefined;
}

/** True when a `let`/`var` is assigned after its declaration (so its initializer does not tell its value). */
export function isReassigned(checker: ts.TypeChecker, decl: ts.VariableDeclaration): boolean {
  const list = decl.parent;
  if (ts.isVariableDeclarationList(list) && list.flags & ts.NodeFlags.Const) return false;
  if (!ts.isIdentifier(decl.name)) return false;
  const symbol = checker.getSymbolAtLocation(decl.name);
  const scope = findScopeRoot(decl);
  let assigned = false;
  const visit = (node: ts.Node): void => {
    if (assigned) return;
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      node.operatorToken.kind <= ts.SyntaxKind.LastAssignment &&
      ts.isIdentifier(node.left) &&
      checker.getSymbolAtLocation(node.left) === symbol
    ) {
      assigned = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return assigned;
}

function findScopeRoot(node: ts.Node): ts.Node {
  let current: ts.Node = node;
  while (current.parent && !ts.isSourceFile(current)) {
    current = current.parent;
    if (ts.isFunctionLike(current) || ts.isSourceFile(current)) return current;
  }
  return current;
}

/** The initializer a `const` (or never-reassigned `let`) variable holds, if it can be known. */
export function constInitializer(checker: ts.TypeChecker, id: ts.Identifier): ts.Expression | undefined {
  const decl = variableDeclarationOf(checker, id);
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || !ts.isIdentifier(decl.name)) return undefined;
  if (isReassigned(checker, decl)) return undefined;
  return decl.initializer;
}

export type FunctionWithBody =
  | ts.FunctionDeclaration
  | ts.FunctionExpression
  | ts.ArrowFunction
  | ts.MethodDeclaration
  | ts.ConstructorDeclaration
  | ts.GetAccessorDeclaration;

/** The function (with a body in this program) a call invokes, resolved through the type checker. */
export function calledFunction(checker: ts.TypeChecker, call: ts.CallExpression | ts.NewExpression): FunctionWithBody | undefined {
  // The resolved signature is one of the callee type's own signatures (or an instantiation of one,
  // with the same declaration). When that leaves no choice, or no choice with a body, overload
  // resolution (which checks every argument, callbacks included) is not needed to know the answer.
  const candidates = checker.getSignaturesOfType(checker.getTypeAtLocation(call.expression), ts.isNewExpression(call) ? ts.SignatureKind.Construct : ts.SignatureKind.Call);
  if (candidates.length && candidates.every((s) => s.declaration !== undefined)) {
    const withBody = candidates.filter((s) => isFunctionWithBody(s.declaration!));
    if (withBody.length === 0) return undefined;
    if (candidates.length === 1) return candidates[0]!.declaration as FunctionWithBody;
  }
  const signature = checker.getResolvedSignature(call);
  let decl: ts.Node | undefined = signature?.declaration;
  if (!decl) {
    const symbol = resolvedSymbol(checker, call.expression);
    decl = symbol?.valueDeclaration;
  }
  if (decl && ts.isVariableDeclaration(decl) && decl.initializer) decl = skipWrappers(decl.initializer);
  return decl && isFunctionWithBody(decl) ? decl : undefined;
}

/**
 * The declaration a call invokes, as far as which file declares it: a function or method called by
 * its name has all its overloads in one file, and so does a library's function-typed constant, so
 * the name's symbol answers without overload resolution (which checks every argument, callbacks
 * included). Anything else (the program's function-typed variables, callbacks, overloads spread
 * over files) is resolved.
 */
export function calleeDeclaration(checker: ts.TypeChecker, call: ts.CallExpression | ts.NewExpression): ts.Declaration | undefined {
  const callee = skipWrappers(call.expression);
  const name = ts.isIdentifier(callee) ? callee : ts.isPropertyAccessExpression(callee) ? callee.name : undefined;
  const declarations = name && resolvedSymbol(checker, name)?.declarations;
  if (declarations?.length && declarations.every((d) => isNamedFunction(d) && d.getSourceFile() === declarations[0]!.getSourceFile())) {
    return declarations[0];
  }
  return checker.getResolvedSignature(call)?.declaration ?? undefined;
}

function isNamedFunction(decl: ts.Declaration): boolean {
  if (ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl) || ts.isMethodSignature(decl)) return true;
  // A library's `declare const eq: BinaryOperator`: the function it holds is the library's too.
  return ts.isVariableDeclaration(decl) && decl.getSourceFile().isDeclarationFile;
}

/** A function with a body in the program's own code (not a signature, not a declaration file). */
function isFunctionWithBody(decl: ts.Node): decl is FunctionWithBody {
  return (
    (ts.isFunctionDeclaration(decl) ||
      ts.isFunctionExpression(decl) ||
      ts.isArrowFunction(decl) ||
      ts.isMethodDeclaration(decl) ||
      ts.isConstructorDeclaration(decl) ||
      ts.isGetAccessorDeclaration(decl)) &&
    decl.body !== undefined &&
    !decl.getSourceFile().isDeclarationFile
  );
}

/**
 * The type of an expression's value. For a call of a function with a single, non-generic signature
 * that is the signature's return type, known without checking the call (every argument, callbacks
 * included, and for a callback's parameter the call the callback is passed to).
 */
export function valueType(checker: ts.TypeChecker, expr: ts.Expression): ts.Type {
  if (ts.isCallExpression(expr) && !expr.questionDotToken) {
    const signatures = checker.getSignaturesOfType(checker.getTypeAtLocation(expr.expression), ts.SignatureKind.Call);
    const only = signatures.length === 1 ? signatures[0]! : undefined;
    if (only && !only.typeParameters?.length) {
      const returned = checker.getReturnTypeOfSignature(only);
      if (!(returned.flags & ts.TypeFlags.TypeParameter)) return returned;
    }
  }
  return checker.getTypeAtLocation(expr);
}

/**
 * False when no signature the callee offers can give the call a type `test` accepts, whatever the
 * type arguments: the call's type is one of their return types, instantiated, and instantiation
 * changes only what stands on a type parameter (`Promise<T>` stays a `Promise`). Lets a check skip
 * resolving a call (which checks every argument, callbacks included) that cannot be of interest.
 */
export function mayReturn(checker: ts.TypeChecker, call: ts.CallExpression | ts.NewExpression, test: (type: ts.Type) => boolean): boolean {
  const kind = ts.isNewExpression(call) ? ts.SignatureKind.Construct : ts.SignatureKind.Call;
  const candidates = checker.getSignaturesOfType(checker.getTypeAtLocation(call.expression), kind);
  const open = (type: ts.Type): boolean => {
    if (type.isUnionOrIntersection()) return type.types.some(open);
    if (type.flags & ts.TypeFlags.Instantiable) return true; // `T`, `T[K]`, conditional types
    if (type.flags & ts.TypeFlags.Object && (type as ts.ObjectType).objectFlags & ts.ObjectFlags.Mapped) return true;
    return test(type);
  };
  return candidates.length === 0 || candidates.some((signature) => open(checker.getReturnTypeOfSignature(signature)));
}

/** Every expression a function can return (an arrow's expression body, or each `return x`). */
export function returnedExpressions(fn: FunctionWithBody): ts.Expression[] {
  if (!fn.body) return [];
  if (!ts.isBlock(fn.body)) return [fn.body];
  const out: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isReturnStatement(node)) {
      if (node.expression) out.push(node.expression);
      return;
    }
    if (ts.isFunctionLike(node)) return;
    ts.forEachChild(node, visit);
  };
  visit(fn.body);
  return out;
}

/** The innermost function-like node that contains `node`. */
export function enclosingFunction(node: ts.Node): ts.SignatureDeclaration | undefined {
  let current = node.parent;
  while (current) {
    if (ts.isFunctionLike(current)) return current;
    current = current.parent;
  }
  return undefined;
}

/** Walks the whole tree below `root`. */
export function forEachDescendant(root: ts.Node, visit: (node: ts.Node) => void): void {
  const walk = (node: ts.Node): void => {
    visit(node);
    ts.forEachChild(node, walk);
  };
  ts.forEachChild(root, walk);
}

/** True when the type admits `undefined` (or `void`), which ORMs silently drop from filters. */
export function admitsUndefined(type: ts.Type): boolean {
  if (type.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) return true;
  if (type.isUnion()) return type.types.some(admitsUndefined);
  return false;
}

/** True when the type is an array or tuple (several values at once). */
export function isArrayLike(checker: ts.TypeChecker, type: ts.Type): boolean {
  if (type.isUnion()) return type.types.every((t) => isArrayLike(checker, t) || t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined));
  return checker.isArrayType(type) || checker.isTupleType(type);
}

/** The file name of the first declaration of a type's symbol (to tell a library's types from look-alikes). */
export function declarationFileOf(symbol: ts.Symbol | undefined): string {
  const decl = symbol?.declarations?.[0];
  return decl ? decl.getSourceFile().fileName : "";
}

/** True when the symbol is declared inside the given npm package (any of its nested node_modules copies). */
export function isFromPackage(symbol: ts.Symbol | undefined, ...packages: string[]): boolean {
  if (!symbol?.declarations?.length) return false;
  return symbol.declarations.some((decl) => {
    const file = decl.getSourceFile().fileName.replace(/\\/g, "/");
    return packages.some((pkg) => file.includes(`/node_modules/${pkg}/`));
  });
}

/** The type's own symbol or its alias symbol. */
export function typeSymbol(type: ts.Type): ts.Symbol | undefined {
  return type.aliasSymbol ?? type.getSymbol();
}

/** Every non-nullish member of a union (or the type itself). */
export function nonNullableParts(type: ts.Type): ts.Type[] {
  const parts = type.isUnion() ? type.types : [type];
  return parts.filter((t) => !(t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void)));
}

/** Type arguments of a generic reference type (`Repository<Invoice>` gives `[Invoice]`). */
export function typeArguments(checker: ts.TypeChecker, type: ts.Type): readonly ts.Type[] {
  if (type.aliasTypeArguments?.length) return type.aliasTypeArguments;
  if (type.flags & ts.TypeFlags.Object && (type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference) {
    return checker.getTypeArguments(type as ts.TypeReference);
  }
  return [];
}

/** Line-independent text of a node, for messages. */
export function shortText(node: ts.Node, max = 60): string {
  const text = node.getText().replace(/\s+/g, " ");
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The value an object literal's property writes: `key: value`, or the variable of a `{ key }` shorthand. */
export function propertyValue(property: ts.Node): ts.Expression | undefined {
  return ts.isPropertyAssignment(property) ? property.initializer : ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
}
