import fs from "node:fs";
import path from "node:path";
import { ConfigError, coreRules, PLUGIN_PREFIX } from "@tenant-lint/core";
import { CODEMODS, runMigrate } from "@tenant-lint/codemods";
import yargs, { type Argv } from "yargs";
import { applyBaseline, BASELINE_FILE_NAME, baselineEntriesOf, readBaseline, writeBaseline, type BaselineEntry } from "./baseline.js";
import { checkProject, type CheckOutcome, type Severity } from "./check.js";
import { explainRule } from "./explain.js";
import { relativePath } from "./fingerprint.js";
import { FORMAT_NAMES, FORMATTERS, type FormatName, type RuleInfo } from "./formatters/index.js";
import { daemonAllowed, daemonPlace, daemonStatus, IDLE_MS, stopDaemons } from "./daemon.js";
import { changedLinesSince, findRepoRoot, realPath, type ChangedLines } from "./git.js";
import { CONFIG_FILE_NAME, configFromDetection, describeDetection, detectProject } from "./init.js";
import { bundledTypeScriptFile } from "./one-typescript.js";
import { Progress } from "./progress.js";
import { loadProject, UsageError, type LoadedProject } from "./project.js";
import { describeInternalError, totals, type LintResult } from "./results.js";

export const DOCS_BASE_URL = "https://github.com/tenant-lint/tenant-lint/blob/main/docs/rules/";
export const FORMATS = FORMAT_NAMES;

