import ts from "./typescript.cjs";
import type { TenantLintConfig } from "./config.js";
import { AnalysisContext, type OrmAdapter } from "./context.js";
import { ormAdapters } from "./orm/index.js";
import { formatMessage, type CoreRule, type PathStep } from "./rule.js";
import { coreRules } from "./rules/index.js";

/** One finding, in the core's terms (offsets into the source file). */
export interface Finding {
  readonly ruleId: string;
  readonly messageId: string;
  readonly message: string;
  readonly data: Readonly<Record<string, string>>;
  readonly sourceFile: ts.SourceFile;
  /** The node reported at; absent for findings on a comment (then `start`/`end` span the comment). */
  readonly node: ts.Node | undefined;
  readonly start: number;
  readonly end: number;
  readonly path: readonly PathStep[];
}

/** A rule that threw on a file: reported, never silently swallowed. */
export interface RuleFailure {
  readonly ruleId: string;
  readonly fileName: string;
  readonly error: Error;
}

export interface Analyzer {
  readonly context: AnalysisContext;
  /** Findings of the given rules (all by default) in one file; memoised per file and rule. */
  findings(sourceFile: ts.SourceFile, ruleIds?: readonly string[]): Finding[];
  readonly failures: RuleFailure[];
}

export interface AnalyzerOptions {
  readonly config: TenantLintConfig;
  readonly rootDir: string;
  readonly adapters?: readonly OrmAdapter[];
}

const analyzers = new WeakMap<ts.Program, Map<string, Analyzer>>();

/**
 * The analyzer for a program, created once per program and configuration, so every rule (and
 * every ESLint rule instance linting the same program) shares one set of memoised ORM facts.
 */
export function getAnalyzer(program: ts.Program, options: AnalyzerOptions): Analyzer {
  let byConfig = analyzers.get(program);
  if (!byConfig) {
    byConfig = new Map();
    analyzers.set(program, byConfig);
  }
  const key = `${configKey(options.config)}\0${options.rootDir}`;
  let analyzer = byConfig.get(key);
  if (!analyzer) {
    analyzer = createAnalyzer(program, options);
    byConfig.set(key, analyzer);
  }
  return analyzer;
}

/** A configuration's identity by value, computed once per configuration object (every rule asks for every file). */
const configKeys = new WeakMap<TenantLintConfig, string>();

function configKey(config: TenantLintConfig): string {
  let key = configKeys.get(config);
  if (key === undefined) {
    key = JSON.stringify(config);
    configKeys.set(config, key);
  }
  return key;
}

export function createAnalyzer(program: ts.Program, options: AnalyzerOptions): Analyzer {
  const context = new AnalysisContext(program, options.config, options.rootDir, options.adapters ?? ormAdapters);
  const cache = new WeakMap<ts.SourceFile, Map<string, Finding[]>>();
  const failures: RuleFailure[] = [];
  return {
    context,
    failures,
    findings(sourceFile, ruleIds = Object.keys(coreRules)) {
      let byRule = cache.get(sourceFile);
      if (!byRule) {
        byRule = new Map();
        cache.set(sourceFile, byRule);
      }
      const out: Finding[] = [];
      for (const ruleId of ruleIds) {
        let found = byRule.get(ruleId);
        if (!found) {
          const rule = coreRules[ruleId];
          if (!rule) throw new Error(`unknown rule "${ruleId}"`);
          found = runRule(rule, sourceFile, context, failures);
          byRule.set(ruleId, found);
        }
        out.push(...found);
      }
      return out;
    },
  };
}

function runRule(rule: CoreRule, sourceFile: ts.SourceFile, context: AnalysisContext, failures: RuleFailure[]): Finding[] {
  const found: Finding[] = [];
  const seen = new Set<string>();
  try {
    rule.check(sourceFile, context, (report) => {
      const start = report.node ? report.node.getStart(sourceFile) : report.range.start;
      const key = `${report.messageId}:${start}`;
      if (seen.has(key)) return;
      seen.add(key);
      const data = report.data ?? {};
      found.push({
        ruleId: rule.id,
        messageId: report.messageId,
        message: formatMessage(rule.messages[report.messageId] ?? report.messageId, data),
        data,
        sourceFile,
        node: report.node,
        start,
        end: report.node ? report.node.getEnd() : report.range.end,
        path: report.path ?? [],
      });
    });
  } catch (error) {
    failures.push({ ruleId: rule.id, fileName: sourceFile.fileName, error: error instanceof Error ? error : new Error(String(error)) });
  }
  return found;
}
