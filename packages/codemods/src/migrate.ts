import fs from "node:fs";
import path from "node:path";
import { CONFIG_FILE_NAME, DEFAULT_CONFIG, loadConfigFile, type TenantLintConfig } from "@tenant-lint/core";
import { createTwoFilesPatch } from "diff";
import { ts } from "@tenant-lint/core";
import { applyEdits } from "./edits.js";
import { scopeQueries, type CallSite } from "./scope-queries.js";
import type { Codemod } from "./codemod.js";
import { moduleState } from "./module-state.js";
import { scopedRepository, type ClassMigration } from "./scoped-repository.js";
import { isTestFile, RUNTIME_CONTEXT_TYPE, RUNTIME_MODULE, type ThreadedFunction } from "./threading.js";

export interface MigrateOptions {
  /** The codemod to run: one of {@link CODEMODS}. */
  readonly codemod: string;
  /** The project directory (holding `tsconfig.json` and, optionally, `tenant-lint.config.json`). */
  readonly dir: string;
  /** Apply the changes; otherwise print a unified diff (dry run). */
  readonly write: boolean;
  /** Write a JSON report of every call site (changed, or skipped with its reason) to this file. */
  readonly report?: string;
  /** tsconfig path relative to `dir`. */
  readonly tsconfig?: string;
}

export interface MigrateIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

const RUNNERS: Record<string, { readonly run: Codemod; /** The migrated code imports @tenant-lint/runtime. */ readonly needsRuntime: boolean }> = {
  "scope-queries": { run: scopeQueries, needsRuntime: false },
  "scoped-repository": { run: scopedRepository, needsRuntime: true },
  "module-state": { run: moduleState, needsRuntime: true },
};

export const CODEMODS = Object.keys(RUNNERS);

/** A type error the migration would introduce. */
export interface IntroducedError {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly code: number;
  readonly message: string;
}

export interface MigrateReport {
  readonly codemod: string;
  readonly dir: string;
  readonly written: boolean;
  readonly changedFiles: readonly string[];
  /** Files left empty by the change, deleted. */
  readonly deletedFiles: readonly string[];
  readonly sites: readonly CallSite[];
  /** Functions given a tenant context (`via: "parameter"`), and handlers that read it from their framework. */
  readonly functions?: readonly ThreadedFunction[];
  /** Repository classes: `extended` (now a TenantScopedRepository) or `kept` with the reason. */
  readonly classes?: readonly ClassMigration[];
  readonly typeErrors: readonly IntroducedError[];
}

/**
 * `tenant-lint migrate <codemod> <dir>`. Exit codes: 0 nothing to do, or changes written;
 * 1 changes pending (dry run); 2 error (usage, configuration, or type errors the change would
 * introduce — then nothing is written).
 */