export interface Io {
  readonly stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  readonly cwd: string;
  /** Environment variables (NO_COLOR, FORCE_COLOR, TENANT_LINT_DEBUG); `process.env` by default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

const COMMANDS = ["check", "baseline", "init", "explain", "migrate", "daemon"];

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

const TOOL_VERSION = (JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "..", "package.json"), "utf8")) as { version: string }).version;

/** Runs the CLI; returns the exit code instead of exiting, so tests can call it in process. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let exitCode = EXIT_CLEAN;
  const run = (command: (args: never, io: Io) => number) => (args: unknown) => {
    exitCode = command(args as never, io);
  };
  const cli = yargs([...argv])
    .scriptName("tenant-lint")
    .usage("$0 <command> [options]")
    .command("check [dir]", "Analyse the TypeScript project in <dir> and report tenant-isolation findings", checkOptions, run(runCheck))
    .command("baseline [dir]", "Record the current findings, so `check --baseline` fails only on new ones", baselineOptions, run(runBaseline))
    .command("init [dir]", `Detect ORMs, frameworks and tenant keys, and write ${CONFIG_FILE_NAME}`, initOptions, run(runInit))
    .command("explain <rule>", "Print a rule's documentation", (y) => y.positional("rule", { type: "string", demandOption: true, describe: "Rule id, with or without @tenant-lint/" }), run(runExplain))
    .command(
      "migrate <codemod> [dir]",
      "Run a codemod over the project in <dir> (dry run: prints a diff; --write applies it)",
      (y) =>
        y
          .positional("codemod", { type: "string", choices: CODEMODS, demandOption: true, describe: "The codemod to run" })
          .positional("dir", { type: "string", default: ".", describe: "Project directory (holds tsconfig.json)" })
          .option("write", { type: "boolean", default: false, describe: "Apply the changes instead of printing a diff" })
          .option("report", { type: "string", describe: "Write a JSON report of every call site to FILE" })
          .option("project", { alias: "p", type: "string", describe: "tsconfig to use, relative to <dir>" }),
      async (args) => {
        exitCode = await runMigrate(
          { codemod: args.codemod, dir: path.resolve(io.cwd, args.dir), write: args.write, report: args.report && path.resolve(io.cwd, args.report), tsconfig: args.project },
          io,
        );
      },
    )
    .command(
      "daemon <action>",
      "Show or stop the background process that serves a developer's repeated runs",
      (y) => y.positional("action", { type: "string", choices: ["status", "stop"] as const, demandOption: true, describe: "status: whether it runs, and what it keeps; stop: stop it" }),
      async (args) => {
        exitCode = await runDaemonCommand(args.action, io);
      },
    )
    .demandCommand(1, "name a command: check, baseline, init, explain, migrate or daemon")
    .strict()
    .strictCommands()
    .help()
    .version(TOOL_VERSION)
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new UsageError(message);
    })
    .wrap(Math.min(100, io.stdout.columns ?? 100));
  try {
    // yargs reports every positional it cannot place as an unknown command ("Unknown commands: lint, src").
    const first = argv[0];
    if (first !== undefined && !first.startsWith("-") && !COMMANDS.includes(first)) {
      throw new UsageError(`unknown command "${first}" (commands: ${COMMANDS.join(", ")})`);
    }
    let printed = false;
    await cli.parseAsync([...argv], {}, (_err, _argv, output) => {
      if (output) {
        printed = true;
        io.stdout.write(`${output}\n`);
      }
    });
    // --help and --version print and stop before any command runs.
    return printed ? EXIT_CLEAN : exitCode;
  } catch (error) {
    return reportError(error, io);
  }
}

/** One line per error, never a stack trace for the user's mistakes; a stack only on request for ours. */
function reportError(error: unknown, io: Io): number {
  if (error instanceof UsageError || (error instanceof Error && error.name === "YError")) {
    // One line, hint included: yargs spreads some messages over lines ("Invalid values:\n  Argument: ...").
    io.stderr.write(`tenant-lint: ${error.message.replace(/\s*\n\s*/g, " ")} (see \`tenant-lint --help\`)\n`);
  } else if (error instanceof ConfigError) {
    io.stderr.write(`tenant-lint: ${error.message}\n`);
  } else {
    const debug = (io.env ?? process.env).TENANT_LINT_DEBUG;
    const text = error instanceof Error ? error.message : String(error);
    if (debug && error instanceof Error && error.stack) io.stderr.write(`tenant-lint: internal error: ${text}\n${error.stack}\n`);
    else io.stderr.write(`tenant-lint: internal error: ${text} (set TENANT_LINT_DEBUG=1 for the stack trace, and please report it)\n`);
  }
  return EXIT_ERROR;
}

// ---------------------------------------------------------------------------------------------
// Options

function projectOptions<T>(y: Argv<T>) {
  return y
    .positional("dir", { type: "string", default: ".", describe: "Project directory (holds tsconfig.json and tenant-lint.config.json)" })
    .option("project", { alias: "p", type: "string", describe: "tsconfig to use, relative to <dir>" })
    .option("config", { alias: "c", type: "string", describe: `${CONFIG_FILE_NAME} to use` });
}

function checkOptions<T>(y: Argv<T>) {
  return projectOptions(y)
    .option("format", { alias: "f", choices: FORMAT_NAMES, default: "stylish" as FormatName, describe: "Output format" })
    .option("output", { alias: "o", type: "string", describe: "Write the report to FILE instead of stdout" })
    .option("rule", { type: "array", string: true, describe: "Run only this rule; ID:warn makes its findings warnings (repeatable)" })
    .option("max-warnings", { type: "number", describe: "Fail when there are more warnings than this" })
    .option("quiet", { type: "boolean", default: false, describe: "Report errors only" })
    .option("baseline", { type: "string", describe: "Fail only on findings not in this baseline file" })
    .option("prune-baseline", { type: "boolean", default: false, describe: "Remove fixed findings from the --baseline file" })
    .option("changed-since", { type: "string", describe: "Report only findings on lines changed since this git ref" });
}

function baselineOptions<T>(y: Argv<T>) {
  return projectOptions(y).option("output", { alias: "o", type: "string", describe: `Baseline file to write (default: <dir>/${BASELINE_FILE_NAME})` });
}

function initOptions<T>(y: Argv<T>) {
  return y
    .positional("dir", { type: "string", default: ".", describe: "Project directory" })
    .option("force", { type: "boolean", default: false, describe: `Overwrite an existing ${CONFIG_FILE_NAME}` });
}

interface ProjectArgs {
  dir: string;
  project?: string;
  config?: string;
}

interface CheckArgs extends ProjectArgs {
  format: FormatName;
  output?: string;
  rule?: string[];
  "max-warnings"?: number;
  quiet: boolean;
  baseline?: string;
  "prune-baseline": boolean;
  "changed-since"?: string;
}

// ---------------------------------------------------------------------------------------------
// check

function runCheck(args: CheckArgs, io: Io): number {
  const { rules, severities } = parseRuleOptions(args.rule);
  const maxWarnings = args["max-warnings"];
  if (maxWarnings !== undefined && !Number.isInteger(maxWarnings)) throw new UsageError("--max-warnings takes a whole number");
  if (args["prune-baseline"] && !args.baseline) throw new UsageError("--prune-baseline needs --baseline FILE");
  // A broken baseline or an unknown ref fails before the expensive part (a missing directory is
  // left to loadProject, which says so).
  const baselineFile = args.baseline ? path.resolve(io.cwd, args.baseline) : undefined;
  const baseline = baselineFile ? readBaseline(baselineFile) : undefined;
  const dir = path.resolve(io.cwd, args.dir);
  const changedLines = args["changed-since"] && fs.existsSync(dir) ? changedLinesSince(args["changed-since"], dir) : undefined;

  const progress = new Progress(io.stderr);
  // --changed-since loads the changed files and what they need, not the whole project; a check that
  // reads a fact of the whole program (the tables raw SQL may name) sends it back for all of it.
  const isChanged = changedLines && ((file: string) => changedLines.has(file) || changedLines.has(realPath(file)));
  const analyse = (project: LoadedProject) => {
    const rootDir = findRepoRoot(project.dir) ?? project.dir;
    const changed = changedLines ? changedFilesOf(project, changedLines) : undefined;
    const outcome = checkProject(project, {
      rules,
      severities,
      files: changed ? new Set(changed.keys()) : undefined,
      fingerprintRoot: rootDir,
      onFile: (done, total) => progress.update(() => `tenant-lint: checked ${done}/${total} files`),
    });
    return { project, rootDir, changed, outcome };
  };
  let run = analyse(load(args, io, progress, isChanged));
  if (run.project.partial && run.outcome.readProgramWideFacts) run = analyse(load(args, io, progress));
  const { project, rootDir, changed, outcome } = run;
  progress.done();

  let results = outcome.results;
  // The baseline is matched on whole files, before the changed-lines filter: a known finding on an
  // unchanged line of a changed file is still known, not fixed.
  const baselined = baseline ? applyBaseline(results, baseline, inBaselineScope(outcome, rootDir, changed !== undefined)) : undefined;
  if (changed) results = onChangedLines(results, changed);
  if (args.quiet) results = results.map(errorsOnly);

  const report = FORMATTERS[args.format]({
    results,
    rootDir,
    cwd: io.cwd,
    color: useColor(io, args.output),
    rules: ruleInfos(),
    internalErrors: outcome.internalErrors,
    fixedBaselineEntries: baselined?.fixed ?? [],
    baselineMatched: baselined?.matched ?? 0,
    toolVersion: TOOL_VERSION,
    sourceOf: (file) => project.program.getSourceFile(file)?.text ?? readIfExists(file),
  });
  writeReport(report, args.output, io);

  const relative = (file: string) => path.relative(io.cwd, file) || file;
  for (const error of outcome.internalErrors) io.stderr.write(`tenant-lint: ${describeInternalError(error, relative)}\n`);
  if (baselined?.fixed.length && baselineFile) {
    const fixed = baselined.fixed.length;
    if (args["prune-baseline"]) {
      writeBaseline(baselineFile, baselined.kept);
      io.stderr.write(`tenant-lint: removed ${fixed} fixed finding${fixed === 1 ? "" : "s"} from ${relative(baselineFile)}\n`);
    } else {
      io.stderr.write(`tenant-lint: ${fixed} finding${fixed === 1 ? "" : "s"} in ${relative(baselineFile)} no longer occur${fixed === 1 ? "s" : ""}; run with --prune-baseline to remove ${fixed === 1 ? "it" : "them"}\n`);
    }
  }
  return exitCodeOf(outcome, results, maxWarnings, io);
}

function exitCodeOf(outcome: CheckOutcome, results: readonly LintResult[], maxWarnings: number | undefined, io: Io): number {
  if (outcome.internalErrors.some((e) => e.kind === "rule-error")) return EXIT_ERROR;
  const { errors, warnings } = totals(results);
  if (errors > 0) return EXIT_FINDINGS;
  if (maxWarnings !== undefined && maxWarnings >= 0 && warnings > maxWarnings) {
    io.stderr.write(`tenant-lint: too many warnings (${warnings}, maximum: ${maxWarnings})\n`);
    return EXIT_FINDINGS;
  }
  return EXIT_CLEAN;
}

/** `--rule ID` or `--rule ID:warn|error`, with or without the `@tenant-lint/` prefix. */
export function parseRuleOptions(values: readonly string[] | undefined): { rules?: string[]; severities: Record<string, Severity> } {
  const severities: Record<string, Severity> = {};
  if (!values?.length) return { severities };
  const rules: string[] = [];
  for (const value of values.flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean)) {
    const match = /^(?:@tenant-lint\/)?([\w-]+)(?::(\w+))?$/.exec(value);
    const rule = match?.[1];
    if (!rule || !coreRules[rule]) throw new UsageError(`unknown rule "${value}" (rules: ${Object.keys(coreRules).join(", ")})`);
    const severity = match![2];
    if (severity !== undefined && !["warn", "error", "1", "2"].includes(severity)) throw new UsageError(`--rule ${value}: severity must be warn or error`);
    severities[rule] = severity === "warn" || severity === "1" ? 1 : 2;
    if (!rules.includes(rule)) rules.push(rule);
  }
  return { rules, severities };
}

