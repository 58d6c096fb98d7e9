import ts from "./typescript.cjs";
import { skipWrappers } from "./ts-utils.js";

/**
 * The names under which code of the program itself (not its declaration files) declares anything:
 * functions, methods, classes, variables, parameters, properties, imports, and members assigned
 * (`obj.handler = fn`). A function with a body in the program can only be called through a name
 * bound somewhere in the program, so a call by any other name (`res.json()`, `rows.map()`,
 * `qb.where()`) is a library call, known without asking the checker for the callee's type, which
 * for a callback's parameter (`res`) means resolving the whole call the callback is passed to.
 */
export class ProgramNames {
  private readonly names = new Set<string>();
  /** A member named by a computed, non-literal key: any property name may be one of the program's. */
  private readonly anyMemberName: boolean;

  constructor(program: ts.Program) {
    let anyMemberName = false;
    for (const sourceFile of program.getSourceFiles()) {
      if (sourceFile.isDeclarationFile) continue;
      const declared = declaredNamesOf(sourceFile);
      for (const name of declared.names) this.names.add(name);
      anyMemberName ||= declared.computedMember;
    }
    this.anyMemberName = anyMemberName;
  }

  /** False when a call's callee cannot be a function declared in the program (see the class comment). */
  mayCallProgramCode(call: ts.CallExpression | ts.NewExpression): boolean {
    const callee = skipWrappers(call.expression);
    if (ts.isIdentifier(callee)) return this.names.has(callee.text);
    if (ts.isPropertyAccessExpression(callee)) return this.anyMemberName || this.names.has(callee.name.text);
    return true; // element access, a call's result, ...: the name does not tell
  }
}

interface DeclaredNames {
  readonly names: readonly string[];
  readonly computedMember: boolean;
}

/** Per source file, kept while the file is (an editor's next program reuses unchanged files). */
const declaredNamesCache = new WeakMap<ts.SourceFile, DeclaredNames>();

function declaredNamesOf(sourceFile: ts.SourceFile): DeclaredNames {
  let declared = declaredNamesCache.get(sourceFile);
  if (declared) return declared;
  const names = new Set<string>();
  let computedMember = false;
  const addName = (name: ts.Node | undefined): void => {
    if (!name) return;
    if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name)) names.add(name.text);
    else if (ts.isComputedPropertyName(name)) {
      const key = name.expression;
      if (ts.isStringLiteralLike(key) || ts.isNumericLiteral(key)) names.add(key.text);
      else if (!isWellKnownSymbol(key)) computedMember = true;
    }
    // Binding patterns: their elements are visited as BindingElements.
  };
  const visit = (node: ts.Node): void => {
    if (DECLARATION_KINDS.has(node.kind) && mayHoldFunction(node)) addName((node as ts.NamedDeclaration).name);
    else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const target = node.left;
      if (ts.isPropertyAccessExpression(target)) names.add(target.name.text);
      else if (ts.isElementAccessExpression(target)) {
        const key = target.argumentExpression;
        if (ts.isStringLiteralLike(key) || ts.isNumericLiteral(key)) names.add(key.text);
        else computedMember = true;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  declared = { names: [...names], computedMember };
  declaredNamesCache.set(sourceFile, declared);
  return declared;
}

/**
 * False for a property or `const` whose written value is an object, array or primitive literal
 * (`{ where: {...} }`): no call can reach a function through it. Anything else may hold one.
 */
function mayHoldFunction(node: ts.Node): boolean {
  let value: ts.Expression | undefined;
  if (ts.isPropertyAssignment(node)) value = node.initializer;
  else if (ts.isVariableDeclaration(node) && node.parent.flags & ts.NodeFlags.Const) value = node.initializer;
  else return true;
  return value === undefined || !NON_FUNCTION_LITERALS.has(value.kind);
}

const NON_FUNCTION_LITERALS: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.ObjectLiteralExpression,
  ts.SyntaxKind.ArrayLiteralExpression,
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateExpression,
  ts.SyntaxKind.NumericLiteral,
  ts.SyntaxKind.BigIntLiteral,
  ts.SyntaxKind.TrueKeyword,
  ts.SyntaxKind.FalseKeyword,
  ts.SyntaxKind.NullKeyword,
  ts.SyntaxKind.RegularExpressionLiteral,
]);

/** `Symbol.iterator` and the like: such members are reached by element access, never by a name. */
function isWellKnownSymbol(key: ts.Expression): boolean {
  return ts.isPropertyAccessExpression(key) && ts.isIdentifier(key.expression) && key.expression.text === "Symbol";
}

const DECLARATION_KINDS: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.FunctionExpression,
  ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.ClassExpression,
  ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.MethodSignature,
  ts.SyntaxKind.PropertyDeclaration,
  ts.SyntaxKind.PropertySignature,
  ts.SyntaxKind.PropertyAssignment,
  ts.SyntaxKind.ShorthandPropertyAssignment,
  ts.SyntaxKind.GetAccessor,
  ts.SyntaxKind.SetAccessor,
  ts.SyntaxKind.VariableDeclaration,
  ts.SyntaxKind.BindingElement,
  ts.SyntaxKind.Parameter,
  ts.SyntaxKind.ImportClause,
  ts.SyntaxKind.ImportSpecifier,
  ts.SyntaxKind.NamespaceImport,
  ts.SyntaxKind.ImportEqualsDeclaration,
  ts.SyntaxKind.ExportSpecifier,
  ts.SyntaxKind.ModuleDeclaration,
  ts.SyntaxKind.EnumDeclaration,
]);
