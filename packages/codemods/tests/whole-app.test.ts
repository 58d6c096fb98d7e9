// Whole-app migrations (issue #6): each `fixtures/migrate-*` app is a small single-tenant backend.
// A copy of it (in `fixtures/<app>/.tmp/`) is migrated with `tenant-lint migrate ... --write`, and
// the result must match the committed `fixtures/<app>/after/src/`, type-check, leave no
// require-tenant-scope / no-module-tenant-state finding (nor require-tenant-on-create: creates
// take the tenant from the context), be left alone by a second run, and pass the runtime's tenant
// isolation contract (`fixtures/<app>/contract.ts`) on PGlite. Each app is migrated once, before
// the suites are declared, and every check reads that one migration.
//
//   pnpm exec vitest run packages/codemods/tests/whole-app.test.ts
//
// Update the snapshots after a deliberate change of the codemods' output:
//   TENANT_LINT_UPDATE_SNAPSHOTS=1 pnpm exec vitest run packages/codemods/tests/whole-app.test.ts
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { CONFIG_FILE_NAME, getAnalyzer, loadConfigFile } from "@tenant-lint/core";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import type { MigrateReport } from "../src/index.js";
import { cleanup, copyDirectory, copyFixtureApp, migrate, repoRoot } from "./helpers.js";

afterAll(cleanup);

interface WholeApp {
  readonly app: string;
  /** Run in this order, each with --write. */
  readonly codemods: readonly string[];
  /**
   * Files (relative to src/) where the analyzer reports the app's tenant leaks before the
   * migration: if it misses one, "no finding after the migration" would prove nothing there.
   */
  readonly leakingFiles: readonly string[];
}

const APPS: readonly WholeApp[] = [
  {
    app: "migrate-prisma-express",
    codemods: ["scoped-repository"],
    leakingFiles: ["customers/customer.repository.ts", "tickets/comments.ts", "tickets/ticket.repository.ts"],
  },
  {
    app: "migrate-typeorm-nestjs",
    codemods: ["scoped-repository"],
    leakingFiles: ["activity/activity-log.ts", "projects/projects.repository.ts", "tasks/tasks.repository.ts"],
  },
  {
    app: "migrate-drizzle-hono",
    codemods: ["scoped-repository"],
    leakingFiles: ["contacts/contact.repository.ts", "deals/deal.repository.ts", "deals/notes.ts"],
  },
  {
    app: "migrate-knex-koa",
    codemods: ["module-state", "scoped-repository"],
    leakingFiles: ["orders/order-lines.ts", "orders/order.repository.ts", "products/product.repository.ts", "tenancy/current-tenant.ts"],
  },
];

/** The rules issue #6 says a migrated app satisfies. */
const MIGRATION_RULES = ["require-tenant-scope", "no-module-tenant-state"];
/** Creates must set the tenant key from the context too (the default tenant of a column is a leak). */
const CREATE_RULE = "require-tenant-on-create";
const UPDATE_SNAPSHOTS = process.env.TENANT_LINT_UPDATE_SNAPSHOTS === "1";

interface CodemodRun {
  readonly codemod: string;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly report: MigrateReport | undefined;
}

/** What each app's contract.ts exports for this suite. */
interface AppContract {
  /** Registers one tenant isolation contract suite per repository class, built on PGlite. */
  describeRepositoryContracts(label: string): void;
}

interface Migration {
  readonly dir: string;
  readonly runs: readonly CodemodRun[];
  /** Every file of the migrated `src/` (generated code excluded), by path relative to src/. */
  readonly files: ReadonlyMap<string, string>;
  /** The migrated copy's contract.ts, or why it could not be loaded. */
  readonly contract: AppContract | Error;
}

const appDir = (app: string) => path.join(repoRoot, "fixtures", app);

/** Generated Prisma clients are git-ignored: generate the app's if `pnpm install` has not. */
function ensurePrismaClient(app: string): void {
  const schema = path.join(appDir(app), "prisma", "schema.prisma");
  if (!fs.existsSync(schema) || fs.existsSync(path.join(appDir(app), "src", "generated", "prisma", "client.ts"))) return;
  execFileSync(process.execPath, [path.join(repoRoot, "scripts", "generate-fixtures.mjs"), app], { stdio: "ignore" });
}

/** Runs each codemod with --write in `dir`, keeping its output and JSON report. */
async function runCodemods(dir: string, codemods: readonly string[]): Promise<CodemodRun[]> {
  const runs: CodemodRun[] = [];
  for (const codemod of codemods) {
    const reportFile = path.join(dir, `.migrate-${codemod}.json`);
    const result = await migrate({ codemod, dir, write: true, report: reportFile });
    const report = fs.existsSync(reportFile) ? (JSON.parse(fs.readFileSync(reportFile, "utf8")) as MigrateReport) : undefined;
    fs.rmSync(reportFile, { force: true });
    runs.push({ codemod, ...result, report });
  }
  return runs;
}

function sourceTree(srcDir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!fs.existsSync(srcDir)) return files;
  for (const entry of fs.readdirSync(srcDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const relative = path.relative(srcDir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/");
    if (relative.startsWith("generated/")) continue;
    files.set(relative, fs.readFileSync(path.join(srcDir, relative), "utf8"));
  }
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}

const programs = new Map<string, ts.Program>();

/** The project's program, built once per directory (a migrated copy is not written to after the migration). */
function loadProgram(dir: string): ts.Program {
  let program = programs.get(dir);
  if (!program) {
    program = createProgram(dir);
    programs.set(dir, program);
  }
  return program;
}

function createProgram(dir: string): ts.Program {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(dir, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (!parsed) throw new Error(`${dir}/tsconfig.json cannot be read`);
  return ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, projectReferences: parsed.projectReferences });
}

