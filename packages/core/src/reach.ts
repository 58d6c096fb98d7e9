import path from "node:path";
import ts from "./typescript.cjs";

/** What the program exposes about its module resolution (internal in TypeScript 5 and 6, hence optional). */
interface ResolutionAccess {
  forEachResolvedModule?(callback: (resolution: ts.ResolvedModuleWithFailedLookupLocations) => void, file?: ts.SourceFile): void;
  forEachResolvedTypeReferenceDirective?(callback: (resolution: ts.ResolvedTypeReferenceDirectiveWithFailedLookupLocations) => void, file?: ts.SourceFile): void;
}

/**
 * Which files a source file can see declarations of: what it imports, what those import, and so
 * on, plus what every global file sees (scripts, `declare global`, UMD globals), since their
 * declarations need no import. A module augmentation is seen by whoever sees the module it augments.
 * A type in a file is built only from declarations the file can see, so a file that sees none of an
 * ORM's declaration files cannot hold a value of that ORM's types: the checks need not ask.
 */
export class ImportReach {
  /** Importing file -> the files it sees directly; `undefined` when the program does not tell its resolutions. */
  private readonly edges: Map<string, Set<string>> | undefined;
  private readonly globalFiles = new Set<string>();
  private readonly memo = new Map<RegExp, { readonly files: ReadonlySet<string>; readonly everywhere: boolean }>();

  constructor(private readonly program: ts.Program) {
    this.edges = this.collectEdges();
  }

  /** True when `sourceFile` may see a file whose name matches `target`. */
  sees(sourceFile: ts.SourceFile, target: RegExp): boolean {
    if (!this.edges) return true;
    const reach = this.reachersOf(target);
    return reach.everywhere || reach.files.has(sourceFile.fileName);
  }

  /** Files from which a matching file is reachable (reverse breadth-first search), and whether a global file is one. */
  private reachersOf(target: RegExp): { readonly files: ReadonlySet<string>; readonly everywhere: boolean } {
    let reach = this.memo.get(target);
    if (reach) return reach;
    const reverse = this.reverseEdges();
    const files = new Set<string>();
    const queue: string[] = [];
    for (const sf of this.program.getSourceFiles()) {
      if (target.test(normalized(sf.fileName))) {
        files.add(sf.fileName);
        queue.push(sf.fileName);
      }
    }
    while (queue.length) {
      for (const from of reverse.get(queue.pop()!) ?? []) {
        if (!files.has(from)) {
          files.add(from);
          queue.push(from);
        }
      }
    }
    reach = { files, everywhere: [...this.globalFiles].some((f) => files.has(f)) };
    this.memo.set(target, reach);
    return reach;
  }

  private reverse: Map<string, string[]> | undefined;

  private reverseEdges(): Map<string, string[]> {
    if (this.reverse) return this.reverse;
    const reverse = new Map<string, string[]>();
    for (const [from, tos] of this.edges!) {
      for (const to of tos) {
        let list = reverse.get(to);
        if (!list) reverse.set(to, (list = []));
        list.push(from);
      }
    }
    this.reverse = reverse;
    return reverse;
  }

  private collectEdges(): Map<string, Set<string>> | undefined {
    const program = this.program as ts.Program & ResolutionAccess;
    if (typeof program.forEachResolvedModule !== "function" || typeof program.forEachResolvedTypeReferenceDirective !== "function") return undefined;
    const checker = this.program.getTypeChecker();
    const edges = new Map<string, Set<string>>();
    const add = (from: string, to: string | undefined) => {
      const target = to && this.program.getSourceFile(to)?.fileName;
      if (!target || target === from) return;
      let set = edges.get(from);
      if (!set) edges.set(from, (set = new Set()));
      set.add(target);
    };
    for (const sf of this.program.getSourceFiles()) {
      const from = sf.fileName;
      program.forEachResolvedModule((r) => add(from, r.resolvedModule?.resolvedFileName), sf);
      program.forEachResolvedTypeReferenceDirective((r) => add(from, r.resolvedTypeReferenceDirective?.resolvedFileName), sf);
      for (const ref of sf.referencedFiles) add(from, path.resolve(path.dirname(from), ref.fileName));
      if (!ts.isExternalModule(sf)) {
        this.globalFiles.add(from);
        continue;
      }
      for (const statement of sf.statements) {
        if (ts.isNamespaceExportDeclaration(statement)) this.globalFiles.add(from);
        if (!ts.isModuleDeclaration(statement)) continue;
        if (statement.flags & ts.NodeFlags.GlobalAugmentation) this.globalFiles.add(from);
        else if (ts.isStringLiteral(statement.name)) {
          // `declare module "knex/types/tables" {...}`: whoever sees the augmented module sees this file.
          // An augmented ambient module (`declare module "x"` in a script) is seen without a file to follow: global.
          for (const decl of checker.getSymbolAtLocation(statement.name)?.declarations ?? []) {
            if (ts.isSourceFile(decl)) add(decl.fileName, from);
            else if (decl.getSourceFile() !== sf) this.globalFiles.add(from);
          }
        }
      }
    }
    return edges;
  }
}

function normalized(fileName: string): string {
  return fileName.replace(/\\/g, "/");
}