function load(args: ProjectArgs, io: Io, progress?: Progress, only?: (fileName: string) => boolean): LoadedProject {
  return loadProject(args.dir, {
    tsconfig: args.project,
    config: args.config,
    cwd: io.cwd,
    only,
    onFileParsed: progress ? (count) => progress.update(() => `tenant-lint: loaded ${count} files`) : undefined,
  });
}

/** The program's files that changed, by their name in the program, with their changed lines. */
function changedFilesOf(project: LoadedProject, changed: ChangedLines): Map<string, ReadonlySet<number> | "all"> {
  const out = new Map<string, ReadonlySet<number> | "all">();
  if (changed.size === 0) return out;
  for (const sourceFile of project.sourceFiles) {
    // git names files by their real path; the program by the path the tsconfig was found under.
    const lines = changed.get(sourceFile.fileName) ?? changed.get(realPath(sourceFile.fileName));
    if (lines) out.set(sourceFile.fileName, lines);
  }
  return out;
}

/** Keeps findings that touch a changed line, and every fatal error (a broken file always fails). */
function onChangedLines(results: readonly LintResult[], changed: ReadonlyMap<string, ReadonlySet<number> | "all">): LintResult[] {
  const touches = (lines: ReadonlySet<number> | "all" | undefined, m: { line: number; endLine?: number }) => {
    if (lines === "all") return true;
    if (!lines) return false;
    for (let n = m.line; n <= (m.endLine ?? m.line); n++) if (lines.has(n)) return true;
    return false;
  };
  const out: LintResult[] = [];
  for (const result of results) {
    const lines = changed.get(result.filePath);
    const messages = result.messages.filter((m) => m.fatal || touches(lines, m));
    if (!lines && messages.length === 0) continue;
    const kept = { ...result, messages, suppressedMessages: result.suppressedMessages.filter((m) => touches(lines, m)) };
    out.push(recount(kept));
  }
  return out;
}