export async function runMigrate(options: MigrateOptions, io: MigrateIo): Promise<number> {
  try {
    return migrate(options, io);
  } catch (error) {
    io.stderr.write(`tenant-lint migrate: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}

function migrate(options: MigrateOptions, io: MigrateIo): number {
  const runner = RUNNERS[options.codemod];
  if (!runner) {
    io.stderr.write(`tenant-lint migrate: unknown codemod "${options.codemod}" (available: ${CODEMODS.join(", ")})\n`);
    return 2;
  }
  const root = path.resolve(options.dir);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new Error(`${options.dir}: no such directory`);
  const tsconfigPath = path.resolve(root, options.tsconfig ?? "tsconfig.json");
  if (!fs.existsSync(tsconfigPath)) throw new Error(`${tsconfigPath}: no tsconfig found`);
  const configPath = path.join(root, CONFIG_FILE_NAME);
  const config: TenantLintConfig = fs.existsSync(configPath) ? loadConfigFile(configPath) : DEFAULT_CONFIG;

  const parsed = parseTsconfig(tsconfigPath);
  const host = ts.createCompilerHost(parsed.options);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, host, projectReferences: parsed.projectReferences });
  const files = program.getSourceFiles().filter((sf) => !sf.isDeclarationFile && !sf.fileName.includes("/node_modules/") && !program.isSourceFileFromExternalLibrary(sf));

  // Code migrated to the runtime passes its TenantContext: that is a tenant context whatever the configuration says.
  const codemodConfig = runner.needsRuntime && !config.contextTypes.includes(RUNTIME_CONTEXT_TYPE) ? { ...config, contextTypes: [...config.contextTypes, RUNTIME_CONTEXT_TYPE] } : config;
  const result = runner.run(program, { config: codemodConfig, rootDir: root }, files);
  if (result.failures.length) {
    for (const f of result.failures) io.stderr.write(`tenant-lint migrate: internal error in ${rel(root, f.fileName)}: ${f.error.message}\n`);
    return 2;
  }
  const newTexts = new Map<string, string>();
  for (const [fileName, edits] of result.edits) {
    const sourceFile = program.getSourceFile(fileName)!;
    newTexts.set(fileName, applyEdits(sourceFile.text, edits));
  }
  // A module left with nothing in it (module-state removed its variable, setter and getter) is deleted.
  const deletedFiles = new Set<string>();
  for (const [fileName, text] of newTexts) {
    if (text.trim() === "" && program.getSourceFile(fileName)!.text.trim() !== "") deletedFiles.add(fileName);
  }
  if (newTexts.size && runner.needsRuntime && !resolvesRuntime(root, parsed.options)) {
    throw new Error(`the migrated code imports ${RUNTIME_MODULE}, which is not installed in ${options.dir}: add it to the project's dependencies first`);
  }
  const byPosition = <T extends { file: string; line: number }>(list: readonly T[]) =>
    list.map((s) => ({ ...s, file: rel(root, s.file) })).sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  const sites = byPosition(result.sites);
  const functions = byPosition(result.functions ?? []);
  const classes = byPosition(result.classes ?? []);
  const typeErrors = newTexts.size ? introducedErrors(program, host, parsed, newTexts, deletedFiles, root) : [];
  const refused = typeErrors.length > 0;
  const writeNow = options.write && !refused;

  const changed = sites.filter((s) => s.status === "changed");
  const skipped = sites.filter((s) => s.status === "skipped");
  if (!options.write || refused) {
    for (const [fileName, text] of newTexts) {
      const name = rel(root, fileName);
      const deleted = deletedFiles.has(fileName);
      io.stdout.write(createTwoFilesPatch(`a/${name}`, deleted ? "/dev/null" : `b/${name}`, program.getSourceFile(fileName)!.text, deleted ? "" : text));
    }
  }
  if (writeNow) {
    for (const [fileName, text] of newTexts) {
      if (deletedFiles.has(fileName)) fs.rmSync(fileName);
      else fs.writeFileSync(fileName, text);
    }
  }

  for (const s of skipped) io.stdout.write(`skipped ${s.file}:${s.line}:${s.column} ${s.orm} ${s.entity}.${s.method}: ${s.reason}\n`);
  for (const c of classes) {
    if (c.status === "kept") io.stdout.write(`kept ${c.file}:${c.line} class ${c.name} (queries filtered in place): ${c.reason}\n`);
  }
  for (const f of functions) {
    for (const at of f.testCalls ?? []) io.stdout.write(`test ${at} calls ${f.name}, which now takes a TenantContext first: pass one (createTenantContext from ${RUNTIME_MODULE})\n`);
  }
  const handlers = functions.filter((f) => f.via !== "parameter");
  const threaded = functions.length - handlers.length;
  const extended = classes.filter((c) => c.status === "extended").length;
  const verb = writeNow ? "changed" : "to change";
  io.stdout.write(
    `${options.codemod}: ${changed.length} call site(s) ${verb} in ${newTexts.size} file(s), ${skipped.length} skipped` +
      (result.functions ? `; ${threaded} function(s) take a tenant context, ${handlers.length} handler(s) read it from the request` : "") +
      (result.classes ? `; ${extended} class(es) now extend TenantScopedRepository` : "") +
      (newTexts.size && !options.write ? " (dry run: pass --write to apply)" : "") +
      "\n",
  );
  const frameworks = [...new Set(handlers.map((h) => h.via))];
  if (newTexts.size && frameworks.length) {
    io.stdout.write(`handlers now read the request's tenant (${frameworks.join(", ")}): mount the runtime's tenant middleware before them (docs/runtime.md)\n`);
  }
  if (refused) {
    io.stderr.write(`tenant-lint migrate: the change would introduce ${typeErrors.length} type error(s); nothing was written:\n`);
    for (const e of typeErrors) io.stderr.write(`  ${e.file}:${e.line}:${e.column} TS${e.code}: ${e.message}\n`);
  }
  if (options.report) {
    const report: MigrateReport = {
      codemod: options.codemod,
      dir: root,
      written: writeNow,
      changedFiles: [...newTexts.keys()].filter((f) => !deletedFiles.has(f)).map((f) => rel(root, f)),
      deletedFiles: [...deletedFiles].map((f) => rel(root, f)),
      sites,
      ...(result.functions ? { functions } : {}),
      ...(result.classes ? { classes } : {}),
      typeErrors,
    };
    fs.writeFileSync(path.resolve(options.report), `${JSON.stringify(report, null, 2)}\n`);
  }
  if (refused) return 2;
  if (newTexts.size === 0 || writeNow) return 0;
  return 1;
}

/**
 * Type-checks the migrated texts in memory (a second program reusing the first) and returns the
 * diagnostics of the changed files that the original program did not have.
 */
function introducedErrors(
  program: ts.Program,
  host: ts.CompilerHost,
  parsed: ts.ParsedCommandLine,
  newTexts: Map<string, string>,
  deletedFiles: ReadonlySet<string>,
  root: string,
): IntroducedError[] {
  const overlay: ts.CompilerHost = {
    ...host,
    fileExists: (fileName) => !deletedFiles.has(path.resolve(fileName)) && host.fileExists(fileName),
    getSourceFile(fileName, languageVersion, onError, shouldCreate) {
      if (deletedFiles.has(path.resolve(fileName))) return undefined;
      const text = newTexts.get(path.resolve(fileName)) ?? newTexts.get(fileName);
      if (text !== undefined) return ts.createSourceFile(fileName, text, languageVersion, true);
      // The unchanged files' own SourceFile objects: the new program reuses their parse and binding.
      return program.getSourceFile(fileName) ?? host.getSourceFile(fileName, languageVersion, onError, shouldCreate);
    },
    readFile: (fileName) => newTexts.get(fileName) ?? host.readFile(fileName),
  };
  const rootNames = parsed.fileNames.filter((f) => !deletedFiles.has(path.resolve(f)));
  const after = ts.createProgram({ rootNames, options: parsed.options, host: overlay, oldProgram: program, projectReferences: parsed.projectReferences });
  const errors: IntroducedError[] = [];
  for (const fileName of [...newTexts.keys(), ...importersOf(after, new Set(newTexts.keys()))]) {
    if (deletedFiles.has(fileName)) continue; // whoever still imported it is checked as an importer
    const newFile = after.getSourceFile(fileName)!;
    const isError = (d: ts.Diagnostic) => d.category === ts.DiagnosticCategory.Error;
    const found = [...after.getSyntacticDiagnostics(newFile), ...after.getSemanticDiagnostics(newFile)].filter(isError);
    if (found.length === 0) continue;
    // Only a file with errors after the change is checked as it was before: most have none, and this halves the check.
    const before = new Map<string, number>();
    const keyOf = (d: ts.Diagnostic) => `${d.code}:${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    const oldFile = program.getSourceFile(fileName)!;
    for (const d of [...program.getSyntacticDiagnostics(oldFile), ...program.getSemanticDiagnostics(oldFile)].filter(isError)) {
      before.set(keyOf(d), (before.get(keyOf(d)) ?? 0) + 1);
    }
    for (const d of found) {
      const key = keyOf(d);
      const count = before.get(key) ?? 0;
      if (count > 0) {
        before.set(key, count - 1);
        continue;
      }
      const { line, character } = newFile.getLineAndCharacterOfPosition(d.start ?? 0);
      errors.push({ file: rel(root, fileName), line: line + 1, column: character + 1, code: d.code, message: ts.flattenDiagnosticMessageText(d.messageText, " ") });
    }
  }
  return errors;
}

/** Whether `@tenant-lint/runtime` resolves from the project directory (the migrated code imports it). */
function resolvesRuntime(root: string, options: ts.CompilerOptions): boolean {
  const from = path.join(root, "__tenant-lint-migrate__.ts");
  return ts.resolveModuleName(RUNTIME_MODULE, from, options, ts.sys).resolvedModule !== undefined;
}

/**
 * Unchanged files (tests aside: they are left for their authors) that import a changed or deleted
 * file: a changed signature or class breaks there first. The rest of the program is not re-checked.
 */
function importersOf(program: ts.Program, changed: ReadonlySet<string>): string[] {
  const checker = program.getTypeChecker();
  const importers: string[] = [];
  for (const sourceFile of program.getSourceFiles()) {
    if (sourceFile.isDeclarationFile || changed.has(sourceFile.fileName) || isTestFile(sourceFile.fileName) || program.isSourceFileFromExternalLibrary(sourceFile)) continue;
    const imports = sourceFile.statements.filter((s) => (ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) && s.moduleSpecifier);
    const importsChanged = imports.some((statement) => {
      const specifier = (statement as ts.ImportDeclaration).moduleSpecifier;
      if (!ts.isStringLiteral(specifier) || !specifier.text.startsWith(".")) return false;
      const target = checker.getSymbolAtLocation(specifier)?.declarations?.[0]?.getSourceFile().fileName;
      // A deleted module no longer resolves: an import of it that is left is an error to report.
      return target === undefined || changed.has(target);
    });
    if (importsChanged) importers.push(sourceFile.fileName);
  }
  return importers;
}

function parseTsconfig(tsconfigPath: string): ts.ParsedCommandLine {
  let unrecoverable: ts.Diagnostic | undefined;
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfigPath, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      unrecoverable = d;
    },
  });
  const errors = [unrecoverable, ...(parsed?.errors ?? [])].filter((d): d is ts.Diagnostic => d !== undefined && d.category === ts.DiagnosticCategory.Error && d.code !== 18003);
  if (!parsed || errors.length) {
    throw new Error(`${tsconfigPath}: invalid tsconfig: ${errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, " ")).join("; ") || "cannot be read"}`);
  }
  return parsed;
}

function rel(root: string, fileName: string): string {
  return path.relative(root, fileName).split(path.sep).join("/");
}
