import path from "node:path";
import {
  ConfigError,
  coreRules,
  findConfigFile,
  getAnalyzer,
  loadConfigFile,
  resolveConfig,
  type AnalysisContext,
  type Finding,
  type TenantLintConfig,
} from "@tenant-lint/core";
import { ESLintUtils, type TSESLint } from "@typescript-eslint/utils";
import type ts from "typescript";

export const SETTINGS_KEY = "tenant-lint";

interface ResolvedSettings {
  readonly config: TenantLintConfig;
  readonly rootDir: string;
}

const fileConfigCache = new Map<string, ResolvedSettings>();
const configFileByDir = new Map<string, string | undefined>();

/** The nearest `tenant-lint.config.json`, looked up once per directory (every rule asks for every file). */
function configFileFor(dir: string): string | undefined {
  if (!configFileByDir.has(dir)) configFileByDir.set(dir, findConfigFile(dir));
  return configFileByDir.get(dir);
}

/**
 * The configuration for a linted file: `settings["tenant-lint"]` when present (globs relative to
 * ESLint's cwd), else the nearest `tenant-lint.config.json` (globs relative to its directory).
 */
export function settingsFor(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): ResolvedSettings {
  const fromSettings = context.settings[SETTINGS_KEY];
  if (fromSettings !== undefined) {
    return { config: resolveConfig(fromSettings, `ESLint settings["${SETTINGS_KEY}"]`), rootDir: context.cwd };
  }
  const file = configFileFor(path.dirname(context.filename));
  if (!file) return { config: resolveConfig(undefined), rootDir: context.cwd };
  let resolved = fileConfigCache.get(file);
  if (!resolved) {
    resolved = { config: loadConfigFile(file), rootDir: path.dirname(file) };
    fileConfigCache.set(file, resolved);
  }
  return resolved;
}

/**
 * The core's findings of one rule in the file being linted. The analyzer is shared per program,
 * so every tenant-lint rule linting a file reuses the same ORM facts and data-flow summaries.
 */
export function coreFindings(
  context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>,
  ruleId: string,
  configOverride?: (config: TenantLintConfig) => TenantLintConfig,
): { findings: Finding[]; sourceFile: ts.SourceFile; analysisContext: AnalysisContext } {
  const services = ESLintUtils.getParserServices(context);
  const program = services.program as unknown as ts.Program;
  const sourceFile = services.esTreeNodeToTSNodeMap.get(context.sourceCode.ast) as unknown as ts.SourceFile;
  let settings: ResolvedSettings;
  try {
    settings = settingsFor(context);
  } catch (error) {
    if (error instanceof ConfigError) throw new Error(`tenant-lint: ${error.message}`);
    throw error;
  }
  const config = configOverride ? configOverride(settings.config) : settings.config;
  const analyzer = getAnalyzer(program, { config, rootDir: settings.rootDir });
  if (!coreRules[ruleId]) throw new Error(`tenant-lint: no core check for rule "${ruleId}"`);
  const findings = analyzer.findings(sourceFile, [ruleId]);
  const failure = analyzer.failures.find((f) => f.ruleId === ruleId && f.fileName === sourceFile.fileName);
  if (failure) throw failure.error;
  return { findings, sourceFile, analysisContext: analyzer.context };
}
