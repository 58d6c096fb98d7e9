import fs from "node:fs";
import path from "node:path";
import { ConfigError, coreRules, PLUGIN_PREFIX } from "@tenant-lint/core";
import yargs from "yargs";
import { checkProject } from "./check.js";
import { formatJson } from "./formatters/json.js";
import { formatStylish } from "./formatters/stylish.js";
import { loadProject, UsageError } from "./project.js";

export const DOCS_BASE_URL = "https://github.com/tenant-lint/tenant-lint/blob/main/docs/rules/";
export const FORMATS = ["stylish", "json"] as const;

export interface Io {
  readonly stdout: { write(text: string): unknown; isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  readonly cwd: string;
}

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

/** Runs the CLI; returns the exit code instead of exiting, so tests can call it in process. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let exitCode = EXIT_CLEAN;
  const cli = yargs([...argv])
    .scriptName("tenant-lint")
    .usage("$0 <command> [options]")
    .command(
      "check [dir]",
      "Analyse the TypeScript project in <dir> and report tenant-isolation findings",
      (y) =>
        y
          .positional("dir", { type: "string", default: ".", describe: "Project directory (holds tsconfig.json and tenant-lint.config.json)" })
          .option("format", { alias: "f", choices: FORMATS, default: "stylish" as const, describe: "Output format" })
          .option("output", { alias: "o", type: "string", describe: "Write the report to FILE instead of stdout" })
          .option("project", { alias: "p", type: "string", describe: "tsconfig to use, relative to <dir>" })
          .option("config", { alias: "c", type: "string", describe: "tenant-lint.config.json to use" })
          .option("rule", { type: "array", string: true, describe: "Run only these rules (repeatable)" })
          .option("max-warnings", { type: "number", describe: "Fail when there are more warnings than this" })
          .option("quiet", { type: "boolean", default: false, describe: "Report errors only" }),
      async (args) => {
        exitCode = runCheck(args, io);
      },
    )
    .demandCommand(1, "name a command: check")
    .strict()
    .help()
    .version(false)
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new UsageError(message);
    })
    .wrap(Math.min(100, process.stdout.columns ?? 100));
  try {
    let helpShown = false;
    await cli.parseAsync([...argv], {}, (_err, _argv, output) => {
      if (output) {
        helpShown = true;
        io.stdout.write(`${output}\n`);
      }
    });
    if (helpShown) return EXIT_CLEAN;
    return exitCode;
  } catch (error) {
    io.stderr.write(`tenant-lint: ${errorText(error)}\n`);
    if (error instanceof UsageError || (error as Error).name === "YError") io.stderr.write("Run `tenant-lint --help` for usage.\n");
    return EXIT_ERROR;
  }
}

function errorText(error: unknown): string {
  if (error instanceof ConfigError || error instanceof UsageError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

interface CheckArgs {
  dir: string;
  format: (typeof FORMATS)[number];
  output?: string;
  project?: string;
  config?: string;
  rule?: string[];
  "max-warnings"?: number;
  quiet: boolean;
}

function runCheck(args: CheckArgs, io: Io): number {
  const rules = args.rule?.map((r) => r.replace(`${PLUGIN_PREFIX}/`, ""));
  for (const rule of rules ?? []) {
    if (!coreRules[rule]) throw new UsageError(`unknown rule "${rule}" (rules: ${Object.keys(coreRules).join(", ")})`);
  }
  const project = loadProject(path.resolve(io.cwd, args.dir), { tsconfig: args.project, config: args.config });
  const outcome = checkProject(project, { rules });
  const results = args.quiet
    ? outcome.results.map((r) => ({ ...r, messages: r.messages.filter((m) => m.severity === 2), warningCount: 0 }))
    : outcome.results;
  const report =
    args.format === "json"
      ? formatJson(results)
      : formatStylish(results, { cwd: io.cwd, color: !!io.stdout.isTTY && !args.output, docsUrl: docsUrlOf });
  if (args.output) fs.writeFileSync(path.resolve(io.cwd, args.output), report.endsWith("\n") || !report ? report : `${report}\n`);
  else if (report) io.stdout.write(report.endsWith("\n") ? report : `${report}\n`);
  for (const line of outcome.internalErrors) io.stderr.write(`tenant-lint: ${line}\n`);
  const errors = results.reduce((n, r) => n + r.errorCount, 0);
  const warnings = results.reduce((n, r) => n + r.warningCount, 0);
  if (outcome.internalErrors.some((e) => e.includes(" failed: "))) return EXIT_ERROR;
  if (errors > 0) return EXIT_FINDINGS;
  if (args["max-warnings"] !== undefined && warnings > args["max-warnings"]) return EXIT_FINDINGS;
  return EXIT_CLEAN;
}

export function docsUrlOf(ruleId: string): string | undefined {
  const bare = ruleId.replace(`${PLUGIN_PREFIX}/`, "");
  return coreRules[bare] ? `${DOCS_BASE_URL}${bare}.md` : undefined;
}