/**
 * Which baseline entries this run could have matched: those of rules that ran, in files that were
 * analysed (all of the program's parseable files, or only the changed ones) or that no longer exist.
 */
function inBaselineScope(outcome: CheckOutcome, rootDir: string, partial: boolean): (entry: BaselineEntry) => boolean {
  const ran = new Set(outcome.ruleIds.map((id) => `${PLUGIN_PREFIX}/${id}`));
  const analysed = new Set<string>();
  const unparsed = new Set<string>();
  for (const result of outcome.results) {
    (result.fatalErrorCount ? unparsed : analysed).add(relativePath(rootDir, result.filePath));
  }
  return (entry) => ran.has(entry.ruleId) && !unparsed.has(entry.file) && (partial ? analysed.has(entry.file) : true);
}

function errorsOnly(result: LintResult): LintResult {
  return recount({ ...result, messages: result.messages.filter((m) => m.severity === 2) });
}

function recount(result: LintResult): LintResult {
  result.errorCount = result.messages.filter((m) => m.severity === 2).length;
  result.warningCount = result.messages.filter((m) => m.severity === 1).length;
  result.fatalErrorCount = result.messages.filter((m) => m.fatal).length;
  return result;
}

function useColor(io: Io, output: string | undefined): boolean {
  const env = io.env ?? process.env;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return !output;
  return !!io.stdout.isTTY && !output && env.NO_COLOR === undefined;
}

