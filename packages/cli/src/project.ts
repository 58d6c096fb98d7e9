import fs from "node:fs";
import path from "node:path";
import { CONFIG_FILE_NAME, ConfigError, DEFAULT_CONFIG, loadConfigFile, type TenantLintConfig } from "@tenant-lint/core";
import { Project } from "ts-morph";
import ts from "typescript";

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
}

export function loadProject(dir: string, options: { tsconfig?: string; config?: string } = {}): LoadedProject {
  const root = path.resolve(dir);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new UsageError(`${dir}: no such directory`);
  const tsconfigPath = path.resolve(root, options.tsconfig ?? "tsconfig.json");
  if (!fs.existsSync(tsconfigPath)) throw new UsageError(`${tsconfigPath}: no tsconfig found (pass --project to name one)`);
  const configPath = options.config ? path.resolve(options.config) : path.join(root, CONFIG_FILE_NAME);
  let config = DEFAULT_CONFIG;
  if (fs.existsSync(configPath)) config = loadConfigFile(configPath);
  else if (options.config) throw new ConfigError("configuration file not found", configPath);

  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfigPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  const configErrors = parsed?.errors.filter((d) => d.category === ts.DiagnosticCategory.Error && d.code !== 18003) ?? [];
  if (!parsed || configErrors.length) {
    const text = configErrors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")).join("; ");
    throw new ConfigError(`invalid tsconfig: ${text || "cannot be read"}`, tsconfigPath);
  }
  const project = new Project({ tsConfigFilePath: tsconfigPath });
  // ts-morph bundles its own copy of the same TypeScript 6.0 compiler: the node kinds and flags the
  // core reads are identical, only the declaration identity differs.
  const program = project.getProgram().compilerObject as unknown as ts.Program;
  const sourceFiles = program
    .getSourceFiles()
    .filter((sf) => !sf.isDeclarationFile && !sf.fileName.includes("/node_modules/") && !program.isSourceFileFromExternalLibrary(sf));
  return { dir: root, tsconfigPath, config, configPath: fs.existsSync(configPath) ? configPath : undefined, program, sourceFiles };
}
