import ts from "./typescript.cjs";

/**
 * The nodes of one file that checks start from, by kind, in source order. Every check and every
 * program-wide fact (tables, SQL-only tables) reads these lists instead of walking the file again:
 * one walk per file serves them all, in the CLI and across the ESLint rules linting one file.
 */
export interface FileNodes {
  readonly calls: readonly ts.CallExpression[];
  readonly newExpressions: readonly ts.NewExpression[];
  readonly objectLiterals: readonly ts.ObjectLiteralExpression[];
  readonly taggedTemplates: readonly ts.TaggedTemplateExpression[];
  /** `a = b` (plain assignments only). */
  readonly assignments: readonly ts.BinaryExpression[];
  readonly classes: readonly ts.ClassDeclaration[];
}

/** Per source file, kept while the file is (an editor's next program reuses unchanged files). */
const cache = new WeakMap<ts.SourceFile, FileNodes>();

export function fileNodes(sourceFile: ts.SourceFile): FileNodes {
  let nodes = cache.get(sourceFile);
  if (!nodes) {
    nodes = collect(sourceFile);
    cache.set(sourceFile, nodes);
  }
  return nodes;
}

function collect(sourceFile: ts.SourceFile): FileNodes {
  const calls: ts.CallExpression[] = [];
  const newExpressions: ts.NewExpression[] = [];
  const objectLiterals: ts.ObjectLiteralExpression[] = [];
  const taggedTemplates: ts.TaggedTemplateExpression[] = [];
  const assignments: ts.BinaryExpression[] = [];
  const classes: ts.ClassDeclaration[] = [];
  const visit = (node: ts.Node): void => {
    switch (node.kind) {
      case ts.SyntaxKind.CallExpression:
        calls.push(node as ts.CallExpression);
        break;
      case ts.SyntaxKind.NewExpression:
        newExpressions.push(node as ts.NewExpression);
        break;
      case ts.SyntaxKind.ObjectLiteralExpression:
        objectLiterals.push(node as ts.ObjectLiteralExpression);
        break;
      case ts.SyntaxKind.TaggedTemplateExpression:
        taggedTemplates.push(node as ts.TaggedTemplateExpression);
        break;
      case ts.SyntaxKind.BinaryExpression:
        if ((node as ts.BinaryExpression).operatorToken.kind === ts.SyntaxKind.EqualsToken) assignments.push(node as ts.BinaryExpression);
        break;
      case ts.SyntaxKind.ClassDeclaration:
        classes.push(node as ts.ClassDeclaration);
        break;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(sourceFile, visit);
  return { calls, newExpressions, objectLiterals, taggedTemplates, assignments, classes };
}