function writeReport(report: string, output: string | undefined, io: Io): void {
  const text = report && !report.endsWith("\n") ? `${report}\n` : report;
  if (output) {
    const file = path.resolve(io.cwd, output);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  } else if (text) {
    io.stdout.write(text);
  }
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

export function ruleInfos(): RuleInfo[] {
  return Object.values(coreRules).map((rule) => ({ id: `${PLUGIN_PREFIX}/${rule.id}`, description: rule.description, docsUrl: docsUrlOf(rule.id) }));
}

export function docsUrlOf(ruleId: string): string | undefined {
  const bare = ruleId.replace(`${PLUGIN_PREFIX}/`, "");
  return coreRules[bare] ? `${DOCS_BASE_URL}${bare}.md` : undefined;
}

// ---------------------------------------------------------------------------------------------
// baseline, init, explain

function runBaseline(args: ProjectArgs & { output?: string }, io: Io): number {
  const progress = new Progress(io.stderr);
  const project = load(args, io, progress);
  const rootDir = findRepoRoot(project.dir) ?? project.dir;
  const outcome = checkProject(project, { fingerprintRoot: rootDir, onFile: (done, total) => progress.update(() => `tenant-lint: checked ${done}/${total} files`) });
  progress.done();
  const file = args.output ? path.resolve(io.cwd, args.output) : path.join(project.dir, BASELINE_FILE_NAME);
  const entries = baselineEntriesOf(outcome.results, rootDir);
  writeBaseline(file, entries);
  const relative = (f: string) => path.relative(io.cwd, f) || f;
  io.stdout.write(`tenant-lint: wrote ${entries.length} finding${entries.length === 1 ? "" : "s"} to ${relative(file)}\n`);
  for (const error of outcome.internalErrors) io.stderr.write(`tenant-lint: ${describeInternalError(error, relative)}\n`);
  // The baseline is written either way, but a file that did not parse or a rule that threw means it
  // is incomplete, and that must not look like success.
  if (outcome.internalErrors.some((e) => e.kind === "rule-error")) return EXIT_ERROR;
  return outcome.internalErrors.length ? EXIT_FINDINGS : EXIT_CLEAN;
}

function runInit(args: { dir: string; force: boolean }, io: Io): number {
  const dir = path.resolve(io.cwd, args.dir);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`${args.dir}: no such directory`);
  const file = path.join(dir, CONFIG_FILE_NAME);
  const relative = path.relative(io.cwd, file) || file;
  if (fs.existsSync(file) && !args.force) throw new ConfigError("already exists (pass --force to overwrite it)", relative);
  const detection = detectProject(dir);
  fs.writeFileSync(file, `${JSON.stringify(configFromDetection(detection), null, 2)}\n`);
  io.stdout.write(`${describeDetection(detection, relative)}\n`);
  return EXIT_CLEAN;
}

async function runDaemonCommand(action: "status" | "stop", io: Io): Promise<number> {
  const env = (io.env ?? process.env) as NodeJS.ProcessEnv;
  const typescriptFile = bundledTypeScriptFile();
  if (action === "stop") {
    const stopped = await stopDaemons(typescriptFile, env);
    io.stdout.write(stopped ? `tenant-lint: stopped ${stopped} daemon${stopped === 1 ? "" : "s"}\n` : "tenant-lint: no daemon was running\n");
    return EXIT_CLEAN;
  }
  const status = await daemonStatus(typescriptFile, env);
  const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;
  if (status) {
    io.stdout.write(
      `tenant-lint: daemon running (pid ${status.pid}) for ${minutes(Date.now() - status.startedAt)}: ${status.runs} run${status.runs === 1 ? "" : "s"}, ` +
        `${status.cachedFiles} parsed files kept, peak memory ${status.peakRssMb} MB; it exits after ${minutes(status.idleExitMs)} without a run\n`,
    );
  } else if (daemonAllowed(env) && daemonPlace(typescriptFile, env)) {
    io.stdout.write(`tenant-lint: no daemon running (the second check or baseline within ${minutes(IDLE_MS)} starts one)\n`);
  } else {
    io.stdout.write("tenant-lint: no daemon running, and none starts here (CI, Windows, TENANT_LINT_NO_DAEMON, Node options of the run's own, or no private runtime directory)\n");
  }
  return EXIT_CLEAN;
}

function runExplain(args: { rule: string }, io: Io): number {
  io.stdout.write(explainRule(args.rule));
  return EXIT_CLEAN;
}
