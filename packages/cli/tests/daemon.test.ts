import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { copyProject, repoRoot, tempDir } from "./helpers.js";

// The daemon through the real binary (src/daemon.ts, src/daemon-server.ts). Each test has a runtime
// directory of its own, so its daemon is its own, and stops it at the end.
const bin = path.join(repoRoot, "packages/cli/bin/tenant-lint.js");
const runtimeDirs: string[] = [];

function daemonEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const runtimeDir = tempDir("tenant-lint-run-");
  runtimeDirs.push(runtimeDir);
  // The suite turns the daemon off for every other test (vitest.config.ts), and CI would.
  return { ...process.env, TENANT_LINT_NO_DAEMON: undefined, CI: undefined, XDG_RUNTIME_DIR: runtimeDir, XDG_CACHE_HOME: tempDir(), TENANT_LINT_NO_STARTUP_SNAPSHOT: "1", ...extra };
}

function tenantLint(args: readonly string[], env: NodeJS.ProcessEnv, cwd = repoRoot) {
  return spawnSync(process.execPath, [bin, ...args], { cwd, env, encoding: "utf8" });
}

function socketsOf(env: NodeJS.ProcessEnv): string[] {
  const dir = path.join(env.XDG_RUNTIME_DIR!, "tenant-lint");
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.endsWith(".sock")) : [];
}
const served = /^tenant-lint: ran in the daemon \(pid (\d+), run (\d+)\): (\d+) files reused, (\d+) parsed\n$/;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

afterAll(() => {
  for (const runtimeDir of runtimeDirs) tenantLint(["daemon", "stop"], { ...process.env, XDG_RUNTIME_DIR: runtimeDir });
});

