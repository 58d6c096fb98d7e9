import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { copyProject, projectsDir, repoRoot, run, tempDir } from "./helpers.js";

const findings = path.join(projectsDir, "findings");
const clean = path.join(projectsDir, "clean");

function countsOf(stdout: string): { errors: number; warnings: number; rules: (string | null)[] } {
  const results = JSON.parse(stdout) as { errorCount: number; warningCount: number; messages: { ruleId: string | null }[] }[];
  return {
    errors: results.reduce((n, r) => n + r.errorCount, 0),
    warnings: results.reduce((n, r) => n + r.warningCount, 0),
    rules: results.flatMap((r) => r.messages.map((m) => m.ruleId)).sort(),
  };
}

describe("exit codes and gates", () => {
  it("exits 0 on a clean project and prints nothing", async () => {
    expect(await run(["check", clean])).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("--rule runs only the named rules, with or without the plugin prefix", async () => {
    const only = await run(["check", findings, "-f", "json", "--rule", "@tenant-lint/no-client-tenant-id"]);
    expect(only.code).toBe(1);
    expect(countsOf(only.stdout).rules).toEqual(["@tenant-lint/no-client-tenant-id"]);
    const none = await run(["check", findings, "-f", "json", "--rule", "no-module-tenant-state", "--rule", "no-cross-tenant-query"]);
    expect(none.code).toBe(0);
    expect(countsOf(none.stdout).rules).toEqual([]);
  });

  it("--rule ID:warn reports the rule's findings as warnings, which do not fail the run", async () => {
    const warned = await run(["check", findings, "-f", "json", "--rule", "no-client-tenant-id:warn", "--rule", "require-tenant-scope:warn"]);
    expect(countsOf(warned.stdout)).toEqual({ errors: 0, warnings: 2, rules: ["@tenant-lint/no-client-tenant-id", "@tenant-lint/require-tenant-scope"] });
    expect(warned.code).toBe(0);
  });

  it("--max-warnings fails a run with more warnings than allowed", async () => {
    const args = ["check", findings, "--rule", "no-client-tenant-id:warn", "--rule", "require-tenant-scope:warn"];
    const over = await run([...args, "--max-warnings", "1"]);
    expect(over.code).toBe(1);
    expect(over.stderr).toBe("tenant-lint: too many warnings (2, maximum: 1)\n");
    expect((await run([...args, "--max-warnings", "2"])).code).toBe(0);
  });

  it("--quiet drops warnings from the report and the gate, and keeps errors", async () => {
    const quiet = await run(["check", findings, "-f", "json", "--quiet", "--max-warnings", "0", "--rule", "no-client-tenant-id:warn", "--rule", "require-tenant-scope"]);
    expect(countsOf(quiet.stdout)).toEqual({ errors: 1, warnings: 0, rules: ["@tenant-lint/require-tenant-scope"] });
    expect(quiet.code).toBe(1);
    const onlyWarnings = await run(["check", findings, "--quiet", "--max-warnings", "0", "--rule", "no-client-tenant-id:warn"]);
    expect(onlyWarnings).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("--output writes the report to a file (creating its directory) and nothing to stdout", async () => {
    const dir = tempDir();
    const result = await run(["check", findings, "-f", "sarif", "-o", "reports/tenant-lint.sarif"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(JSON.parse(fs.readFileSync(path.join(dir, "reports/tenant-lint.sarif"), "utf8")).version).toBe("2.1.0");
  });

  it("a file that fails to parse fails the run, is reported on stderr, and the other files are still checked", async () => {
    const result = await run(["check", path.join(projectsDir, "parse-error"), "-f", "json"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("tenant-lint: packages/cli/tests/projects/parse-error/src/broken.ts:4:10: parsing error: ':' expected.\n");
    // The fatal parse error has no rule; the other file's finding is there.
    expect(countsOf(result.stdout).rules).toEqual(["@tenant-lint/require-tenant-scope", null]);
  });

  it("a parse error fails even a run whose rules find nothing", async () => {
    const result = await run(["check", path.join(projectsDir, "parse-error"), "--rule", "no-module-tenant-state"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("Parsing error: ':' expected.");
  });
});

describe("usage and configuration errors: one line, exit 2, no stack trace", () => {
  const HINT = " (see `tenant-lint --help`)\n";
  // Usage errors end with a pointer to --help; configuration errors name the file instead.
  const cases: [string, string[], RegExp, boolean][] = [
    ["an unknown option", ["check", clean, "--bogus"], /^tenant-lint: Unknown argument: bogus /, true],
    ["an unknown command", ["lint", clean], /^tenant-lint: unknown command "lint" \(commands: check, baseline, init, explain, migrate, daemon\) /, true],
    ["no command", [], /^tenant-lint: name a command: check, baseline, init, explain, migrate or daemon /, true],
    ["an unknown format", ["check", clean, "-f", "xml"], /^tenant-lint: Invalid values: Argument: format, Given: "xml", Choices: "stylish", "json", /, true],
    ["an unknown rule", ["check", clean, "--rule", "no-such-rule"], /^tenant-lint: unknown rule "no-such-rule" \(rules: require-tenant-scope, /, true],
    ["a bad severity", ["check", clean, "--rule", "require-tenant-scope:loud"], /^tenant-lint: --rule require-tenant-scope:loud: severity must be warn or error /, true],
    ["a missing directory", ["check", "no/such/dir"], /^tenant-lint: no\/such\/dir: no such directory /, true],
    ["a missing tsconfig", ["check", clean, "--project", "tsconfig.nope.json"], /^tenant-lint: .*tsconfig\.nope\.json: no tsconfig found \(pass --project to name one\) /, true],
    ["--prune-baseline without --baseline", ["check", clean, "--prune-baseline"], /^tenant-lint: --prune-baseline needs --baseline FILE /, true],
    ["a fractional --max-warnings", ["check", clean, "--max-warnings", "1.5"], /^tenant-lint: --max-warnings takes a whole number /, true],
    ["a missing config", ["check", clean, "--config", "nope.json"], /^tenant-lint: .*nope\.json: configuration file not found\n$/, false],
    ["a missing baseline", ["check", clean, "--baseline", "nope.json"], /^tenant-lint: .*nope\.json: baseline not found \(create one with `tenant-lint baseline`\)\n$/, false],
  ];
  it.each(cases)("%s", async (_name, argv, expected, hint) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(expected);
    expect(result.stderr.endsWith(HINT)).toBe(hint);
    expect(result.stderr.split("\n")).toEqual([expect.any(String), ""]);
  });

  it("a broken config names the file and the problem", async () => {
    const dir = copyProject("clean");
    fs.writeFileSync(path.join(dir, "tenant-lint.config.json"), '{ "tenantKeys": ["orgId"], "tenantKey": "org_id" }');
    const unknownKey = await run(["check", dir]);
    expect(unknownKey.code).toBe(2);
    expect(unknownKey.stderr).toBe(`tenant-lint: ${dir}/tenant-lint.config.json: unknown key "tenantKey" (known keys: tenantKeys, contextTypes, trustedResolvers, allowAsyncLocalStorage)\n`);
    fs.writeFileSync(path.join(dir, "tenant-lint.config.json"), '{ "tenantKeys": ["orgId"], }');
    const invalidJson = await run(["check", dir]);
    expect(invalidJson.code).toBe(2);
    expect(invalidJson.stderr).toMatch(/^tenant-lint: .*tenant-lint\.config\.json: invalid JSON: .*\n$/);
  });

  it("a broken tsconfig is a configuration error", async () => {
    const dir = copyProject("clean");
    fs.writeFileSync(path.join(dir, "tsconfig.json"), '{ "compilerOptions": { "target": "ES1999" } }');
    const result = await run(["check", dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^tenant-lint: .*tsconfig\.json: invalid tsconfig: Argument for '--target' option must be: .*\n$/);
  });

  it("an internal error is one line, with the stack only on request", async () => {
    const dir = copyProject("clean");
    // A directory where the report file should go makes writing it fail after the analysis.
    fs.mkdirSync(path.join(dir, "report.json"));
    const result = await run(["check", dir, "-o", path.join(dir, "report.json")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^tenant-lint: internal error: EISDIR: illegal operation on a directory.* \(set TENANT_LINT_DEBUG=1 for the stack trace, and please report it\)\n$/);
    const debug = await run(["check", dir, "-o", path.join(dir, "report.json")], { env: { TENANT_LINT_DEBUG: "1" } });
    expect(debug.stderr).toMatch(/\n\s+at /);
  });
});

describe("the tenant-lint bin", () => {
  const bin = path.join(repoRoot, "packages/cli/bin/tenant-lint.js");
  const spawn = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, encoding: "utf8" });

  it("exits 1 on findings, with the report on stdout", () => {
    const child = spawn("check", findings, "--format", "github");
    expect(child.status).toBe(1);
    expect(child.stdout).toMatch(/^::error file=packages\/cli\/tests\/projects\/findings\/src\/billing\/routes\.ts,line=11,/);
    expect(child.stderr).toBe("");
  });

  it("compiles TypeScript and ts-morph from a V8 code cache it writes on the first run", () => {
    const cacheHome = tempDir();
    const cacheDir = path.join(cacheHome, "tenant-lint", "v8");
    const check = (env: Record<string, string> = {}) =>
      spawnSync(process.execPath, [bin, "check", findings, "--format", "json"], {
        cwd: repoRoot,
        encoding: "utf8",
        env: { ...process.env, XDG_CACHE_HOME: cacheHome, TENANT_LINT_NO_STARTUP_SNAPSHOT: "1", ...env },
      });

    const off = check({ TENANT_LINT_NO_COMPILE_CACHE: "1" });
    expect(fs.existsSync(cacheDir)).toBe(false);
    const first = check();
    expect(first.status).toBe(1);
    expect(first.stdout).toBe(off.stdout);
    const files = fs.readdirSync(cacheDir).sort();
    expect(files.map((file) => file.replace(/-v\d.*$/, ""))).toEqual(["ts-morph-common.js", "ts-morph.js", "typescript.js"]);
    const typescriptCache = path.join(cacheDir, files[2]!);
    const written = fs.statSync(typescriptCache).mtimeMs;

    // Accepted: the same report, and the cache is left as it is.
    const second = check();
    expect(second.stdout).toBe(first.stdout);
    expect(fs.statSync(typescriptCache).mtimeMs).toBe(written);

    // A cache V8 rejects is compiled around and written again.
    fs.writeFileSync(typescriptCache, "not a code cache");
    const third = check();
    expect(third.stdout).toBe(first.stdout);
    expect(fs.statSync(typescriptCache).size).toBeGreaterThan(100_000);
  });

  it("starts a run from the startup snapshot an earlier run of the same command line built", async () => {
    const cacheHome = tempDir();
    const cacheDir = path.join(cacheHome, "tenant-lint", "v8");
    const dir = copyProject("findings");
    // A declaration file of the project's own, to change between runs.
    fs.writeFileSync(path.join(dir, "src", "deploy.d.ts"), "declare const DEPLOYMENT_REGION: string;\n");
    const check = (...extra: string[]) =>
      spawnSync(process.execPath, [bin, "check", dir, "--format", "json", ...extra], {
        cwd: repoRoot,
        encoding: "utf8",
        env: { ...process.env, XDG_CACHE_HOME: cacheHome, TENANT_LINT_DEBUG: "1" },
      });
    const snapshotFiles = () => (fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir).filter((name) => name.startsWith("startup-")).sort() : []);

    const snapshotBuilds = async () => {
      for (let waited = 0; snapshotFiles().some((name) => name.endsWith(".lock")) && waited < 120_000; waited += 250) await new Promise((done) => setTimeout(done, 250));
    };

    const first = check();
    expect(first.status).toBe(1);
    expect(first.stderr).toBe("tenant-lint: started without a startup snapshot\n");
    // A command line run once gets no snapshot; its second run has one built in the background.
    await snapshotBuilds();
    expect(snapshotFiles()).toEqual([expect.stringMatching(/^startup-\w+\.seen$/)]);
    expect(check().stdout).toBe(first.stdout);
    await snapshotBuilds();
    expect(snapshotFiles()).toEqual([expect.stringMatching(/^startup-\w+\.blob$/), expect.stringMatching(/^startup-\w+\.json$/)]);
    const blob = path.join(cacheDir, snapshotFiles()[0]!);

    const second = check();
    const prepared = /^tenant-lint: started from a startup snapshot of (\d+) declaration files; (\d+) reused, 0 parsed\n$/.exec(second.stderr);
    expect(prepared?.[1]).toBe(prepared?.[2]);
    expect(Number(prepared?.[1])).toBeGreaterThan(50);
    expect(second.status).toBe(1);
    expect(second.stdout).toBe(first.stdout);

    // A declaration file whose text changed is parsed again; the others are still reused.
    fs.writeFileSync(path.join(dir, "src", "deploy.d.ts"), "declare const DEPLOYMENT_REGION: string | undefined;\n");
    const third = check();
    expect(third.stderr).toBe(`tenant-lint: started from a startup snapshot of ${prepared?.[1]} declaration files; ${Number(prepared?.[1]) - 1} reused, 1 parsed\n`);
    expect(third.stdout).toBe(first.stdout);

    // A program compiled for another target gets none of the files, which were bound for this one,
    // and has a snapshot built for its own.
    const tsconfigFile = path.join(dir, "tsconfig.json");
    fs.writeFileSync(tsconfigFile, fs.readFileSync(tsconfigFile, "utf8").replace('"target": "ES2022"', '"target": "ES2021"'));
    // (A snapshot that no longer fits is rebuilt at once: its command line has run before.)
    const retargeted = check();
    expect(retargeted.stderr).toMatch(/^tenant-lint: started from a startup snapshot of \d+ declaration files; 0 reused, \d+ parsed\n$/);
    expect(retargeted.stdout).toBe(first.stdout);
    await snapshotBuilds();
    expect(check().stderr).toMatch(/^tenant-lint: started from a startup snapshot of (\d+) declaration files; \1 reused, 0 parsed\n$/);

    // Another command line has a snapshot of its own; a damaged snapshot is not used.
    expect(check("--quiet").stderr).toBe("tenant-lint: started without a startup snapshot\n");
    const size = fs.statSync(blob).size;
    fs.truncateSync(blob, 1000);
    const truncated = check();
    expect(truncated.stderr).toBe("tenant-lint: started without a startup snapshot\n");
    expect(truncated.stdout).toBe(first.stdout);
    // Damaged but of the right size, it stops Node before the run starts; the run then starts without it.
    fs.writeFileSync(blob, Buffer.alloc(size));
    const damaged = check();
    expect(damaged.stderr).toMatch(/tenant-lint: started without a startup snapshot\n$/);
    expect(damaged.status).toBe(1);
    expect(damaged.stdout).toBe(first.stdout);
    await snapshotBuilds();
  });

  it("exits 2 on a usage error, with one line on stderr", () => {
    const child = spawn("check", "no-such-dir");
    expect(child.status).toBe(2);
    expect(child.stderr).toBe("tenant-lint: no-such-dir: no such directory (see `tenant-lint --help`)\n");
  });
});
