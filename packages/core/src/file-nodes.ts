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
  const nodes = { calls: [], newExpressions: [], objectLiterals: [], taggedTemplates: [], assignments: [], classes: [] } satisfies { [K in keyof FileNodes]: ts.Node[] };
  const listOf = new Map<ts.SyntaxKind, ts.Node[]>([
    [ts.SyntaxKind.CallExpression, nodes.calls],
    [ts.SyntaxKind.NewExpression, nodes.newExpressions],
    [ts.SyntaxKind.ObjectLiteralExpression, nodes.objectLiterals],
    [ts.SyntaxKind.TaggedTemplateExpression, nodes.taggedTemplates],
    [ts.SyntaxKind.BinaryExpression, nodes.assignments],
    [ts.SyntaxKind.ClassDeclaration, nodes.classes],
  ]);
  const visit = (node: ts.Node): void => {
    const list = listOf.get(node.kind);
    if (list && (node.kind !== ts.SyntaxKind.BinaryExpression || (node as ts.BinaryExpression).operatorToken.kind === ts.SyntaxKind.EqualsToken)) list.push(node);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(sourceFile, visit);
  // Each list holds only the kind `listOf` files under it.
  return nodes as unknown as FileNodes;
}
