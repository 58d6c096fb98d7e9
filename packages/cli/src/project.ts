import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { CONFIG_FILE_NAME, ConfigError, DEFAULT_CONFIG, loadConfigFile, type TenantLintConfig } from "@tenant-lint/core";
import type * as TsMorph from "ts-morph";
import { ts } from "@tenant-lint/core";
import { sourceFileCacheDone, useSourceFileCacheFor } from "./source-file-cache.js";
import { programLoaded, useStartupSnapshotFor } from "./startup-snapshot.js";

// ts-morph is loaded with `require`: an ES module importing it has Node scan the CommonJS file for
// named exports first (core/src/typescript.cts does the same for the compiler).
const tsMorph = createRequire(import.meta.url)("ts-morph") as typeof TsMorph;

/** A usage problem the user must fix (missing directory or tsconfig): exit code 2, no stack trace. */
export class UsageError extends Error {
  override name = "UsageError";
}

export interface LoadedProject {
  readonly dir: string;
  readonly tsconfigPath: string;
  readonly config: TenantLintConfig;
  readonly configPath: string | undefined;
  readonly program: ts.Program;
  /** The project's own source files (no declaration files, nothing under node_modules). */
  readonly sourceFiles: readonly ts.SourceFile[];
  /** Loaded for some files only (`LoadOptions.only`): the program holds them and what they need, not the whole project. */
  readonly partial: boolean;
}

export interface LoadOptions {
  /** tsconfig path relative to the project directory. */
  readonly tsconfig?: string;
  /** tenant-lint.config.json path relative to `cwd`. */
  readonly config?: string;
  readonly cwd?: string;
  /** Called once the program is loaded, with its file count, for progress display. */
  readonly onFileParsed?: (count: number) => void;
  /**
   * Load the program for these of the project's files only (true for a file to analyse): them, what
   * they import, and every file visible without an import. See `rootsFor`.
   */
  readonly only?: (fileName: string) => boolean;
}

export function loadProject(dir: string, options: LoadOptions = {}): LoadedProject {
  const root = path.resolve(options.cwd ?? process.cwd(), dir);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new UsageError(`${dir}: no such directory`);
  const tsconfigPath = path.resolve(root, options.tsconfig ?? "tsconfig.json");
  if (!fs.existsSync(tsconfigPath)) throw new UsageError(`${tsconfigPath}: no tsconfig found (pass --project to name one)`);
  const configPath = options.config ? path.resolve(options.cwd ?? process.cwd(), options.config) : path.join(root, CONFIG_FILE_NAME);
  let config = DEFAULT_CONFIG;
  if (fs.existsSync(configPath)) config = loadConfigFile(configPath);
  else if (options.config) throw new ConfigError("configuration file not found", configPath);

  // Validated first, so a broken tsconfig is a one-line error rather than a ts-morph exception.
  const parsed = parseTsconfig(tsconfigPath);
  // ts-morph loads the project exactly as tsc would (tsconfig, references, augmentations). Its
  // bundled compiler is the same TypeScript 6.0 as the core's, so the core reads its nodes, types
  // and checker directly. The files the roots import are loaded once, by the program itself: ts-morph's
  // own dependency pass would build a program only to build it again.
  const roots = options.only ? rootsFor(parsed, options.only) : undefined;
  // The target the binder reads (an internal of the compiler: the option's value or its default).
  const emitTarget = (ts as unknown as { getEmitScriptTarget(options: ts.CompilerOptions): ts.ScriptTarget }).getEmitScriptTarget(parsed.options);
  useStartupSnapshotFor(emitTarget);
  useSourceFileCacheFor(parsed.options);
  // ts-morph is given the options and files of the tsconfig parsed here: given the tsconfig, it would
  // parse it, and list the directories it includes, a second time.
  const project = new tsMorph.Project({ compilerOptions: parsed.options, skipFileDependencyResolution: true });
  for (const file of roots ?? parsed.fileNames) project.addSourceFileAtPath(file);
  const program = project.getProgram().compilerObject as unknown as ts.Program;
  sourceFileCacheDone();
  programLoaded(program, emitTarget);
  options.onFileParsed?.(program.getSourceFiles().length);
  const sourceFiles = program
    .getSourceFiles()
    .filter((sf) => !sf.isDeclarationFile && !sf.fileName.includes("/node_modules/") && !program.isSourceFileFromExternalLibrary(sf));
  return { dir: root, tsconfigPath, config, configPath: fs.existsSync(configPath) ? configPath : undefined, program, sourceFiles, partial: roots !== undefined };
}

/**
 * The root files a program for some of the project's files needs: those files (the program adds what
 * they import), and every file whose declarations are visible without an import, which can change any
 * type: declaration files, scripts, and files with `declare global`, `declare module` or
 * `export as namespace`. A finding in a file depends on nothing more: taint is followed from a sink
 * into the functions it calls (imported), never back to callers, and a check that reads a fact of the
 * whole program (the tables raw SQL may name) says so, and the caller loads the whole project.
 * Reading the files' text is cheap; parsing them is what the partial program saves.
 */
function rootsFor(parsed: ts.ParsedCommandLine, wanted: (fileName: string) => boolean): string[] {
  const everyFileIsModule = parsed.options.moduleDetection === ts.ModuleDetectionKind.Force;
  return parsed.fileNames.filter((file) => {
    if (wanted(file) || /\.d\.[cm]?ts$/.test(file)) return true;
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch {
      return true; // let the program report it
    }
    if (GLOBAL_DECLARATION.test(text)) return true;
    return !everyFileIsModule && !MODULE_SYNTAX.test(text);
  });
}

/** Declarations visible without an import (over-matching, in a comment or a string, only loads a file more). */
const GLOBAL_DECLARATION = /\bdeclare\s+(?:global|module)\b|\bexport\s+as\s+namespace\b/;
/** A line starting with `import` or `export`: the file is a module, whose declarations need an import. */
const MODULE_SYNTAX = /^[ \t]*(?:import|export)\b/m;

function parseTsconfig(tsconfigPath: string): ts.ParsedCommandLine {
  let unrecoverable: ts.Diagnostic | undefined;
  const parsed = ts.getParsedCommandLineOfConfigFile(
    tsconfigPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        unrecoverable = diagnostic;
      },
    },
  );
  // 18003 "No inputs were found" is not fatal here: an empty project simply has nothing to report.
  const errors = [unrecoverable, ...(parsed?.errors ?? [])].filter(
    (d): d is ts.Diagnostic => d !== undefined && d.category === ts.DiagnosticCategory.Error && d.code !== 18003,
  );
  if (!parsed || errors.length) {
    const text = errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, " ")).join("; ");
    throw new ConfigError(`invalid tsconfig: ${text || "cannot be read"}`, tsconfigPath);
  }
  return parsed;
}
