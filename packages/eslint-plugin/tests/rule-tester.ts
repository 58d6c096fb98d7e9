import path from "node:path";
import { RuleTester } from "@typescript-eslint/rule-tester";
import * as vitest from "vitest";
import plugin from "../src/index.js";

RuleTester.afterAll = vitest.afterAll;
RuleTester.describe = vitest.describe;
RuleTester.it = vitest.it;
RuleTester.itOnly = vitest.it.only;

export const FIXTURES_DIR = path.resolve(import.meta.dirname, "../../../fixtures");

/** The file every case of a fixture is linted as: it exists, is empty, and is in the fixture's tsconfig. */
export const RULE_TESTER_FILE = "src/__rule_tester__.ts";

/**
 * A RuleTester that type-checks cases inside a real fixture app, against the real ORM packages.
 * One TypeScript project per fixture is shared by every case linted in it.
 */
export function fixtureRuleTester(fixture: string): RuleTester {
  const tsconfigRootDir = path.join(FIXTURES_DIR, fixture);
  return new RuleTester({
    // Registered (not enabled) so that disable comments naming tenant-lint rules resolve, as in a real config.
    plugins: { "@tenant-lint": plugin as never },
    linterOptions: { reportUnusedDisableDirectives: "off" },
    languageOptions: {
      parserOptions: { project: "./tsconfig.json", tsconfigRootDir },
    },
    // Relative to tsconfigRootDir.
    defaultFilenames: { ts: RULE_TESTER_FILE, tsx: "src/__rule_tester__.tsx" },
  });
}

/** One ORM's cases for one rule: the fixture they run in, and ESLint RuleTester cases. */
export interface OrmCases<MessageIds extends string = string> {
  readonly fixture: string;
  /** `filename` (relative to the fixture) lints a case as another file, e.g. inside a trusted resolver directory. */
  readonly valid: readonly (string | { code: string; options?: unknown[]; filename?: string })[];
  readonly invalid: readonly {
    code: string;
    options?: unknown[];
    filename?: string;
    errors: readonly {
      messageId: MessageIds;
      line: number;
      column: number;
      endLine?: number;
      endColumn?: number;
      suggestions?: readonly { messageId: MessageIds; data?: Record<string, string>; output: string }[];
    }[];
  }[];
}

/** Runs every `tests/cases/<orm>/<ruleId>.ts` for a rule, each in its own fixture app. */
export function runOrmCases(ruleId: string, rule: Parameters<RuleTester["run"]>[1], suites: Record<string, { default: OrmCases }>): void {
  const entries = Object.entries(suites);
  if (entries.length === 0) throw new Error(`no cases for ${ruleId}`);
  for (const [file, { default: cases }] of entries) {
    const orm = path.basename(path.dirname(file));
    fixtureRuleTester(cases.fixture).run(`${ruleId} (${orm})`, rule, {
      valid: cases.valid.map((c) => (typeof c === "string" ? { code: c } : c)) as never,
      invalid: cases.invalid as never,
    });
  }
}

/** 1-based line and column of the first occurrence of `snippet` in `code` (where an error must start). */
export function positionOf(code: string, snippet: string): { line: number; column: number } {
  const index = code.indexOf(snippet);
  if (index < 0) throw new Error(`snippet not in code: ${snippet}`);
  const before = code.slice(0, index).split("\n");
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}