function projectFiles(program: ts.Program): ts.SourceFile[] {
  return program.getSourceFiles().filter((sf) => !sf.isDeclarationFile && !sf.fileName.includes("/node_modules/") && !program.isSourceFileFromExternalLibrary(sf));
}

function describeLocation(dir: string, sourceFile: ts.SourceFile, position: number): string {
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(position);
  return `${path.relative(dir, sourceFile.fileName)}:${line + 1}:${character + 1}`;
}

/** Every type error of the project, one line each. */
function typeErrors(dir: string): string[] {
  const program = loadProgram(dir);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => {
      const where = d.file ? describeLocation(dir, d.file, d.start ?? 0) : "(project)";
      return `${where} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
    });
}

/** The core's findings of the given rules, as `tenant-lint check` computes them, one line each; rule crashes included. */
function analyzerFindings(dir: string, ruleIds: readonly string[]): string[] {
  const program = loadProgram(dir);
  const configPath = path.join(dir, CONFIG_FILE_NAME);
  const analyzer = getAnalyzer(program, { config: loadConfigFile(configPath), rootDir: dir });
  const findings = projectFiles(program).flatMap((sf) =>
    analyzer.findings(sf, ruleIds).map((f) => `${describeLocation(dir, sf, f.start)} ${f.ruleId}: ${f.message}`),
  );
  return [...findings, ...analyzer.failures.map((f) => `${path.relative(dir, f.fileName)} ${f.ruleId} crashed: ${f.error.message}`)];
}

/** Migrates a fresh copy of the app; failures are kept for the tests to report. */
async function migrateApp({ app, codemods }: WholeApp): Promise<Migration> {
  ensurePrismaClient(app);
  const dir = copyFixtureApp(app);
  const runs = await runCodemods(dir, codemods);
  const files = sourceTree(path.join(dir, "src"));
  // Imported now, before the copy is touched again: it loads the migrated repositories.
  const contract = await import(pathToFileURL(path.join(dir, "contract.ts")).href).then(
    (module: AppContract) => module,
    (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
  );
  return { dir, runs, files, contract };
}

function formatRun(run: CodemodRun): string {
  return `${run.codemod} exited ${run.code}\n${run.stdout}${run.stderr}`;
}

// Migrated before the suites are declared: the contract suites are registered by the migrated copy's contract.ts.
const migrations = new Map<string, Migration>();
for (const app of APPS) migrations.set(app.app, await migrateApp(app));

describe.each(APPS)("whole-app migration of $app", (whole) => {
  const migration = migrations.get(whole.app)!;
  const migrated = () => {
    const failed = migration.runs.filter((run) => run.code !== 0);
    if (failed.length) throw new Error(`the migration did not complete:\n${failed.map(formatRun).join("\n")}`);
    return migration;
  };

  it("before: the analyzer reports the tenant leaks the migration must fix", () => {
    const findings = analyzerFindings(appDir(whole.app), [...MIGRATION_RULES, CREATE_RULE]);
    const files = new Set(findings.map((line) => line.slice("src/".length, line.indexOf(":"))));
    expect([...files].sort(), findings.join("\n")).toEqual([...whole.leakingFiles].sort());
  });

  it(`${whole.codemods.join(", then ")} --write: each exits 0`, () => {
    expect(migration.runs.map((run) => run.codemod)).toEqual(whole.codemods);
    for (const run of migration.runs) expect(run.code, formatRun(run)).toBe(0);
  });

  it("writes exactly the committed after/src/", () => {
    const snapshotDir = path.join(appDir(whole.app), "after", "src");
    const { files } = migrated();
    if (UPDATE_SNAPSHOTS) {
      fs.rmSync(snapshotDir, { recursive: true, force: true });
      for (const [file, text] of files) {
        fs.mkdirSync(path.dirname(path.join(snapshotDir, file)), { recursive: true });
        fs.writeFileSync(path.join(snapshotDir, file), text);
      }
    }
    const expected = sourceTree(snapshotDir);
    expect(expected.size, `no snapshot in ${path.relative(repoRoot, snapshotDir)}: run with TENANT_LINT_UPDATE_SNAPSHOTS=1`).toBeGreaterThan(0);
    expect([...files.keys()]).toEqual([...expected.keys()]);
    for (const [file, text] of files) expect(text, `src/${file}`).toBe(expected.get(file));
  });

  it("type-checks", () => {
    const errors = typeErrors(migrated().dir);
    expect(errors, errors.join("\n")).toEqual([]);
  });

  it(`leaves no ${MIGRATION_RULES.join(" or ")} finding`, () => {
    const findings = analyzerFindings(migrated().dir, MIGRATION_RULES);
    expect(findings, findings.join("\n")).toEqual([]);
  });

  it(`leaves no ${CREATE_RULE} finding: creates take the tenant from the context`, () => {
    const findings = analyzerFindings(migrated().dir, [CREATE_RULE]);
    expect(findings, findings.join("\n")).toEqual([]);
  });

  it("a second run of each codemod changes nothing", async () => {
    const again = copyDirectory(migrated().dir);
    const runs = await runCodemods(again, whole.codemods);
    for (const run of runs) {
      expect(run.code, formatRun(run)).toBe(0);
      expect(run.report?.changedFiles, formatRun(run)).toEqual([]);
    }
    expect(sourceTree(path.join(again, "src"))).toEqual(migration.files);
  });

  describe("tenant isolation contract of the migrated repositories", () => {
    const { contract } = migration;
    if (contract instanceof Error) {
      it("loads contract.ts and the migrated repositories", () => {
        throw contract;
      });
    } else {
      contract.describeRepositoryContracts(whole.app);
    }
  });
});
