import { ts } from "@tenant-lint/core";
import type { TextEdit } from "./edits.js";

/** Named imports a codemod needs in one file, per module specifier. */
export class ImportPlan {
  /** Per module, local name -> the exported name and whether only types use it. */
  private readonly wanted = new Map<string, Map<string, { imported: string; typeOnly: boolean }>>();

  /**
   * Asks for `name` from `moduleSpecifier`, bound to `local` (default: the same name); a type-only
   * request never downgrades a value import.
   */
  add(moduleSpecifier: string, name: string, typeOnly = false, local = name): void {
    const names = this.wanted.get(moduleSpecifier) ?? new Map<string, { imported: string; typeOnly: boolean }>();
    const previous = names.get(local);
    names.set(local, { imported: name, typeOnly: (previous?.typeOnly ?? true) && typeOnly });
    this.wanted.set(moduleSpecifier, names);
  }

  /**
   * Edits that add the missing names: merged into an existing named import of the module when
   * there is one, else one new import line after the file's last import, in the file's quote style.
   */
  edits(sourceFile: ts.SourceFile): TextEdit[] {
    const edits: TextEdit[] = [];
    const imports = sourceFile.statements.filter(ts.isImportDeclaration);
    const quote = imports.some((i) => sourceFile.text[i.moduleSpecifier.getStart(sourceFile)] === "'") ? "'" : '"';
    const newLines: string[] = [];
    for (const [specifier, names] of this.wanted) {
      const fromModule = imports.filter((i) => ts.isStringLiteral(i.moduleSpecifier) && i.moduleSpecifier.text === specifier);
      const present = new Set(fromModule.flatMap((i) => importedNames(i)));
      const missing = [...names].filter(([name]) => !present.has(name));
      if (missing.length === 0) continue;
      const allTypes = missing.every(([, how]) => how.typeOnly);
      const target = fromModule.find((i) => namedBindings(i) && (allTypes || !i.importClause?.isTypeOnly));
      const bindings = target && namedBindings(target);
      if (target && bindings) {
        const typeOnlyImport = target.importClause?.isTypeOnly === true;
        const texts = missing.map(([local, how]) => `${how.typeOnly && !typeOnlyImport ? "type " : ""}${binding(local, how.imported)}`);
        const last = bindings.elements[bindings.elements.length - 1];
        if (last) {
          edits.push({ start: last.getEnd(), end: last.getEnd(), text: `, ${texts.join(", ")}` });
        } else {
          edits.push({ start: bindings.getStart(sourceFile) + 1, end: bindings.getEnd() - 1, text: ` ${texts.join(", ")} ` });
        }
        continue;
      }
      const list = missing.map(([local, how]) => `${how.typeOnly && !allTypes ? "type " : ""}${binding(local, how.imported)}`).join(", ");
      newLines.push(`import ${allTypes ? "type " : ""}{ ${list} } from ${quote}${specifier}${quote};`);
    }
    if (newLines.length) {
      const lastImport = imports[imports.length - 1];
      if (lastImport) {
        // On the line after the last import, so that removing that import (module-state) does not overlap.
        const lineBreak = sourceFile.text.indexOf("\n", lastImport.getEnd());
        if (lineBreak === -1) edits.push({ start: sourceFile.text.length, end: sourceFile.text.length, text: `\n${newLines.join("\n")}` });
        else edits.push({ start: lineBreak + 1, end: lineBreak + 1, text: `${newLines.join("\n")}\n` });
      } else {
        const at = firstImportPosition(sourceFile);
        edits.push({ start: at, end: at, text: `${newLines.join("\n")}\n${sourceFile.statements.length ? "\n" : ""}` });
      }
    }
    return edits;
  }
}

/** Adds each file's import edits to `edits`, for the files that change anyway (an import alone is no change). */
export function addImportEdits(imports: ReadonlyMap<string, ImportPlan>, edits: Map<string, TextEdit[]>, program: ts.Program): void {
  for (const [fileName, plan] of imports) {
    const fileEdits = edits.get(fileName);
    if (fileEdits) fileEdits.push(...plan.edits(program.getSourceFile(fileName)!));
  }
}

function binding(local: string, imported: string): string {
  return local === imported ? local : `${imported} as ${local}`;
}

function namedBindings(declaration: ts.ImportDeclaration): ts.NamedImports | undefined {
  const bindings = declaration.importClause?.namedBindings;
  return bindings && ts.isNamedImports(bindings) ? bindings : undefined;
}

function importedNames(declaration: ts.ImportDeclaration): string[] {
  return namedBindings(declaration)?.elements.map((e) => e.name.text) ?? [];
}

/**
 * Where imports go in a file that has none: after a file header (leading comments followed by a
 * blank line, such as a license), else above the first statement and the comments that document it.
 */
function firstImportPosition(sourceFile: ts.SourceFile): number {
  const text = sourceFile.text;
  const comments = ts.getLeadingCommentRanges(text, 0) ?? [];
  const first = sourceFile.statements[0];
  for (const comment of comments) {
    const next = text.indexOf("\n", comment.end);
    const following = next === -1 ? "" : text.slice(next + 1, text.indexOf("\n", next + 1) === -1 ? undefined : text.indexOf("\n", next + 1));
    if (following.trim() === "") return next === -1 ? text.length : next + 1 + following.length + 1;
  }
  return comments[0]?.pos ?? (first ? first.getStart(sourceFile) : 0);
}
