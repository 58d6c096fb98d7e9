import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ANNOTATION_LIMIT, escapeData, escapeProperty, formatGithub } from "../src/formatters/github.js";
import type { FormatContext } from "../src/formatters/index.js";
import { ruleInfos } from "../src/main.js";
import type { LintMessage, LintResult } from "../src/results.js";
import { copyProject, run } from "./helpers.js";

/** Reads workflow commands back the way the Actions runner does (actions/toolkit's command parsing). */
function parseCommand(line: string): { command: string; properties: Record<string, string>; data: string } {
  const match = /^::(\w+)(?: ([^:]*))?::(.*)$/.exec(line);
  if (!match) throw new Error(`not a workflow command: ${line}`);
  const unescape = (text: string) => text.replace(/%3A/g, ":").replace(/%2C/g, ",").replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%25/g, "%");
  const properties: Record<string, string> = {};
  for (const pair of (match[2] ?? "").split(",").filter(Boolean)) {
    const eq = pair.indexOf("=");
    properties[pair.slice(0, eq)] = unescape(pair.slice(eq + 1));
  }
  return { command: match[1]!, properties, data: unescape(match[3]!) };
}

function context(results: LintResult[], rootDir = "/repo"): FormatContext {
  return {
    results,
    rootDir,
    cwd: rootDir,
    color: false,
    rules: ruleInfos(),
    internalErrors: [],
    fixedBaselineEntries: [],
    baselineMatched: 0,
    toolVersion: "0.0.0",
    sourceOf: () => undefined,
  };
}

function result(filePath: string, messages: LintMessage[]): LintResult {
  return {
    filePath,
    messages,
    suppressedMessages: [],
    errorCount: messages.filter((m) => m.severity === 2).length,
    warningCount: messages.filter((m) => m.severity === 1).length,
    fatalErrorCount: 0,
    fixableErrorCount: 0,
    fixableWarningCount: 0,
  };
}

function message(line: number, severity: 1 | 2 = 2, text = `finding on line ${line}`): LintMessage {
  return { ruleId: "@tenant-lint/require-tenant-scope", severity, message: text, line, column: 3, endLine: line, endColumn: 9 };
}

describe("workflow command escaping", () => {
  it("escapes data as the runner expects: %, CR and LF", () => {
    expect(escapeData("100% of rows\r\nnext: a,b")).toBe("100%25 of rows%0D%0Anext: a,b");
  });

  it("escapes properties further: : and , separate properties", () => {
    expect(escapeProperty("C:\\a,b%\nc")).toBe("C%3A\\a%2Cb%25%0Ac");
  });

  it("round-trips hostile file names and messages through the runner's parsing", () => {
    const file = "/repo/src/50%,off:sale\nnow.ts";
    const hostile = "100% sure: tenant_id, org_id\r\nand %0A is not a newline";
    const output = formatGithub(context([result(file, [message(7, 2, hostile)])]));
    const [annotation] = output.trimEnd().split("\n");
    const parsed = parseCommand(annotation!);
    expect(parsed.command).toBe("error");
    expect(parsed.properties).toEqual({
      file: "src/50%,off:sale\nnow.ts",
      line: "7",
      col: "3",
      endLine: "7",
      endColumn: "9",
      title: "@tenant-lint/require-tenant-scope",
    });
    expect(parsed.data.split("\n\nDocs: ")[0]).toBe(hostile);
    // One physical line per command: nothing in the data may start a new one.
    expect(output.trimEnd().split("\n")).toHaveLength(2);
  });
});

describe("GitHub annotation limits", () => {
  it("annotates the first 10 errors and 10 warnings and lists the rest under a notice", () => {
    const messages = [...Array.from({ length: 25 }, (_, i) => message(i + 1, 2)), ...Array.from({ length: 12 }, (_, i) => message(100 + i, 1))];
    const lines = formatGithub(context([result("/repo/src/a.ts", messages)])).trimEnd().split("\n");
    expect(lines.filter((l) => l.startsWith("::error "))).toHaveLength(ANNOTATION_LIMIT);
    expect(lines.filter((l) => l.startsWith("::warning "))).toHaveLength(ANNOTATION_LIMIT);
    const notices = lines.filter((l) => l.startsWith("::notice "));
    expect(notices).toHaveLength(1);
    expect(parseCommand(notices[0]!).data).toBe("17 more findings are not annotated (GitHub shows 10 errors and 10 warnings per step); see the log.");
    const plain = lines.filter((l) => !l.startsWith("::"));
    expect(plain).toContain("src/a.ts:11:3: error: finding on line 11 (@tenant-lint/require-tenant-scope)");
    expect(plain).toContain("src/a.ts:111:3: warning: finding on line 111 (@tenant-lint/require-tenant-scope)");
    expect(plain.filter((l) => l.startsWith("src/a.ts:"))).toHaveLength(17);
    expect(plain.at(-1)).toBe("tenant-lint: 37 problems (25 errors, 12 warnings)");
  });

  it("prints no notice when everything fits", () => {
    const output = formatGithub(context([result("/repo/src/a.ts", Array.from({ length: 10 }, (_, i) => message(i + 1)))]));
    expect(output).not.toContain("::notice");
  });
});

describe("--format github on a project", () => {
  it("names a file with % , : in its name so that GitHub finds it", async () => {
    const dir = copyProject("findings");
    fs.renameSync(path.join(dir, "src/billing/routes.ts"), path.join(dir, "src/billing/100%,a:b.ts"));
    const { code, stdout } = await run(["check", dir, "--format", "github", "--rule", "no-client-tenant-id"]);
    expect(code).toBe(1);
    const annotation = parseCommand(stdout.split("\n")[0]!);
    expect(annotation.properties.file).toBe("src/billing/100%,a:b.ts");
    expect(stdout.split("\n")[0]).toContain("file=src/billing/100%25%2Ca%3Ab.ts,");
    expect(annotation.data).toContain("Taint path:\n1. src/billing/100%,a:b.ts:10:28 client-controlled Koa `ctx.query`");
  });
});