describe("the daemon", () => {
  it("serves a developer's repeated checks from one process, with the report of a process of their own", () => {
    const env = daemonEnv({ TENANT_LINT_DEBUG: "1" });
    const dir = copyProject("findings");
    const check = (...extra: string[]) => tenantLint(["check", dir, "--format", "json", ...extra], env);
    const ownProcess = (...extra: string[]) => tenantLint(["check", dir, "--format", "json", ...extra], { ...env, TENANT_LINT_NO_DAEMON: "1" });

    // A one-off run leaves nothing running.
    const first = check();
    expect(first.status).toBe(1);
    expect(first.stderr).toBe("tenant-lint: started without a startup snapshot\n");
    expect(socketsOf(env)).toEqual([]);

    // The second run within the idle time starts the daemon, which serves it: it parses everything.
    const second = check();
    const started = served.exec(second.stderr);
    expect(started?.slice(2)).toEqual(["1", "0", expect.any(String)]);
    const parsed = Number(started![4]);
    expect(parsed).toBeGreaterThan(50);
    expect(second.status).toBe(1);
    expect(second.stdout).toBe(first.stdout);
    expect(socketsOf(env)).toHaveLength(1);

    // The next reuses every parsed file.
    const third = check();
    expect(third.stderr).toBe(`tenant-lint: ran in the daemon (pid ${started![1]}, run 2): ${parsed} files reused, 0 parsed\n`);
    expect(third.stdout).toBe(first.stdout);

    // A changed file is read again, and its new finding reported.
    const subscriptions = path.join(dir, "src", "billing", "subscriptions.ts");
    fs.appendFileSync(subscriptions, '\nexport function everySubscription() {\n  return knex("subscriptions").select("id");\n}\n');
    const edited = check();
    expect(edited.stderr).toBe(`tenant-lint: ran in the daemon (pid ${started![1]}, run 3): ${parsed - 1} files reused, 1 parsed\n`);
    expect(edited.status).toBe(1);
    expect(edited.stdout).not.toBe(first.stdout);
    expect(edited.stdout).toBe(ownProcess().stdout);
    expect(edited.stdout).toContain('"line":26,"column":10');
  });

  it("runs in the caller's directory and environment, with its exit codes and files", () => {
    const env = daemonEnv();
    const dir = copyProject("findings");
    tenantLint(["check", dir], env);
    tenantLint(["check", dir], env);
    expect(socketsOf(env)).toHaveLength(1);

    // Relative paths are the caller's.
    const written = tenantLint(["check", ".", "--format", "json", "--output", "report.json"], env, dir);
    expect(written.status).toBe(1);
    expect(written.stdout).toBe("");
    const ownReport = tenantLint(["check", dir, "--format", "json"], { ...env, TENANT_LINT_NO_DAEMON: "1" }).stdout;
    expect(fs.readFileSync(path.join(dir, "report.json"), "utf8")).toBe(ownReport);
    // The stylish format reads FORCE_COLOR from the caller's environment.
    const colored = tenantLint(["check", dir], { ...env, FORCE_COLOR: "1" });
    expect(colored.stdout).toContain("\u001b[");
    expect(colored.stdout).toBe(tenantLint(["check", dir], { ...env, FORCE_COLOR: "1", TENANT_LINT_NO_DAEMON: "1" }).stdout);
    expect(tenantLint(["check", dir], env).stdout).not.toContain("\u001b[");

    // A usage error is the same one-line error and exit code 2.
    const usage = tenantLint(["check", dir, "--bogus"], env);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toBe(tenantLint(["check", dir, "--bogus"], { ...env, TENANT_LINT_NO_DAEMON: "1" }).stderr);
    expect(usage.stderr).toMatch(/^tenant-lint: Unknown argument: bogus/);

    // A clean baseline written through the daemon.
    const baseline = tenantLint(["baseline", dir, "--output", "base.json"], env, dir);
    expect(baseline.status).toBe(0);
    expect(baseline.stdout).toMatch(/^tenant-lint: wrote \d+ findings to base\.json\n$/);
    expect(tenantLint(["check", dir, "--baseline", "base.json"], env, dir).status).toBe(0);
  });

  it("is replaced when it dies, and reports and stops on request", () => {
    const env = daemonEnv({ TENANT_LINT_DEBUG: "1" });
    const dir = copyProject("clean");
    tenantLint(["check", dir], env);
    const firstPid = Number(served.exec(tenantLint(["check", dir], env).stderr)?.[1]);
    expect(isAlive(firstPid)).toBe(true);

    // Killed: its socket is left behind, which the next daemon takes over.
    process.kill(firstPid, "SIGKILL");
    for (let waited = 0; isAlive(firstPid) && waited < 5000; waited += 50) spawnSync("sleep", ["0.05"]);
    const afterKill = tenantLint(["check", dir], env);
    expect(afterKill.status).toBe(0);
    const secondPid = Number(served.exec(afterKill.stderr)?.[1]);
    expect(secondPid).not.toBe(firstPid);

    const status = tenantLint(["daemon", "status"], env);
    expect(status.status).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^tenant-lint: daemon running \\(pid ${secondPid}\\) for \\d+ min: 1 run, \\d+ parsed files kept, peak memory \\d+ MB; it exits after 15 min without a run\\n$`));

    const stop = tenantLint(["daemon", "stop"], env);
    expect(stop.stdout).toBe("tenant-lint: stopped 1 daemon\n");
    for (let waited = 0; isAlive(secondPid) && waited < 5000; waited += 50) spawnSync("sleep", ["0.05"]);
    expect(isAlive(secondPid)).toBe(false);
    expect(socketsOf(env)).toEqual([]);
    expect(tenantLint(["daemon", "status"], env).stdout).toBe("tenant-lint: no daemon running (the second check or baseline within 15 min starts one)\n");
    expect(tenantLint(["daemon", "stop"], env).stdout).toBe("tenant-lint: no daemon was running\n");
  });

  it("is not used where its socket's directory is open to others", () => {
    const env = daemonEnv({ TENANT_LINT_DEBUG: "1" });
    fs.mkdirSync(path.join(env.XDG_RUNTIME_DIR!, "tenant-lint"), { mode: 0o755 });
    fs.chmodSync(path.join(env.XDG_RUNTIME_DIR!, "tenant-lint"), 0o755);
    const dir = copyProject("clean");
    for (let run = 0; run < 3; run++) expect(tenantLint(["check", dir], env).stderr).toBe("tenant-lint: started without a startup snapshot\n");
    expect(fs.readdirSync(path.join(env.XDG_RUNTIME_DIR!, "tenant-lint"))).toEqual([]);
  });

  it("is not used in CI, or when turned off", () => {
    for (const off of [{ CI: "true" }, { TENANT_LINT_NO_DAEMON: "1" }]) {
      const env = daemonEnv({ ...off, TENANT_LINT_DEBUG: "1" });
      const dir = copyProject("clean");
      for (let run = 0; run < 3; run++) expect(tenantLint(["check", dir], env).stderr).toBe("tenant-lint: started without a startup snapshot\n");
      expect(socketsOf(env)).toEqual([]);
      expect(tenantLint(["daemon", "status"], env).stdout).toBe(
        "tenant-lint: no daemon running, and none starts here (CI, Windows, TENANT_LINT_NO_DAEMON, Node options of the run's own, or no private runtime directory)\n",
      );
    }
  });
});
