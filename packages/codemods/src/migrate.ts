import fs from "node:fs";
import path from "node:path";
import { CONFIG_FILE_NAME, DEFAULT_CONFIG, loadConfigFile, type TenantLintConfig } from "@tenant-lint/core";
import { createTwoFilesPatch } from "diff";
import ts from "typescript";
import { applyEdits } from "./edits.js";
import { scopeQueries, type CallSite } from "./scope-queries.js";

export interface MigrateOptions {
  /** The codemod to run: `scope-queries`. */
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

export const CODEMODS = ["scope-queries"] as const;

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
  readonly sites: readonly CallSite[];
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
  if (!(CODEMODS as readonly string[]).includes(options.codemod)) {
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

  const result = scopeQueries(program, { config, rootDir: root }, files);
  if (result.failures.length) {
    for (const f of result.failures) io.stderr.write(`tenant-lint migrate: internal error in ${rel(root, f.fileName)}: ${f.error.message}\n`);
    return 2;
  }
  const newTexts = new Map<string, string>();
  for (const [fileName, edits] of result.edits) {
    const sourceFile = program.getSourceFile(fileName)!;
    newTexts.set(fileName, applyEdits(sourceFile.text, edits));
  }
  const sites = result.sites.map((s) => ({ ...s, file: rel(root, s.file) })).sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  const typeErrors = newTexts.size ? introducedErrors(program, host, parsed, newTexts, root) : [];
  const refused = typeErrors.length > 0;
  const writeNow = options.write && !refused;

  const changed = sites.filter((s) => s.status === "changed");
  const skipped = sites.filter((s) => s.status === "skipped");
  if (!options.write || refused) {
    for (const [fileName, text] of newTexts) {
      const name = rel(root, fileName);
      io.stdout.write(createTwoFilesPatch(`a/${name}`, `b/${name}`, program.getSourceFile(fileName)!.text, text));
    }
  }
  if (writeNow) for (const [fileName, text] of newTexts) fs.writeFileSync(fileName, text);

  for (const s of skipped) io.stdout.write(`skipped ${s.file}:${s.line}:${s.column} ${s.orm} ${s.entity}.${s.method}: ${s.reason}\n`);
  const verb = writeNow ? "changed" : "to change";
  io.stdout.write(
    `${options.codemod}: ${changed.length} call site(s) ${verb} in ${newTexts.size} file(s), ${skipped.length} skipped` +
      (newTexts.size && !options.write ? " (dry run: pass --write to apply)" : "") +
      "\n",
  );
  if (refused) {
    io.stderr.write(`tenant-lint migrate: the change would introduce ${typeErrors.length} type error(s); nothing was written:\n`);
    for (const e of typeErrors) io.stderr.write(`  ${e.file}:${e.line}:${e.column} TS${e.code}: ${e.message}\n`);
  }
  if (options.report) {
    const report: MigrateReport = { codemod: options.codemod, dir: root, written: writeNow, changedFiles: [...newTexts.keys()].map((f) => rel(root, f)), sites, typeErrors };
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
function introducedErrors(program: ts.Program, host: ts.CompilerHost, parsed: ts.ParsedCommandLine, newTexts: Map<string, string>, root: string): IntroducedError[] {
  const overlay: ts.CompilerHost = {
    ...host,
    getSourceFile(fileName, languageVersion, onError, shouldCreate) {
      const text = newTexts.get(path.resolve(fileName)) ?? newTexts.get(fileName);
      if (text !== undefined) return ts.createSourceFile(fileName, text, languageVersion, true);
      return host.getSourceFile(fileName, languageVersion, onError, shouldCreate);
    },
    readFile: (fileName) => newTexts.get(fileName) ?? host.readFile(fileName),
  };
  const after = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, host: overlay, oldProgram: program, projectReferences: parsed.projectReferences });
  const errors: IntroducedError[] = [];
  for (const fileName of newTexts.keys()) {
    const before = new Map<string, number>();
    const keyOf = (d: ts.Diagnostic) => `${d.code}:${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    const oldFile = program.getSourceFile(fileName)!;
    for (const d of [...program.getSyntacticDiagnostics(oldFile), ...program.getSemanticDiagnostics(oldFile)]) {
      if (d.category === ts.DiagnosticCategory.Error) before.set(keyOf(d), (before.get(keyOf(d)) ?? 0) + 1);
    }
    const newFile = after.getSourceFile(fileName)!;
    for (const d of [...after.getSyntacticDiagnostics(newFile), ...after.getSemanticDiagnostics(newFile)]) {
      if (d.category !== ts.DiagnosticCategory.Error) continue;
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
