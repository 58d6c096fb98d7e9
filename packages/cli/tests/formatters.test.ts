import { describe, expect, it } from "vitest";
import { codeFrame, sourceLines } from "../src/formatters/code-frame.js";
import { formatGithub } from "../src/formatters/github.js";
import { formatGitlab } from "../src/formatters/gitlab.js";
import type { FormatContext } from "../src/formatters/index.js";
import { byteColumn, formatRdjson } from "../src/formatters/rdjson.js";
import { formatStylish } from "../src/formatters/stylish.js";
import { ruleInfos } from "../src/main.js";
import type { LintMessage, LintResult } from "../src/results.js";

const SOURCE = ['const café = "naïve";', "\tconst rows = await knex(\"t\")", '\t\t.where({ id })', "\t\t.first();", "export {};"].join("\n");

function context(messages: LintMessage[], extra: Partial<FormatContext> = {}): FormatContext {
  const result: LintResult = {
    filePath: "/repo/src/a.ts",
    messages,
    suppressedMessages: [],
    errorCount: messages.filter((m) => m.severity === 2).length,
    warningCount: messages.filter((m) => m.severity === 1).length,
    fatalErrorCount: 0,
    fixableErrorCount: 0,
    fixableWarningCount: 0,
  };
  return {
    results: [result],
    rootDir: "/repo",
    cwd: "/repo",
    color: false,
    rules: ruleInfos(),
    internalErrors: [],
    fixedBaselineEntries: [],
    baselineMatched: 0,
    toolVersion: "0.0.0",
    sourceOf: (file) => (file === "/repo/src/a.ts" ? SOURCE : undefined),
    ...extra,
  };
}

const finding = (over: Partial<LintMessage> = {}): LintMessage => ({
  ruleId: "@tenant-lint/require-tenant-scope",
  severity: 2,
  message: "unscoped",
  line: 2,
  column: 21,
  endLine: 4,
  endColumn: 11,
  fingerprint: "abc:1",
  ...over,
});

describe("code frames", () => {
  it("mark every flagged line, underline the range, and keep tabs so the carets line up", () => {
    expect(codeFrame(sourceLines(SOURCE), { line: 2, column: 21, endLine: 4, endColumn: 11 })).toEqual([
      '  1 | const café = "naïve";',
      '> 2 | \tconst rows = await knex("t")',
      "    | \t                   ^^^^^^^^^",
      "> 3 | \t\t.where({ id })",
      "    | \t\t^^^^^^^^^^^^^^",
      "> 4 | \t\t.first();",
      "    | \t\t^^^^^^^^",
      "  5 | export {};",
    ]);
  });

  it("cut long ranges, saying how many lines are not shown", () => {
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
    const frame = codeFrame(lines, { line: 3, column: 1, endLine: 12, endColumn: 8 }, { maxFlagged: 2 });
    expect(frame).toContain("     | … 8 more lines");
    expect(frame.at(-1)).toBe("  13 | line 13");
  });
});

describe("stylish", () => {
  it("colours only when asked to", () => {
    expect(formatStylish(context([finding()]))).not.toContain("\u001b[");
    expect(formatStylish(context([finding()], { color: true }))).toContain("\u001b[31merror\u001b[0m");
  });

  it("summarises errors and warnings separately, and the baseline's known findings", () => {
    const output = formatStylish(context([finding(), finding({ severity: 1, line: 5, column: 1, endLine: 5, endColumn: 10 })], { baselineMatched: 3 }));
    expect(output).toMatch(/✖ 2 problems \(1 error, 1 warning\)\n {2}3 known findings in the baseline not shown\.\n$/);
  });
});

describe("rdjson", () => {
  it("counts columns in UTF-8 bytes", () => {
    expect(byteColumn('const café = "naïve";', 14)).toBe(15);
    expect(byteColumn('const café = "naïve";', 1)).toBe(1);
    const output = JSON.parse(formatRdjson(context([finding({ line: 1, column: 14, endLine: 1, endColumn: 21 })])));
    expect(output.diagnostics[0].location).toEqual({ path: "src/a.ts", range: { start: { line: 1, column: 15 }, end: { line: 1, column: 23 } } });
    expect(output.diagnostics[0].code).toEqual({ value: "@tenant-lint/require-tenant-scope", url: expect.stringMatching(/require-tenant-scope\.md$/) });
  });
});

describe("gitlab", () => {
  it("keys issues by the finding's fingerprint and gives every issue a distinct one", () => {
    const issues = JSON.parse(
      formatGitlab(context([finding(), finding({ fingerprint: "abc:2", line: 5 }), { ruleId: null, fatal: true, severity: 2, message: "Parsing error: x", line: 1, column: 1 }])),
    );
    expect(issues.map((i: { fingerprint: string }) => i.fingerprint)).toEqual(["abc:1", "abc:2", expect.stringMatching(/^[0-9a-f]{32}$/)]);
    expect(issues.map((i: { severity: string }) => i.severity)).toEqual(["critical", "critical", "blocker"]);
    expect(issues[0].location).toEqual({ path: "src/a.ts", lines: { begin: 2, end: 4 } });
  });
});

describe("github", () => {
  it("annotates a rule that threw, so the failure shows on the run", () => {
    const output = formatGithub(
      context([], { internalErrors: [{ kind: "rule-error", filePath: "/repo/src/a.ts", ruleId: "@tenant-lint/no-cross-tenant-query", message: "boom: x, y" }] }),
    );
    expect(output).toBe("::error file=src/a.ts,title=@tenant-lint/no-cross-tenant-query failed::boom: x, y\n");
  });
});
